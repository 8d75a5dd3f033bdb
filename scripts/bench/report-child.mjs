// Child process of the "report" bench section: builds and writes the month report from an existing lake and
// prints one JSON line of timings. Run as a child so its peak RSS is measured alone.
//   node report-child.mjs <dist> <lakeDir> <outDir> <pdf:0|1>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, lakeDir, outDir, pdf] = process.argv.slice(2);
const imp = (p) => import(pathToFileURL(join(dist, p)).href);
const { openLake } = await imp('src/sinks/lake/index.js');
const { buildReport, DEFAULT_REPORT_OPTIONS } = await imp('src/report/build-report.js');
const { writeReport } = await imp('src/report/write-report.js');

const t0 = performance.now();
const lake = await openLake({ root: lakeDir });
const t1 = performance.now();
const scan = await lake.query("SELECT log_type, count(*) FROM events WHERE time >= TIMESTAMP '2026-10-01' AND time < TIMESTAMP '2026-11-01' GROUP BY 1");
const t2 = performance.now();
const data = await buildReport((sql) => lake.query(sql), { ...DEFAULT_REPORT_OPTIONS, month: '2026-10' });
const t3 = performance.now();
await writeReport(data, { outDir, pdf: false, bundle: false, keysDir: join(outDir, 'keys'), maxRows: 500 });
const t4 = performance.now();
let pdfMs = null;
if (pdf === '1') {
  const { renderReportPdf } = await imp('src/report/render-pdf.js');
  await renderReportPdf(join(outDir, 'report.html'), join(outDir, 'report.pdf'));
  pdfMs = performance.now() - t4;
}
await lake.close();
console.log(JSON.stringify({ openMs: t1 - t0, scanMs: t2 - t1, queryMs: t3 - t2, writeMs: t4 - t3, pdfMs, events: data.totals.events, scanned: scan.rows.reduce((s, r) => s + Number(r[1]), 0) }));
