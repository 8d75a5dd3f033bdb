import cliProgress from 'cli-progress';
import type { IngestProgress } from './summary.js';

export interface ProgressReporter {
  onProgress(p: IngestProgress): void;
  stop(): void;
}

/**
 * Shows ingest progress on `out` (stderr, so stdout stays for the summary / JSON): a bar with
 * files done/total, records and MB/s on a terminal; elsewhere (CI, logs) one plain line every
 * `intervalMs`, because a redrawn bar in a log file is unreadable.
 */
export function createProgressReporter(opts: { out?: NodeJS.WriteStream; tty?: boolean; intervalMs?: number } = {}): ProgressReporter {
  const out = opts.out ?? process.stderr;
  const tty = opts.tty ?? out.isTTY === true;
  const mbps = (p: IngestProgress) => (p.bytes / 1e6 / Math.max(p.elapsedMs / 1000, 1e-3)).toFixed(1);
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        stream: out,
        format: 'ingest [{bar}] {value}/{total} files | {records} records | {mb} MB | {mbps} MB/s | {quarantined} quarantined',
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress(p) {
        const payload = { records: p.records, mb: (p.bytes / 1e6).toFixed(1), mbps: mbps(p), quarantined: p.quarantined };
        if (p.phase === 'listing') {
          if (p.listed > 0) out.write(`\ringest: listing, ${p.listed} objects so far`);
          return;
        }
        if (!started) {
          bar.start(p.objectsTotal, p.objectsDone, payload);
          started = true;
        } else bar.update(p.objectsDone, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  let last = Date.now();
  return {
    onProgress(p) {
      const now = Date.now();
      if (p.phase === 'done' || now - last < interval) return;
      last = now;
      if (p.phase === 'listing') {
        out.write(`ingest: listing, ${p.listed} objects so far\n`);
        return;
      }
      out.write(`ingest: ${p.objectsDone}/${p.objectsTotal} files, ${p.records} records, ${(p.bytes / 1e6).toFixed(1)} MB, ${mbps(p)} MB/s\n`);
    },
    stop() {},
  };
}
