import { api, sql } from './api.js';
import { chart } from './charts.js';
import { fmt, h, status, table } from './dom.js';

interface Db { account: string; region: string; service: string; name: string; events: number; lastRecordAt: string | null; silent: boolean; silentMinutes: number | null; workflow: { step: string; drift: boolean; lastError: string | null } | null }

export async function renderDatabases(root: HTMLElement, role: string): Promise<void> {
  const { databases } = await api<{ databases: Db[] }>('/api/v1/databases?silenceMinutes=1440');
  const verifyBtn = role === 'admin' ? h('button', { type: 'button', onclick: async () => {
    await api('/api/v1/verify', { method: 'POST' });
    status('Verification started; the overview shows the result when it finishes.');
  } }, 'Verify vault now') : null;
  root.replaceChildren(
    h('h1', {}, 'Databases'), verifyBtn ?? '',
    table(['Account', 'Region', 'Service', 'Database', 'Events', 'Last record', 'Silent', 'Workflow'],
      databases.map((d) => [d.account, d.region, d.service, d.name, fmt(d.events), d.lastRecordAt?.replace('T', ' ').slice(0, 19) ?? null, d.silent ? `yes (${fmt(Math.round((d.silentMinutes ?? 0) / 60))} h)` : 'no', d.workflow ? `${d.workflow.step}${d.workflow.drift ? ', drift' : ''}` : 'not watched']),
      (i) => { location.hash = `#/db/${encodeURIComponent(databases[i].account)}/${encodeURIComponent(databases[i].name)}`; }, `${databases.length} database(s); select one for its page`),
  );
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** One database: its activity per day by log type, users, and a link to its events. */
export async function renderDatabase(root: HTMLElement, account: string, name: string): Promise<void> {
  const where = `account = ${q(account)} and (cluster = ${q(name)} or database = ${q(name)})`;
  const [perDay, users] = await Promise.all([
    sql(`select strftime(date_trunc('day', time), '%Y-%m-%d') d, log_type, count(*) from events where ${where} group by all order by 1`),
    sql(`select "user", count(*) n, count(*) filter (where log_type = 'connection' and success = false) failed, max(time) last_seen from events where ${where} and "user" is not null group by 1 order by n desc limit 20`),
  ]);
  const days = [...new Set(perDay.rows.map((r) => String(r[0])))];
  const types = [...new Set(perDay.rows.map((r) => String(r[1])))];
  const by = new Map(perDay.rows.map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]));
  root.replaceChildren(
    h('p', {}, h('a', { href: '#/databases' }, '← Databases')),
    h('h1', {}, `${name}`), h('p', { class: 'muted' }, `Account ${account}`),
    h('p', {}, h('a', { href: `#/search?account=${account}&database=${encodeURIComponent(name)}` }, 'Search this database’s events →')),
    h('figure', {}, h('figcaption', {}, 'Records per day by log type'), h('div', { class: 'chart' }, h('canvas', { id: 'c-db', role: 'img', 'aria-label': 'Records per day by log type' }))),
    h('h2', {}, 'Users'),
    table(['User', 'Records', 'Failed logins', 'Last seen'], users.rows.map((r) => [String(r[0]), fmt(Number(r[1])), fmt(Number(r[2])), String(r[3]).replace('T', ' ').slice(0, 19)])),
  );
  chart(document.getElementById('c-db') as HTMLCanvasElement, 'bar', days, types.map((t) => ({ label: t, values: days.map((d) => by.get(`${d}|${t}`) ?? 0) })), true);
}
