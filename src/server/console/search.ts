import { api } from './api.js';
import { h, status, table } from './dom.js';

interface Hit { eventId: string; time: string; logType: string; account: string; cluster: string; database: string | null; user: string | null; action: string; object: string | null; success: boolean | null; statement: string | null }
interface Page { events: Hit[]; nextCursor: string | null }

const FIELDS: [string, string, string][] = [
  ['from', 'From (UTC)', 'datetime-local'], ['to', 'To (UTC)', 'datetime-local'], ['account', 'Account', 'text'],
  ['database', 'Database / cluster', 'text'], ['user', 'User', 'text'], ['q', 'Text', 'search'],
];

/** Event search with filters, cursor paging, and a detail pane showing the original record. */
export function renderSearch(root: HTMLElement, initial: URLSearchParams): void {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Event filters' });
  for (const [name, label, type] of FIELDS) {
    const v = initial.get(name) ?? '';
    form.append(h('label', {}, label, h('input', { name, type, value: type === 'datetime-local' && v ? v.slice(0, 16) : v, ...(name === 'account' ? { inputmode: 'numeric', pattern: '\\d{12}' } : {}) })));
  }
  const lt = h('select', { name: 'logType' }, ...['', 'connection', 'user', 'activity', 'api'].map((t) => h('option', { value: t, ...(initial.get('logType') === t ? { selected: true } : {}) }, t || 'any')));
  form.append(h('label', {}, 'Log type', lt), h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const detail = h('aside', { class: 'detail', 'aria-label': 'Event detail' }, h('p', { class: 'muted' }, 'Select an event to see its original record.'));
  root.replaceChildren(h('h1', {}, 'Events'), form, h('div', { class: 'split' }, results, detail));

  let hits: Hit[] = [];
  let cursor: string | null = null;
  const params = () => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      if (!v) continue;
      p.set(k, (k === 'from' || k === 'to') ? new Date(`${String(v)}:00Z`).toISOString() : String(v));
    }
    return p;
  };
  const draw = () => {
    const t = table(['Time (UTC)', 'Type', 'Account', 'Database', 'User', 'Action', 'Object', 'OK'], hits.map((e) => [e.time.replace('T', ' ').slice(0, 19), e.logType, e.account, e.database ? `${e.cluster}/${e.database}` : e.cluster, e.user, e.action, e.object, e.success === null ? null : e.success ? 'yes' : 'no']), (i) => void open(hits[i]), `${hits.length} event(s)${cursor ? ', more available' : ''}`);
    results.replaceChildren(t, ...(cursor ? [h('button', { type: 'button', onclick: () => void load(true) }, 'Load more')] : []));
  };
  const load = async (more = false) => {
    const p = params();
    p.set('limit', '50');
    if (more && cursor) p.set('cursor', cursor);
    status('Searching…');
    try {
      const page = await api<Page>(`/api/v1/events?${p}`);
      hits = more ? [...hits, ...page.events] : page.events;
      cursor = page.nextCursor;
      draw();
      status(`${hits.length} event(s) shown`);
    } catch (err) {
      results.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
      status('');
    }
  };
  const open = async (e: Hit) => {
    const d = await api<Record<string, unknown>>(`/api/v1/events/${encodeURIComponent(e.eventId)}`);
    const rows = Object.entries(d).filter(([k]) => k !== 'raw' && k !== 'details');
    detail.replaceChildren(
      h('h2', {}, `${String(d.action)} — ${String(d.time).replace('T', ' ').slice(0, 23)}`),
      h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null ? '—' : String(v))])),
      h('h3', {}, 'Original record'),
      h('pre', { class: 'raw', tabindex: 0, 'aria-label': 'Original record' }, String(d.raw)),
      h('h3', {}, 'Details'),
      h('pre', { class: 'raw', tabindex: 0 }, JSON.stringify(d.details, null, 2)),
    );
    detail.focus();
  };
  detail.setAttribute('tabindex', '-1');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    history.replaceState(null, '', `#/search?${params()}`);
    void load();
  });
  void load();
}
