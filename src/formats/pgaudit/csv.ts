/**
 * RFC 4180 CSV as PostgreSQL's csvlog and pgaudit write it: a field is quoted when it contains `"`, `,` or a
 * newline; `""` inside quotes is one quote; quoted fields may span lines. Empty unquoted field = NULL (we return '').
 */

/**
 * Parses one CSV row (the whole text is one record; newlines inside quotes are kept; a trailing record terminator
 * is ignored). Scans with indexOf/slice rather than per character: this runs on every record the collector reads.
 */
export function parseCsvRow(text: string): string[] {
  const out: string[] = [];
  let end = text.length;
  if (text.charCodeAt(end - 1) === 0x0a) end--;
  if (text.charCodeAt(end - 1) === 0x0d) end--;
  let i = 0;
  for (;;) {
    let val = '';
    if (text.charCodeAt(i) === 0x22) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0 || q >= end) {
          // unterminated quote: take the rest (a truncated record still yields its fields)
          val += text.slice(j, end);
          i = end;
          break;
        }
        if (text.charCodeAt(q + 1) === 0x22) {
          val += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        val += text.slice(j, q);
        i = q + 1;
        break;
      }
    }
    const c = text.indexOf(',', i);
    if (c < 0 || c >= end) {
      out.push(val + text.slice(i, end));
      return out;
    }
    out.push(val + text.slice(i, c));
    i = c + 1;
  }
}
