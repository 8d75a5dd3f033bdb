import { download, sql } from './api.js';
import { fmt, h, status } from './dom.js';

export async function renderReports(root: HTMLElement): Promise<void> {
  const months = (await sql("select distinct strftime(time, '%Y-%m') m from events where service <> 'auditlake' order by 1 desc limit 24")).rows.map((r) => String(r[0]));
  const month = h('select', { name: 'month', id: 'report-month' }, ...months.map((m) => h('option', { value: m }, m)));
  const format = h('select', { name: 'format', id: 'report-format' }, h('option', { value: 'html' }, 'HTML (charts)'), h('option', { value: 'pdf' }, 'PDF'), h('option', { value: 'json' }, 'JSON'));
  const framework = h('select', { name: 'framework' }, ...['pci-dss', 'soc2', 'hipaa', 'gxp', 'none'].map((f) => h('option', { value: f }, f)));
  const form = h('form', { class: 'filters', 'aria-label': 'Report' },
    h('label', {}, 'Month', month), h('label', {}, 'Framework', framework), h('label', {}, 'Format', format),
    h('button', { type: 'submit' }, 'Download report'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status(`Building the ${month.value} report…`);
    try {
      const size = await download(`/api/v1/reports/${month.value}?format=${format.value}&framework=${framework.value}`, `auditlake-report-${month.value}.${format.value}`);
      status(`Report downloaded (${fmt(size)} bytes).`);
    } catch (err) {
      status((err as Error).message);
    }
  });
  root.replaceChildren(h('h1', {}, 'Reports'), h('p', { class: 'muted' }, 'The monthly compliance report for the accounts this token may see: who connected, failed logins, user and privilege changes, after-hours access, coverage, and the framework checks.'),
    months.length ? form : h('p', {}, 'No months with records yet.'));
}
