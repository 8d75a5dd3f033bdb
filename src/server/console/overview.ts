import { api, sql } from './api.js';
import { chart } from './charts.js';
import { fmt, h, table } from './dom.js';

interface Db { account: string; name: string; service: string; events: number; lastRecordAt: string | null; silent: boolean; silentMinutes: number | null; workflow: { step: string; drift: boolean } | null }
interface Verify { state: string; ok: boolean | null; summary: string | null; finishedAt: string | null }

/** The 30 days up to the newest record (demo data may be months old: "last 30 days of data", not of the clock). */
async function window30(): Promise<{ from: string; to: string } | null> {
  const r = await sql("select max(time) from events where service <> 'auditlake'");
  const to = r.rows[0]?.[0];
  if (!to) return null;
  const from = new Date(Date.parse(String(to)) - 30 * 86_400_000).toISOString();
  return { from, to: String(to) };
}

const ts = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;

function card(label: string, value: string, note: string, tone: 'ok' | 'warn' | 'bad' | '' = ''): HTMLElement {
  return h('section', { class: `card ${tone}`, 'aria-label': label }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), h('div', { class: 'note' }, note));
}

export async function renderOverview(root: HTMLElement): Promise<void> {
  root.replaceChildren(h('h1', {}, 'Overview'), h('p', { class: 'muted' }, 'Loading…'));
  const w = await window30();
  if (!w) {
    root.replaceChildren(h('h1', {}, 'Overview'), h('p', {}, 'No audit records visible to this token yet. Ingest logs (auditlake ingest) or send database-created events to /api/v1/events.'));
    return;
  }
  const where = `time >= ${ts(w.from)} and service <> 'auditlake'`;
  // after-hours counts sign-ins only ('authenticated', the vocabulary every connection source maps to), not the
  // session start/end lines of the same connection
  const [kpi, perDay, failedDay, dbs, verify] = await Promise.all([
    sql(`select count(*) filter (where log_type = 'connection' and success = false) failed,
                count(*) filter (where log_type = 'user') user_changes,
                count(*) filter (where log_type = 'connection' and action = 'authenticated' and (hour(time) < 8 or hour(time) >= 18 or isodow(time) >= 6)) after_hours,
                count(*) total, count(distinct account) accounts from events where ${where}`),
    sql(`select strftime(date_trunc('day', time), '%Y-%m-%d') d, account, count(*) n from events where ${where} group by all order by 1, 2`),
    sql(`select strftime(date_trunc('day', time), '%Y-%m-%d') d, count(*) n from connections where ${where} and success = false group by 1 order by 1`),
    api<{ databases: Db[] }>('/api/v1/databases?silenceMinutes=1440'),
    api<Verify>('/api/v1/verify'),
  ]);
  const [failed, userChanges, afterHours, total, accounts] = (kpi.rows[0] ?? []).map(Number);
  // Silence is measured against the newest record visible (not the clock), so a database that stopped while the
  // others went on stands out in historical and demo data too; a lake that stopped altogether gets its own notice.
  const newest = Date.parse(w.to);
  const quietH = (d: Db) => (d.lastRecordAt ? (newest - Date.parse(d.lastRecordAt)) / 3_600_000 : 0);
  const silent = dbs.databases.filter((d) => quietH(d) > 24);
  const staleDays = Math.floor((Date.now() - newest) / 86_400_000);
  const drifted = dbs.databases.filter((d) => d.workflow?.drift || d.workflow?.step === 'failed');
  const vTone = verify.state === 'done' ? (verify.ok === false ? 'bad' : verify.ok ? 'ok' : '') : verify.state === 'failed' ? 'bad' : '';
  root.replaceChildren(
    h('h1', {}, 'Overview'),
    h('p', { class: 'muted' }, `The 30 days up to the newest record: ${w.from.slice(0, 10)} – ${w.to.slice(0, 10)} (UTC), ${fmt(accounts)} account(s). Every figure below covers this window; click a tab above to search events, see each database or download a monthly report.`),
    staleDays >= 1 ? h('p', { class: 'notice', role: 'status' }, `The newest record is ${fmt(staleDays)} day(s) old: nothing has arrived since. Check that ingestion runs (auditlake ingest / watch / the AWS deployment) — or this is demo data.`) : '',
    h('div', { class: 'cards' },
      card('Events', fmt(total), 'all log types'),
      card('Failed logins', fmt(failed), 'authentication failures', failed > 0 ? 'warn' : 'ok'),
      card('User changes', fmt(userChanges), 'create / alter / drop user', userChanges > 0 ? 'warn' : ''),
      card('After-hours logins', fmt(afterHours), 'outside 08–18 Mon–Fri UTC', afterHours > 0 ? 'warn' : ''),
      card('Silent / drifted', `${silent.length} / ${drifted.length}`, 'databases with no record in the last 24 h of data / whose audit settings had to be re-enforced', silent.length + drifted.length > 0 ? 'bad' : 'ok'),
      card('Last verify', verify.state === 'done' ? (verify.ok === null ? 'no vault' : verify.ok ? 'valid' : 'FINDINGS') : verify.state, verify.summary ?? 'never run (admin: Databases → Verify now)', vTone),
    ),
    h('div', { class: 'charts' },
      h('figure', {}, h('figcaption', {}, 'Events per day per account'), h('div', { class: 'chart' }, h('canvas', { id: 'c-events', role: 'img', 'aria-label': 'Stacked bar chart of events per day per account' }))),
      h('figure', {}, h('figcaption', {}, 'Failed logins per day'), h('div', { class: 'chart' }, h('canvas', { id: 'c-failed', role: 'img', 'aria-label': 'Line chart of failed logins per day' }))),
    ),
    h('h2', {}, 'Databases needing attention'),
    silent.length + drifted.length === 0 ? h('p', {}, 'None: every database produced records in the last 24 hours of data and no drift was re-enforced.')
      : table(['Account', 'Database', 'Service', 'Last record', 'Problem'], [...new Set([...silent, ...drifted])].map((d) => [d.account, d.name, d.service, d.lastRecordAt, quietH(d) > 24 ? `no record for ${fmt(Math.round(quietH(d)))} h before the newest` : 'settings re-enforced (drift)'])),
  );
  const days = [...new Set(perDay.rows.map((r) => String(r[0])))];
  const accts = [...new Set(perDay.rows.map((r) => String(r[1])))];
  const by = new Map(perDay.rows.map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]));
  chart(document.getElementById('c-events') as HTMLCanvasElement, 'bar', days, accts.map((a) => ({ label: a, values: days.map((d) => by.get(`${d}|${a}`) ?? 0) })), true);
  const fd = new Map(failedDay.rows.map((r) => [String(r[0]), Number(r[1])]));
  chart(document.getElementById('c-failed') as HTMLCanvasElement, 'line', days, [{ label: 'failed logins', values: days.map((d) => fd.get(d) ?? 0) }]);
}
