/** Live counters of an ingest run, passed to `onProgress` (at most a few times a second). */
export interface IngestProgress {
  phase: 'listing' | 'ingesting' | 'done';
  /** Objects the listing returned so far. */
  listed: number;
  /** Objects to ingest in this run (new or changed); known once listing is done. */
  objectsTotal: number;
  objectsDone: number;
  /** Records decoded so far (events + quarantined). */
  records: number;
  quarantined: number;
  /** Uncompressed log bytes decoded so far. */
  bytes: number;
  elapsedMs: number;
  /** The object being read, when there is one. */
  currentKey?: string;
}

/** What an ingest run did. */
export interface IngestSummary {
  store: string;
  objects: {
    /** Objects the listing returned. */
    listed: number;
    /** Decoded and committed in this run. */
    ingested: number;
    /** Already ingested by an earlier run (same key and etag). */
    skipped: number;
    /** Keys that match no known layout (reported, never guessed). */
    unknown: number;
    /** Known layouts that hold no events (CloudTrail digest and Insights files). */
    ignored: number;
    /** Objects that could not be read to the end (corrupt gzip, not the format): kept what decoded, rest quarantined. */
    corrupt: number;
    /** Keys with an invalid component (account, region, cluster): never read, one quarantine entry each. */
    refused: number;
    /**
     * Objects that could not be read this time (the store failed: network, permissions, vanished):
     * not committed, so the next run retries them. The run goes on with the others.
     */
    failed: number;
    /** Entries of a folder that are not read: symlinks (unless --follow-symlinks), sockets, FIFOs, devices. */
    notRegular: number;
  };
  /** The failed objects and why (first 1000). */
  failedKeys: { key: string; reason: string }[];
  /** The entries not read and why (first 1000). */
  notRegularKeys: { key: string; reason: string }[];
  /** The unknown keys and why (first 1000; `objects.unknown` has the full count). */
  unknownKeys: { key: string; reason: string }[];
  /** Records decoded: events + quarantined. */
  records: number;
  events: number;
  eventsByLogType: Record<string, number>;
  /** Events the lake wrote at commit (after its de-duplication by event id). */
  eventsWritten: number;
  quarantined: number;
  /** Bytes read from the store (compressed) and after gunzip. */
  bytesCompressed: number;
  bytesUncompressed: number;
  batches: number;
  elapsedMs: number;
  /** Uncompressed MB (10^6 bytes) per second of wall time. */
  mbPerSec: number;
}

export const UNKNOWN_KEYS_KEPT = 1000;

/** Objects this run refused or could not read: the CLI exits EXIT_REFUSED (not 0, not a crash code) when > 0. */
export function refusedObjects(s: IngestSummary): number {
  return s.objects.corrupt + s.objects.refused + s.objects.failed;
}

/** Human-readable summary lines (the CLI prints these; `--format json` prints the object instead). */
export function formatSummary(s: IngestSummary, opts: { verbose?: boolean } = {}): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const lines = [
    `ingest ${s.store}`,
    `  objects   ${s.objects.ingested} ingested, ${s.objects.skipped} skipped (already ingested), ${s.objects.unknown} unknown` +
      (s.objects.ignored ? `, ${s.objects.ignored} ignored (digest/insights)` : '') +
      (s.objects.corrupt ? `, ${s.objects.corrupt} corrupt` : '') +
      (s.objects.refused ? `, ${s.objects.refused} refused (invalid key)` : '') +
      (s.objects.failed ? `, ${s.objects.failed} failed (retried next run)` : '') +
      (s.objects.notRegular ? `, ${s.objects.notRegular} not read (symlinks/special files)` : '') +
      ` — ${s.objects.listed} listed`,
    `  records   ${s.records} (${s.events} events, ${s.quarantined} quarantined${s.eventsWritten !== s.events ? `, ${s.eventsWritten} written after de-duplication` : ''})`,
  ];
  const byType = Object.entries(s.eventsByLogType).sort(([a], [b]) => a.localeCompare(b));
  if (byType.length) lines.push(`  by type   ${byType.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  lines.push(
    `  bytes     ${mb(s.bytesUncompressed)} MB uncompressed (${mb(s.bytesCompressed)} MB read) in ${(s.elapsedMs / 1000).toFixed(1)} s = ${s.mbPerSec.toFixed(1)} MB/s, ${s.batches} commit${s.batches === 1 ? '' : 's'}`,
  );
  if (s.quarantined) lines.push(`  see them  auditlake quarantine list`);
  if (s.objects.unknown && !opts.verbose) lines.push(`  unknown keys are listed with --verbose`);
  if (opts.verbose) for (const u of s.unknownKeys) lines.push(`  unknown   ${u.key}: ${u.reason}`);
  for (const f of s.failedKeys) lines.push(`  failed    ${f.key}: ${f.reason}`);
  if (opts.verbose) for (const f of s.notRegularKeys) lines.push(`  not read  ${f.key}: ${f.reason}`);
  else if (s.objects.notRegular) lines.push(`  entries not read are listed with --verbose`);
  return lines.join('\n');
}
