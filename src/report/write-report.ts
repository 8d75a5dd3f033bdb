import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBundle } from './bundle.js';
import { renderReportHtml } from './render-html.js';
import { renderReportPdf } from './render-pdf.js';
import type { ReportData } from './types.js';
import { tableToCsv } from './write-csv.js';

export interface WriteReportOptions {
  outDir: string;
  pdf: boolean;
  bundle: boolean;
  keysDir: string;
  maxRows: number;
  /** Chromium executable for the PDF; default Debian's /usr/bin/chromium. */
  chromium?: string;
  onStep?: (step: string) => void;
}

/** Writes report.html, report.pdf, report.json and one CSV per table (plus the signed bundle files). */
export async function writeReport(data: ReportData, o: WriteReportOptions): Promise<{ files: { name: string; size: number }[] }> {
  mkdirSync(o.outDir, { recursive: true });
  const names: string[] = [];
  const put = (name: string, body: string | Buffer) => { writeFileSync(join(o.outDir, name), body); names.push(name); };
  o.onStep?.('report.json');
  put('report.json', JSON.stringify(data, null, 2) + '\n');
  o.onStep?.('CSV tables');
  for (const s of data.sections) for (const t of s.tables) put(`${t.id}.csv`, tableToCsv(t));
  if (data.checks.length) put('checks.csv', tableToCsv({ id: 'checks', title: 'checks', columns: ['requirement', 'text', 'status', 'evidence'], rows: data.checks.map((c) => [c.requirement, c.text, c.status, c.evidence]), totalRows: data.checks.length }));
  o.onStep?.('report.html');
  put('report.html', renderReportHtml(data, o.maxRows));
  if (o.pdf) {
    o.onStep?.('report.pdf (headless Chromium)');
    await renderReportPdf(join(o.outDir, 'report.html'), join(o.outDir, 'report.pdf'), o.chromium);
    names.push('report.pdf');
  }
  const files = names.map((name) => ({ name, size: statSync(join(o.outDir, name)).size }));
  if (o.bundle) {
    o.onStep?.('evidence bundle');
    await writeBundle(o.outDir, files, { month: data.month, account: data.account, framework: data.framework }, o.keysDir);
  }
  return { files };
}
