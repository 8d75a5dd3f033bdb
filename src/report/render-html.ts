import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FrameworkCheck, ReportData, ReportSection, ReportTable } from './types.js';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

let chartJsSource: string | undefined;
/** Chart.js's UMD build, inlined so the report opens with no network. */
function chartJs(): string {
  if (!chartJsSource) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
  }
  return chartJsSource;
}

function renderTable(t: ReportTable, maxRows: number): string {
  const shown = t.rows.slice(0, maxRows);
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = shown.length
    ? shown.map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${esc(typeof v === 'number' ? v.toLocaleString('en-US') : v)}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${t.columns.length}" class="empty">none</td></tr>`;
  const more = t.totalRows > shown.length ? `<p class="more">Showing ${shown.length} of ${t.totalRows.toLocaleString('en-US')} rows — ${t.rows.length === t.totalRows ? 'all rows are' : `the first ${t.rows.length.toLocaleString('en-US')} are`} in <code>${esc(t.id)}.csv</code>.</p>` : '';
  return `<h3>${esc(t.title)}</h3><table id="t-${esc(t.id)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

function renderSection(s: ReportSection, maxRows: number): string {
  const charts = s.charts.filter((c) => c.labels.length > 0)
    .map((c) => `<figure><figcaption>${esc(c.title)}</figcaption><div class="chart"><canvas data-chart="${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div></figure>`).join('');
  return `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2><p class="question">${esc(s.question)}</p><p class="summary">${esc(s.summary)}</p>${charts}${s.tables.map((t) => renderTable(t, maxRows)).join('\n')}</section>`;
}

function renderChecks(checks: FrameworkCheck[], framework: string): string {
  if (checks.length === 0) return '';
  const rows = checks.map((c) => `<tr class="${c.status}"><td>${esc(c.requirement)}</td><td>${esc(c.text)}</td><td class="status">${esc(c.status)}</td><td>${esc(c.evidence)}</td></tr>`).join('\n');
  return `<section id="checks"><h2>Framework checks: ${esc(framework)}</h2><p class="question">Which requirements does this month's evidence meet?</p>
<table id="t-checks"><thead><tr><th>Requirement</th><th>What it asks</th><th>Status</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #2f6feb;padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:#57606a}.question{font-style:italic;color:#57606a}.summary{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.82rem;margin-bottom:.6rem}th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}td.empty{color:#8c959f;text-align:center}
.totals{display:flex;flex-wrap:wrap;gap:.6rem}.totals div{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;min-width:120px}.totals b{display:block;font-size:1.3rem}
figure{margin:.5rem 0 2rem}figcaption{font-size:.9rem;color:#57606a}.chart{position:relative;height:260px}
tr.pass td.status{color:#1a7f37;font-weight:700}tr.fail td.status{color:#cf222e;font-weight:700}tr.not-evidenced td.status{color:#9a6700;font-weight:700}
.more{font-size:.8rem;color:#57606a}#t-checks td:first-child,#t-checks td.status{white-space:nowrap}nav a{margin-right:.8rem}
@media print{body{margin:0;max-width:none}table{font-size:.7rem}section{break-before:page}section#checks{break-before:auto}nav{display:none}}
`;

/** A client-side script: draws every canvas from the embedded data, then flags `window.__chartsReady`. */
const DRAW = `
(function(){
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2f6feb','#cf222e','#1a7f37','#9a6700','#8250df','#0969da'];
  var charts = {};
  data.sections.forEach(function(s){ s.charts.forEach(function(c){ charts[c.id] = c; }); });
  document.querySelectorAll('canvas[data-chart]').forEach(function(el){
    var c = charts[el.getAttribute('data-chart')];
    new Chart(el, { type: c.kind, data: { labels: c.labels, datasets: c.series.map(function(s, i){
      return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length], fill: false, pointRadius: 1 }; }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: c.series.length > 1 } }, scales: { y: { beginAtZero: true } } } });
  });
  window.__chartsReady = true;
})();`;

/** The whole report as one self-contained HTML file (data and chart library inlined; no network). */
export function renderReportHtml(data: ReportData, maxRows = 500): string {
  const t = data.totals;
  const totals = [['Events', t.events], ['Connection events', t.connections], ['Failed logins', t.failedLogins], ['User/privilege changes', t.userChanges], ['Statements', t.activity], ['API calls', t.apiCalls]]
    .map(([k, v]) => `<div><b>${esc(Number(v).toLocaleString('en-US'))}</b>${esc(k)}</div>`).join('');
  const nav = [...data.sections.map((s) => [s.id, s.title]), ...(data.checks.length ? [['checks', 'Framework checks']] : [])]
    .map(([id, title]) => `<a href="#${esc(id)}">${esc(title)}</a>`).join('');
  // Only the chart data is embedded: tables are already in the markup, and the full rows live in the CSVs.
  const json = JSON.stringify({ sections: data.sections.map((s) => ({ charts: s.charts })) }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(data.title)}</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><header><h1>${esc(data.title)}</h1>
<p class="meta">Period ${esc(data.range.from)} – ${esc(data.range.to)} (UTC) · framework ${esc(data.framework)} · generated ${esc(data.generatedAt)} by auditlake</p>
<div class="totals">${totals}</div><nav>${nav}</nav></header>
${renderChecks(data.checks, data.framework)}
${data.sections.map((s) => renderSection(s, maxRows)).join('\n')}
<script id="report-data" type="application/json">${json}</script>
<script>${chartJs()}</script>
<script>${DRAW}</script>
</body></html>`;
}
