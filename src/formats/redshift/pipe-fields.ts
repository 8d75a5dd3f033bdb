/**
 * Shared encoding of Redshift's `|`-separated logs (connection log, user log), Observed in real files
 * (research/formats.md A.4): no quoting or escaping; character-typed fields are written followed by one space
 * (an empty one is a single space); integer and timestamp fields are unpadded; no trailing delimiter.
 */

/** How a field is written: `char` = value + one space; `bare` = value as is (integers, timestamps). */
export type FieldKind = 'char' | 'bare';

/** The canonical text of one field. */
export function encodeField(value: string, kind: FieldKind): string {
  return kind === 'char' ? value + ' ' : value;
}

/**
 * Exact original text of the fields whose bytes differ from the canonical encoding, by 0-based field index
 * (e.g. a 19-field 2020 line ending in an empty, unpadded `|`, or a zero-padded day `Sun, 01 Jan 2023`).
 * Parsers fill it so that render(parse(line)) === line; producers leave it out.
 */
export type Verbatim = Record<number, string>;

/** Joins canonical field texts, replacing any that `verbatim` overrides. */
export function joinFields(texts: string[], verbatim: Verbatim | undefined): string {
  if (verbatim) {
    for (const k of Object.keys(verbatim)) {
      const i = Number(k);
      if (i < texts.length) texts[i] = verbatim[i];
    }
  }
  return texts.join('|');
}

/** Right-trims a raw field (spaces, tabs, a stray CR): the value; the exact bytes stay in Verbatim if needed. */
export function trimField(raw: string): string {
  const last = raw.length - 1;
  // Fast path: the common case is exactly one trailing space or none.
  if (last < 0) return raw;
  const c = raw.charCodeAt(last);
  if (c > 32) return raw;
  if (c === 32 && (last === 0 || raw.charCodeAt(last - 1) > 32)) return raw.slice(0, last);
  return raw.trimEnd();
}

/** True when `s` is a non-empty run of ASCII digits. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
