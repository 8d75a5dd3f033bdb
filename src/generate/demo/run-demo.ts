import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HomeLayout } from '../../core/home.js';
import { ingest } from '../../pipeline/ingest.js';
import type { EvidenceSink } from '../../core/evidence-sink.js';
import { formatSummary, type IngestProgress, type IngestSummary } from '../../pipeline/summary.js';
import type { Lake, QueryResult } from '../../core/lake.js';
import { openStore } from '../../stores/open-store.js';
import { clearGenerated, generate } from '../generate.js';
import { formatGenerateSummary } from '../summary.js';
import type { GenerateManifest } from '../types.js';
import { DEMO_QUESTIONS, nextCommands, type DemoQuestion } from './demo-queries.js';
import { formatTable } from './format-table.js';

/**
 * The demo's month: 3 accounts × 30 days, one cluster each, sized so generate + ingest + answers stay under
 * a minute on 2 cores: about 4,400 hourly objects, 60k sessions, 80k statements.
 */
export const DEMO_SCENARIO = { accounts: 3, days: 30, seed: 42, start: '2026-10-01', maxClustersPerAccount: 1 } as const;
/** User activity volume per account-day, MB (the month: 18 MB). */
const ACTIVITY_MB_PER_ACCOUNT_DAY = 0.2;

export interface DemoScenario {
  accounts: number;
  days: number;
}

export interface DemoOptions {
  home: HomeLayout;
  /** The `--home` value as the user typed it ('' for the default), repeated in the suggested commands. */
  homeFlag: string;
  openLake: (home: HomeLayout) => Promise<Lake>;
  /** The vault, when the home has a keyring (as `auditlake ingest` does with --vault auto). */
  evidence?: EvidenceSink;
  /** Where the demo's text goes (stdout in the CLI). */
  write: (text: string) => void;
  onIngestProgress?: (p: IngestProgress) => void;
  /** Regenerate the input even when an identical month is already there. */
  fresh?: boolean;
  /** `performance.now()` value the reported time counts from (the CLI passes 0: process start). Default: now. */
  startedAt?: number;
  /** A smaller or larger scenario than the default 3 accounts × 30 days. */
  scenario?: Partial<DemoScenario>;
}

export interface DemoAnswer {
  question: DemoQuestion;
  result: QueryResult;
}

export interface DemoResult {
  input: string;
  manifest: GenerateManifest;
  /** False when an identical month from an earlier run was reused. */
  generated: boolean;
  ingest: IngestSummary;
  answers: DemoAnswer[];
  elapsedMs: number;
}

async function existingManifest(dir: string): Promise<GenerateManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as GenerateManifest;
  } catch {
    return undefined;
  }
}

function scenarioOf(o: DemoOptions) {
  const accounts = o.scenario?.accounts ?? DEMO_SCENARIO.accounts;
  const days = o.scenario?.days ?? DEMO_SCENARIO.days;
  return { ...DEMO_SCENARIO, accounts, days, activityMb: Math.round(accounts * days * ACTIVITY_MB_PER_ACCOUNT_DAY * 1000) / 1000 };
}

function sameScenario(m: GenerateManifest | undefined, s: ReturnType<typeof scenarioOf>): m is GenerateManifest {
  return (
    !!m && m.seed === s.seed && m.days === s.days && m.start === s.start && m.accounts.length === s.accounts &&
    m.activityMb === s.activityMb && m.maxClustersPerAccount === s.maxClustersPerAccount
  );
}

/**
 * `auditlake demo`: generate a month of Redshift and CloudTrail logs for 3 accounts into `<home>/demo-input`,
 * ingest it into the lake with the real pipeline, and answer a few questions with SQL over the lake.
 * A second run reuses the generated month, and ingest — being incremental — finds nothing new.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const t0 = o.startedAt ?? performance.now();
  const input = join(o.home.root, 'demo-input');
  const { write } = o;

  const scenario = scenarioOf(o);
  let manifest = await existingManifest(input);
  let generated = false;
  if (o.fresh || !sameScenario(manifest, scenario)) {
    await clearGenerated(input);
    const g0 = performance.now();
    const r = await generate({ out: input, ...scenario });
    manifest = r.manifest;
    generated = true;
    write(`1/3 ${formatGenerateSummary(manifest, input, (performance.now() - g0) / 1000)}\n\n`);
  } else {
    write(`1/3 reusing the month generated earlier in ${input} (seed ${manifest.seed}; pass --fresh to regenerate)\n\n`);
  }

  const lake = await o.openLake(o.home);
  let summary: IngestSummary;
  const answers: DemoAnswer[] = [];
  try {
    // Only the AWSLogs/ tree: manifest.json sits beside it and is not a log object.
    summary = await ingest({
      store: openStore(input),
      lake,
      home: o.home,
      prefix: 'AWSLogs/',
      ...(o.evidence ? { evidence: o.evidence } : {}),
      ...(o.onIngestProgress ? { onProgress: o.onIngestProgress } : {}),
    });
    // Like `auditlake ingest`: merge the small files a run of many hourly objects leaves behind.
    if (summary.objects.ingested > 0) await lake.maybeCompact();
    write(`2/3 ${formatSummary(summary)}\n\n`);
    write('3/3 answers (SQL over the lake; run any of them yourself with `auditlake query`)\n');
    for (const q of DEMO_QUESTIONS) {
      const result = await lake.query(q.sql);
      answers.push({ question: q, result });
      write(`\n${q.title}\n${formatTable(result)}\n`);
    }
  } finally {
    await lake.close();
  }
  write(
    `\nThe lake is in ${o.home.lake} (Parquet, zstd, Hive-partitioned log_type=/account=/region=/date=).\n` +
      `Views: events, connections, user_changes, activity, api_calls. Try next:\n` +
      nextCommands(o.homeFlag).map((c) => `  ${c}\n`).join(''),
  );
  // Counted to the lake's close, as the user waits for it.
  const elapsedMs = performance.now() - t0;
  write(`\ndemo finished in ${(elapsedMs / 1000).toFixed(1)} s\n`);
  return { input, manifest, generated, ingest: summary, answers, elapsedMs };
}
