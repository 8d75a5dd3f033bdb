/** The console: sign-in with a token, then a hash-routed single page over the Audit Log API. */
import { api, ApiError, token } from './api.js';
import { renderDatabase, renderDatabases } from './databases.js';
import { h, status } from './dom.js';
import { renderOverview } from './overview.js';
import { renderReports } from './reports.js';
import { renderSearch } from './search.js';

const main = document.getElementById('main')!;
let role = '';

function applyTheme(t: string): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem('auditlake.theme', t);
}
applyTheme(localStorage.getItem('auditlake.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
document.getElementById('theme')!.addEventListener('click', () => {
  applyTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark');
  void route(); // charts take their colours from the theme
});

function signIn(message = ''): void {
  document.getElementById('nav')!.hidden = true;
  document.getElementById('signout')!.hidden = true;
  document.getElementById('who')!.textContent = '';
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const form = h('form', { class: 'signin', 'aria-label': 'Sign in' },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'token' }, 'API token'), input,
    h('p', { id: 'token-help', class: 'muted' }, 'Create one with: auditlake tokens create --scope account:<id> --role reader'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : '',
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    token.set(input.value.trim());
    await start();
  });
  main.replaceChildren(form);
  input.focus();
}

async function start(): Promise<void> {
  try {
    const who = await api<{ role: string; account: string | null; id: string }>('/api/v1/whoami');
    role = who.role;
    document.getElementById('who')!.textContent = `${who.role} · ${who.account ? `account ${who.account}` : 'all accounts'}`;
    document.getElementById('nav')!.hidden = false;
    document.getElementById('signout')!.hidden = false;
    if (!location.hash || location.hash === '#/') location.hash = '#/overview';
    else await route();
  } catch (err) {
    token.clear();
    signIn(err instanceof ApiError && err.status === 401 ? 'That token is unknown, revoked or expired.' : (err as Error).message);
  }
}

async function route(): Promise<void> {
  if (!token.get()) return signIn();
  const [path, query] = location.hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) a.toggleAttribute('aria-current', a.dataset.nav === (parts[0] === 'db' ? 'databases' : parts[0]));
  status('');
  try {
    if (role === 'ingest') {
      main.replaceChildren(h('h1', {}, 'Ingest token'), h('p', {}, 'This token may send database-created events to /api/v1/events but not read audit data.'));
      return;
    }
    if (parts[0] === 'search') renderSearch(main, new URLSearchParams(query ?? ''));
    else if (parts[0] === 'databases') await renderDatabases(main, role);
    else if (parts[0] === 'db' && parts.length === 3) await renderDatabase(main, parts[1], parts[2]);
    else if (parts[0] === 'reports') await renderReports(main);
    else await renderOverview(main);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signIn('Your session ended (token revoked or expired).');
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, (err as Error).message));
  }
}

document.getElementById('signout')!.addEventListener('click', () => {
  token.clear();
  location.hash = '';
  signIn();
});
window.addEventListener('hashchange', () => {
  void route();
  main.focus();
});
if (token.get()) void start();
else signIn();
