/**
 * RFC 4180 CSV as PostgreSQL's csvlog and pgaudit write it: a field is quoted when it contains `"`, `,` or a
 * newline; `""` inside quotes is one quote; quoted fields may span lines. Empty unquoted field = NULL (we return '').
 */

/** Parses one CSV row (the whole text is one record; newlines inside quotes are kept). */
export function parseCsvRow(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 0x22) {
        if (text.charCodeAt(i + 1) === 0x22) {
          field += '"';
          i++;
        } else inQuote = false;
      } else field += text[i];
      continue;
    }
    if (c === 0x22) inQuote = true;
    else if (c === 0x2c) {
      out.push(field);
      field = '';
    } else if (c === 0x0a && i === text.length - 1) break; // trailing record terminator
    else if (c === 0x0d && i >= text.length - 2) continue;
    else field += text[i];
  }
  out.push(field);
  return out;
}
