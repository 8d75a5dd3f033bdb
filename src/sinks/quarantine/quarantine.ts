import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditlakeError } from '../../core/errors.js';
import { isProcessAlive } from '../../buffer/process-alive.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { SourceObjectRef } from '../../core/lake.js';
import type { RecordCipher } from '../../core/record-cipher.js';
import { quarantineFileName } from './file-name.js';
import type { Quarantine, QuarantineEntry, QuarantineWriter } from './types.js';

/** Longest record text kept per entry; the full record stays in the source object. */
export const QUARANTINE_RAW_LIMIT = 16 * 1024;
/** Entries written per source object; the rest are only counted (one summary entry). */
export const QUARANTINE_ENTRIES_PER_OBJECT = 10_000;
const TMP_PREFIX = '.tmp-';

/**
 * The quarantine: JSONL files under `dir` (home.quarantine), one per source object that had
 * malformed records. Entries are written to a temp file as they come (memory stays bounded)
 * and renamed into place by finish(), which the ingest pipeline calls before the lake commit,
 * so a committed object always has its quarantine file and a redo rewrites the same file.
 */
export function createQuarantine(dir: string, cipher: RecordCipher | null = null): Quarantine {
  return {
    dir,
    open(ref) {
      return openWriter(dir, ref, cipher);
    },
    list() {
      return listEntries(dir, cipher);
    },
    removeStaleTemps: () => removeStaleTemps(dir),
  };
}

/**
 * Deletes temp files of writers that are gone (kill -9 mid-object): they hold record text that was never
 * published, and nothing else would ever remove them.
 */
async function removeStaleTemps(dir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = new RegExp(`^${TMP_PREFIX.replace('.', '\\.')}(\\d+)-`).exec(name);
    if (!name.startsWith(TMP_PREFIX)) continue;
    // Older temp names carry no pid: no live writer can own them once a run holds the home.
    if (m && isProcessAlive(Number(m[1]))) continue;
    await unlink(join(dir, name)).catch(() => undefined);
    n++;
  }
  return n;
}

/**
 * One quarantine line: the entry's JSON, or with keys on `{"sealed":"<base64>"}` (the raw record is audit data,
 * which must not sit in clear on disk).
 */
export function quarantineLine(e: object, cipher: RecordCipher | null): string {
  const json = JSON.stringify(e);
  return `${cipher ? JSON.stringify({ sealed: cipher.seal(Buffer.from(json, 'utf8')).toString('base64') }) : json}\n`;
}

function openWriter(dir: string, ref: SourceObjectRef, cipher: RecordCipher | null): QuarantineWriter {
  const finalPath = join(dir, quarantineFileName(ref));
  // The pid in the name lets a later run tell a crashed writer's leftover (removeStaleTemps) from a live one.
  const tmpPath = join(dir, `${TMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}-${quarantineFileName(ref)}`);
  let fh: Promise<FileHandle> | undefined;
  let pending: Promise<unknown> = Promise.resolve();
  let buffered = '';
  let count = 0;
  let failed: unknown;

  /** Queues the buffered lines as one append; appends are chained so entries keep their order. */
  function flush() {
    if (!buffered) return;
    const text = buffered;
    buffered = '';
    fh ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => open(tmpPath, 'w', 0o600));
    const h = fh;
    // The first failure is reported by finish().
    pending = pending.then(async () => (await h).write(text)).catch((err: unknown) => {
      failed ??= err;
    });
  }

  function entry(line: number, reason: string, raw: string): QuarantineEntry {
    return {
      store: ref.store,
      key: ref.key,
      etag: ref.etag,
      line,
      reason,
      raw: raw.length > QUARANTINE_RAW_LIMIT ? `${raw.slice(0, QUARANTINE_RAW_LIMIT)}…[truncated ${raw.length - QUARANTINE_RAW_LIMIT} chars]` : raw,
      at: new Date().toISOString(),
    };
  }

  let lastLine = 0;
  return {
    get count() {
      return count;
    },
    add(line, reason, raw) {
      count++;
      lastLine = line;
      // A file that is garbage throughout (wrong format under a right name) would otherwise copy
      // itself into the quarantine: past the cap only the count is kept, written at finish().
      if (count > QUARANTINE_ENTRIES_PER_OBJECT) return;
      // Decoders redact already; redaction is idempotent, so doing it again here guarantees that no
      // decoder (present or future) can leak a secret into the quarantine.
      buffered += quarantineLine(entry(line, redactSecrets(reason), redactSecrets(raw)), cipher);
      if (buffered.length >= 256 * 1024) flush();
    },
    async finish() {
      if (count > QUARANTINE_ENTRIES_PER_OBJECT) {
        const more = count - QUARANTINE_ENTRIES_PER_OBJECT;
        buffered += quarantineLine(entry(lastLine, `${more} more malformed records up to line ${lastLine} not listed (at most ${QUARANTINE_ENTRIES_PER_OBJECT} per object)`, ''), cipher);
      }
      flush();
      if (!fh) return 0;
      await pending;
      const h = await fh;
      try {
        if (failed) throw failed;
        await h.sync();
      } catch (err) {
        await h.close().catch(() => undefined);
        await unlink(tmpPath).catch(() => undefined);
        throw new AuditlakeError('E_IO', `quarantine: writing ${finalPath} for ${ref.key} failed`, { cause: err });
      }
      await h.close();
      await rename(tmpPath, finalPath);
      return count;
    },
    async abort() {
      buffered = '';
      if (!fh) return;
      await pending;
      await (await fh).close().catch(() => undefined);
      await unlink(tmpPath).catch(() => undefined);
    },
  };
}

async function* listEntries(dir: string, cipher: RecordCipher | null): AsyncGenerator<QuarantineEntry> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl') && !n.startsWith(TMP_PREFIX)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new AuditlakeError('E_IO', `quarantine: cannot read ${dir}`, { cause: err });
  }
  for (const name of names) {
    const rl = createInterface({ input: createReadStream(join(dir, name)), crlfDelay: Infinity });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (!line.trim()) continue;
      let v: QuarantineEntry & { sealed?: unknown };
      try {
        v = JSON.parse(line) as QuarantineEntry & { sealed?: unknown };
      } catch (err) {
        throw new AuditlakeError('E_PARSE', `quarantine: ${join(dir, name)} line ${n} is not valid JSON`, { cause: err });
      }
      yield typeof v.sealed === 'string' ? unseal(v.sealed, cipher, `quarantine: ${join(dir, name)} line ${n}`) : v;
    }
  }
}

function unseal(sealed: string, cipher: RecordCipher | null, what: string): QuarantineEntry {
  if (!cipher) throw new AuditlakeError('E_KEY', `${what} is encrypted; listing it needs the home's lake key (keyring access)`);
  return JSON.parse(cipher.open(Buffer.from(sealed, 'base64'), what).toString('utf8')) as QuarantineEntry;
}
