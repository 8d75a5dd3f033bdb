/**
 * A small SQL lexer covering the dialects auditlake sees (PostgreSQL/Redshift, MariaDB/MySQL): string literals
 * (`'…'` with `''` and backslash escapes, `E'…'`, `N'…'`, `X'…'`, `B'…'`), dollar quotes (`$tag$…$tag$`), quoted
 * identifiers (`"…"`, `` `…` ``), comments (`--`, `/* … *\/` nested as PostgreSQL does), bind parameters (`$1`,
 * `?`), words and punctuation. It never fails: an unterminated literal or comment runs to the end of the text
 * (which is what redaction wants: over-redacting a truncated statement is better than leaking it).
 *
 * Backslashes always escape inside `'…'`: MySQL's default, PostgreSQL's `E''`; for a standard PostgreSQL literal
 * ending in a backslash this makes the literal run on, which again only widens what gets masked.
 */
export type SqlTokenKind = 'literal' | 'ident' | 'comment' | 'word' | 'param' | 'space' | 'punct';

export interface SqlToken {
  kind: SqlTokenKind;
  start: number;
  end: number;
}

const isWordChar = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

function quoted(text: string, i: number, q: string): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\' && q === "'") j += 2;
    else if (c === q) {
      if (text[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return text.length;
}

function blockComment(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return text.length;
}

/** `$tag$` at i (tag empty or an identifier), or undefined. */
function dollarTag(text: string, i: number): string | undefined {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 66));
  return m?.[0];
}

/** One token starting at i. */
function next(text: string, i: number): SqlToken {
  const c = text[i];
  const at = (kind: SqlTokenKind, end: number): SqlToken => ({ kind, start: i, end });
  if (/\s/.test(c)) {
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j])) j++;
    return at('space', j);
  }
  if (c === "'") return at('literal', quoted(text, i, "'"));
  if (/[EeNnXxBb]/.test(c) && text[i + 1] === "'") return at('literal', quoted(text, i + 1, "'"));
  if (c === '"' || c === '`') return at('ident', quoted(text, i, c));
  if (c === '-' && text[i + 1] === '-') {
    const nl = text.indexOf('\n', i);
    return at('comment', nl === -1 ? text.length : nl);
  }
  if (c === '/' && text[i + 1] === '*') return at('comment', blockComment(text, i));
  if (c === '$') {
    if (/\d/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /\d/.test(text[j])) j++;
      return at('param', j);
    }
    const tag = dollarTag(text, i);
    if (tag) {
      const close = text.indexOf(tag, i + tag.length);
      return at('literal', close === -1 ? text.length : close + tag.length);
    }
  }
  if (c === '?') return at('param', i + 1);
  if (isWordChar(c)) {
    let j = i + 1;
    while (j < text.length && isWordChar(text[j])) j++;
    return at('word', j);
  }
  return at('punct', i + 1);
}

export function tokenizeSql(text: string): SqlToken[] {
  const out: SqlToken[] = [];
  for (let i = 0; i < text.length; ) {
    const t = next(text, i);
    out.push(t);
    i = t.end;
  }
  return out;
}
