import { removeStaleTempDirs } from '../sinks/lake/stale-temps.js';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../core/event.js';
import type { HomeLayout } from '../core/home.js';
import type { MalformedRecord } from '../core/decode.js';
import type { Lake, SourceObjectRef } from '../core/lake.js';
import { readJsonFile, writeFileAtomic } from '../buffer/atomic-file.js';
import { openWal, type Wal } from '../buffer/wal.js';
import { quarantineLine } from '../sinks/quarantine/quarantine.js';
import { lockBufferDir } from '../buffer/dir-lock.js';
import type { CollectConfig, CollectSource } from '../config/collect.js';
import { liveFormat } from '../transforms/decode/live-decode.js';
import { createTailer, type FilePosition, type TailPositions, type Tailer } from '../sources/file-tail/tail-files.js';
import { createOwnActivity, type OwnActivity } from './own-activity.js';

/** What the write-ahead buffer holds per record: the event (or the malformed record) and the position after it. */
interface BufferedRecord {
  ev?: AuditEvent;
  bad?: MalformedRecord & { file: string };
  k: string;
  p: FilePosition;
}

export interface CollectStats {
  records: number;
  events: number;
  skipped: number;
  malformed: number;
  delivered: number;
  batches: number;
}

export interface Collector {
  /** One poll + buffer + (if due) delivery round. `force` delivers whatever is buffered. */
  tick(force?: boolean): Promise<void>;
  /** Polls every `pollMs` until stop(). */
  run(): Promise<void>;
  /** Final poll, deliver everything buffered, close. Safe to call from a SIGTERM handler. */
  stop(): Promise<void>;
  stats(): CollectStats;
  /**
   * When the named source last yielded an audit event that is not auditlake's own traffic (ms), or null: what the
   * fleet's silence check watches (see own-activity.ts).
   */
  lastRecordAt(source: string): number | null;
  /** Recovery notes from opening the buffers (torn tails cut, intents resolved). */
  readonly recovery: string[];
}

interface SourceState {
  src: CollectSource;
  wal: Wal<BufferedRecord>;
  tailer: Tailer;
  decode: ReturnType<typeof liveFormat>['decode'];
  positionsFile: string;
}

const later = (a: FilePosition, b: FilePosition): boolean => a.gen > b.gen || (a.gen === b.gen && a.offset > b.offset);

/** The lake reference that marks WAL entries `from..to` of one source as committed (atomic with the events). */
function refFor(s: CollectSource, from: number, to: number): SourceObjectRef {
  return { store: `collect://${s.server}`, key: `${s.name}/wal`, etag: `${from}-${to}`, size: to - from + 1 };
}

/**
 * The live-database collector: tails each source's audit log, maps records to events, appends them to a per-source
 * write-ahead buffer (fsynced), and delivers buffered events to the lake when the batch is full (events or encoded
 * bytes) or old enough. Exactly-once: a delivery first records an intent (WAL range), commits events + the range's
 * SourceObjectRef in one lake commit, then acknowledges the range. After a crash, an intent whose ref the lake
 * already has is acknowledged without re-sending; otherwise the range is sent again (the lake commit is atomic).
 * Event ids are stable (server, file identity, byte offset), so even a re-read gives the same ids.
 */
export interface CollectorHooks {
  /** Called after each lake commit with the events it made visible (the freshness bench measures with this). */
  onCommit?: (events: AuditEvent[], at: number) => void;
  /** Recognises auditlake's own canary/drift traffic (the watcher registers its sessions); default content rules only. */
  own?: OwnActivity;
}

export async function createCollector(cfg: CollectConfig, home: HomeLayout, lake: Lake, hooks: CollectorHooks = {}): Promise<Collector> {
  const recovery: string[] = [];
  const stats: CollectStats = { records: 0, events: 0, skipped: 0, malformed: 0, delivered: 0, batches: 0 };
  mkdirSync(home.quarantine, { recursive: true, mode: 0o700 });
  const quarantineCipher = lake.recordCipher?.('quarantine') ?? null;
  await removeStaleTempDirs(home.tmp);
  const releases: Array<() => void> = [];
  let states: SourceState[];
  try {
    states = openSources();
  } catch (err) {
    for (const r of releases) r(); // a source that failed to open must not keep the others locked
    throw err;
  }
  function openSources(): SourceState[] {
    return cfg.sources.map((src) => {
      const dir = join(home.buffer, src.name);
      mkdirSync(dir, { recursive: true });
      releases.push(lockBufferDir(dir, `source ${src.name}`));
      const wal = openWal<BufferedRecord>(dir, { cipher: lake.recordCipher?.('buffer') ?? null });
      if (wal.recovered) recovery.push(`${src.name}: ${wal.recovered}`);
      const intent = wal.intent();
      if (intent) {
        if (lake.isIngested(refFor(src, intent.from, intent.to))) {
          wal.ack(intent.to);
          recovery.push(`${src.name}: delivery ${intent.from}-${intent.to} had committed before the crash; acknowledged`);
        } else recovery.push(`${src.name}: delivery ${intent.from}-${intent.to} had not committed; will be re-sent`);
      }
      const positionsFile = join(dir, 'positions.json');
      const positions: TailPositions = readJsonFile<TailPositions>(positionsFile) ?? {};
      // entries buffered after the last positions checkpoint carry newer positions
      for (const e of wal.pending()) {
        const cur = positions[e.data.k];
        if (!cur || later(e.data.p, cur)) positions[e.data.k] = e.data.p;
      }
      const f = liveFormat(src);
      return { src, wal, decode: f.decode, positionsFile, tailer: createTailer({ path: src.log, framing: f.framing, startAt: src.startAt, positions }) };
    });
  }

  const lastSeen = new Map<string, number>();
  const own = hooks.own ?? createOwnActivity();
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let busy: Promise<void> = Promise.resolve();

  /**
   * Reads what is new (≤ 4 MiB per call) into the buffer; returns how many records were read. `drain` (stop,
   * --once): each file's last record is read too, even if its writer has not ended it yet (see createTailer).
   */
  function pollSource(s: SourceState, drain: boolean): number {
    if (s.wal.pendingBytes() > 4 * cfg.maxBytes) return 0; // back-pressure: the lake is not keeping up
    const recs = s.tailer.poll(undefined, drain);
    if (recs.length === 0) return 0;
    const items: BufferedRecord[] = [];
    let real = false;
    for (const r of recs) {
      stats.records++;
      const d = s.decode(r, r.fileId, r.path);
      if (!d) {
        stats.skipped++;
        continue;
      }
      if (d.kind === 'event') {
        // own canary/drift records are kept (and marked), but only other records prove the database is audited
        if (!own.classify(s.src.name, d.event)) real = true;
        items.push({ ev: d.event, k: r.fileKey, p: r.next });
      }
      else items.push({ bad: { ...d, file: r.path }, k: r.fileKey, p: r.next });
    }
    // silence is about audit events: checkpoints, other server chatter and auditlake's own canaries do not count
    if (real) lastSeen.set(s.src.name, Date.now());
    s.wal.append(items);
    s.wal.sync();
    writeFileAtomic(s.positionsFile, JSON.stringify(s.tailer.positions()));
    return recs.length;
  }

  /** Delivers one batch if one is due; true when it did (the caller loops: a batch holds ≤ 4·maxEvents per source). */
  async function deliver(force: boolean): Promise<boolean> {
    const due = states.filter((s) => {
      const n = s.wal.pendingCount();
      if (n === 0) return false;
      const oldest = s.wal.oldestPendingAt() ?? Date.now();
      return force || n >= cfg.maxEvents || s.wal.pendingBytes() >= cfg.maxBytes || Date.now() - oldest >= cfg.maxDelayMs;
    });
    if (due.length === 0) return false;
    const batch = lake.beginBatch();
    const refs: SourceObjectRef[] = [];
    const acks: Array<{ s: SourceState; to: number; bad: BufferedRecord['bad'][] }> = [];
    let events = 0;
    const committed: AuditEvent[] = [];
    try {
      for (const s of due) {
        const entries = s.wal.pending(cfg.maxEvents * 4);
        const from = entries[0].seq;
        const to = entries[entries.length - 1].seq;
        s.wal.setIntent({ from, to });
        const bad: BufferedRecord['bad'][] = [];
        for (const e of entries) {
          if (e.data.ev) {
            await batch.add(e.data.ev);
            if (hooks.onCommit) committed.push(e.data.ev);
            events++;
          } else bad.push(e.data.bad);
        }
        refs.push(refFor(s.src, from, to));
        acks.push({ s, to, bad });
      }
      await batch.commit(refs);
      hooks.onCommit?.(committed, Date.now());
    } catch (err) {
      await batch.abort().catch(() => {});
      throw err;
    }
    for (const a of acks) {
      for (const b of a.bad) {
        if (!b) continue;
        stats.malformed++;
        appendFileSync(join(home.quarantine, `collect-${a.s.src.name}.jsonl`), quarantineLine({ file: b.file, line: b.line, reason: b.reason, raw: b.raw }, quarantineCipher), { mode: 0o600 });
      }
      a.s.wal.ack(a.to);
    }
    stats.events += events;
    stats.delivered += events;
    stats.batches++;
    return true;
  }

  async function tick(force = false): Promise<void> {
    const run = busy.then(async () => {
      // force (stop/SIGTERM, --once): keep reading and delivering until every log is drained
      for (let read = 1; read > 0; ) {
        read = 0;
        for (const s of states) read += pollSource(s, force);
        while (await deliver(force)) {
          /* until nothing is due */
        }
        if (!force) break;
      }
    });
    busy = run.catch(() => {});
    return run;
  }

  return {
    recovery,
    stats: () => ({ ...stats }),
    lastRecordAt: (name) => lastSeen.get(name) ?? null,
    tick,
    run() {
      loop ??= (async () => {
        while (!stopping) {
          await tick();
          await new Promise<void>((r) => {
            const t = setTimeout(r, cfg.pollMs);
            wake = () => {
              clearTimeout(t);
              r();
            };
          });
        }
      })();
      return loop;
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop?.catch(() => {});
      await tick(true);
      for (const s of states) s.wal.close();
      for (const r of releases) r();
    },
  };
}
