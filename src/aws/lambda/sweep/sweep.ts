import { hasErrorCode } from '../../../core/errors.js';
import { readAll } from '../../../stores/read-all.js';
import { adoptIncoming } from '../../lake-incoming.js';
import { processObject } from '../shared/process-object.js';
import type { Runtime } from '../shared/runtime.js';
import { logLine } from '../shared/sqs-batch.js';

export const CURSOR_KEY = 'state/sweep-cursor.json';

export interface SweepReport {
  listed: number;
  /** Objects modified inside the window (since the previous sweep minus the lookback). */
  considered: number;
  alreadyDone: number;
  /** Objects the events had missed and this run processed. */
  caughtUp: number;
  sidelined: number;
  ignored: number;
  /** True when maxObjects stopped the run early (the next run continues). */
  truncated: boolean;
  /** Lake fragments folded into the manifest. */
  adopted: number;
  windowStart: string;
}

interface Cursor { lastStart: string; runs: number }

export interface SweepOptions {
  sources: string[];
  lookbackHours: number;
  maxObjects: number;
  now?: Date;
}

/**
 * One sweep: every object under `sources` modified since the previous sweep started (minus the lookback) that has
 * no processed marker is processed now; then the lake fragments handlers dropped are adopted into the manifest and
 * the cursor moves on (If-Match: two sweeps cannot both move it; the loser's work is idempotent and simply counted
 * as already done by the next run).
 */
export async function sweep(rt: Runtime, opts: SweepOptions): Promise<SweepReport> {
  const now = opts.now ?? new Date();
  const cur = await rt.home.head(CURSOR_KEY);
  const cursor = cur ? (JSON.parse((await readAll(await rt.home.get(CURSOR_KEY))).toString('utf8')) as Cursor) : null;
  const since = cursor ? new Date(Date.parse(cursor.lastStart) - opts.lookbackHours * 3_600_000) : new Date(0);
  const r: SweepReport = { listed: 0, considered: 0, alreadyDone: 0, caughtUp: 0, sidelined: 0, ignored: 0, truncated: false, adopted: 0, windowStart: since.toISOString() };
  outer: for (const loc of opts.sources) {
    const [bucket, ...rest] = loc.replace(/^s3:\/\//, '').split('/');
    const prefix = rest.join('/');
    for await (const o of rt.source(bucket).list(prefix)) {
      r.listed++;
      if (o.lastModified < since) continue;
      r.considered++;
      if (r.caughtUp + r.sidelined >= opts.maxObjects) {
        r.truncated = true;
        break outer;
      }
      const out = await processObject(rt, { bucket, key: o.key, etag: o.etag, size: o.size });
      if (out.status === 'duplicate') r.alreadyDone++;
      else if (out.status === 'done') r.caughtUp++;
      else if (out.status === 'sidelined') r.sidelined++;
      else r.ignored++;
      if (out.status !== 'duplicate') logLine('sweep', { bucket, ...out });
    }
  }
  r.adopted = (await adoptIncoming(rt.home)).adopted;
  // A truncated run keeps the old cursor so the next run looks at the same window again.
  if (!r.truncated) {
    const next = Buffer.from(JSON.stringify({ lastStart: now.toISOString(), runs: (cursor?.runs ?? 0) + 1 } satisfies Cursor));
    try {
      if (cur) await rt.home.replace(CURSOR_KEY, next, { ifMatch: cur.etag, contentType: 'application/json' });
      else await rt.home.put(CURSOR_KEY, next, { contentType: 'application/json' });
    } catch (err) {
      if (!hasErrorCode(err, 'E_CONFLICT') && !hasErrorCode(err, 'E_EXISTS')) throw err;
      logLine('sweep', { status: 'cursor-race-lost', note: 'another sweep moved the cursor; this run\'s work is kept (idempotent)' });
    }
  }
  logLine('sweep', { status: 'report', ...r });
  return r;
}
