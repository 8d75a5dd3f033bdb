/** Tiny DOM helpers: every text goes through textContent (no HTML injection from audit records). */
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export function status(text: string): void {
  const s = document.getElementById('status')!;
  s.textContent = text;
}

export const fmt = (n: number) => n.toLocaleString('en-US');

/** A table whose rows are keyboard-focusable when `onOpen` is given (Enter/Space open, like a click). */
export function table(columns: string[], rows: (string | number | null)[][], onOpen?: (i: number) => void, caption?: string): HTMLTableElement {
  const t = h('table', { class: 'grid' });
  if (caption) t.append(h('caption', {}, caption));
  t.append(h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))));
  const body = h('tbody');
  rows.forEach((r, i) => {
    const tr = h('tr', onOpen ? { tabindex: 0, class: 'clickable' } : {}, ...r.map((v) => h('td', {}, v === null ? '—' : String(v))));
    if (onOpen) {
      tr.addEventListener('click', () => onOpen(i));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(i);
        }
      });
    }
    body.append(tr);
  });
  t.append(body);
  return t;
}
