/**
 * Secret redaction for statement text and raw records.
 *
 * Runs on every statement, so it starts with one cheap case-insensitive pre-check: text that
 * mentions none of the trigger words (password, identified, secret, token, credentials,
 * symmetric, `scheme://user:pw@`) is returned unchanged without running
 * the heavier patterns. When a trigger is present each pattern replaces only the secret
 * value by `'***'` (keeping the quote style of the surrounding record) and leaves the rest of
 * the statement intact, so analysts still see `CREATE USER alice PASSWORD '***' VALID UNTIL …`.
 *
 * Over-redaction is preferred to leaking: an unterminated literal after a secret keyword is
 * redacted to the end of the text.
 */

import { isRemovedMarker, isSecretKey, SECRET_KEY_WORDS } from './secret-keys.js';

const MASK = '***';

/** Cheap gate: none of these words → nothing to do. */
const TRIGGER = /pass|identified|secret|token|credentials|symmetric|:\/\/[^\s/@]*@/i;
/**
 * A 40-char AWS secret key written right after its AKIA/ASIA key id (CSV, env dumps, key:secret). Checked on
 * its own, case-sensitively: key ids alone are common (every CloudTrail record made with temporary credentials
 * has one) and must not send all such text through the full rule set.
 */
const KEY_PAIR = /(\b(?:AKIA|ASIA)[A-Z0-9]{16}[\s,;:|"'=]{1,4})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/g;

/**
 * One secret value, in every quoting style seen in audit records, tried in this order:
 * 1. `''pw''`   a literal nested inside another literal (`EXECUTE 'ALTER ROLE x PASSWORD ''pw'''`)
 * 2. `\'pw\'`   backslash-escaped quotes (MariaDB server_audit wraps the query in '…' and escapes)
 * 3. `\"pw\"`   a JSON-escaped double-quoted literal (SQL inside a JSON string)
 * 4. `'p''w'`   a standard literal with doubled quotes (optionally E'…' / N'…', backslash escapes)
 * 5. `'pw\'`    a standard literal whose trailing backslash is not an escape (standard_conforming_strings)
 * 6. `"pw"`     double-quoted (MySQL `PASSWORD "pw"`)
 * 7. `$tag$pw$tag$` dollar quoting (PostgreSQL)
 * 8. `'pw…`     an unterminated literal (a truncated statement): everything to the end (also `"pw…`)
 */
const VALUE =
  String.raw`(?:''(?:[^']|'''')+''` +
  String.raw`|\\'(?:(?!\\')[\s\S])*\\'` +
  String.raw`|\\"(?:(?!\\")[\s\S])*\\"` +
  String.raw`|[EeNn]?'(?:[^'\\]|''|\\[\s\S])*'` +
  String.raw`|'[^']*'` +
  String.raw`|"(?:[^"\\]|""|\\[\s\S])*"` +
  String.raw`|\$(?<tag>[A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\k<tag>\$` +
  String.raw`|'[\s\S]*$|"[\s\S]*$)`;

/** Replace a matched literal by the mask, keeping its quoting so the record stays well-formed. */
function maskLiteral(lit: string): string {
  if (lit.startsWith("''")) return `''${MASK}''`;
  if (lit.startsWith("\\'")) return `\\'${MASK}\\'`;
  if (lit.startsWith('\\"')) return `\\"${MASK}\\"`;
  if (lit.startsWith('"')) return `"${MASK}"`;
  if (lit.startsWith('$')) return `'${MASK}'`;
  return `'${MASK}'`;
}

interface Rule {
  /** Lower-case words of which at least one must occur for the rule to run (cheap `includes` gate). */
  gate: readonly string[];
  re: RegExp;
  /** Group 1 is always kept (the keyword part); group `secretGroup` (default 2) is the secret. */
  mask: (secret: string, keep: string) => string;
  secretGroup?: number;
}

const literalRule = (gate: readonly string[], prefix: string): Rule => ({
  gate,
  re: new RegExp(`(${prefix})(${VALUE})`, 'gi'),
  mask: maskLiteral,
});

/**
 * The rules, built twice: for plain text (`WS` = `\s`, `B` = `\b`) and for text holding backslashes, where
 * WS also matches the `\n` `\r` `\t` escapes of JSON text (a statement inside a JSON log line keeps its
 * newlines as two characters) and B also holds right after such an escape. The escape-aware patterns are
 * about a quarter slower, and almost no SQL statement contains a backslash.
 *
 * Patterns start on the keyword itself (no leading `\w*`), so the regex engine only tries positions where
 * the keyword's first letter is; that keeps text with a trigger word at tens of MB/s.
 */
function buildRules(WS: string, B: string): Rule[] {
  return [
    // PASSWORD 'x', PASSWORD('x'), PASSWORD = 'x', ENCRYPTED PASSWORD 'md5…', OPTIONS (password 'x'),
    // IDENTIFIED BY PASSWORD '*hash'. `\b` keeps `mysql_native_password` from matching.
    // `(?!…)`: `"password": …` / `'password': …` is a key, handled by the member rules below.
    literalRule(['password'], String.raw`${B}password(?!\\?["']\s*[:=,}\]])${WS}*(?:=${WS}*)?(?:\(${WS}*)?`),
    // Members with a quoted value: 'password': 'x', password: "x", db_password = 'x' (YAML, dicts, configs).
    {
      ...literalRule(['passw', 'passwd', 'secret_access_key', 'session_token'], String.raw`(?:password|passwd|secret_access_key|session_token)\\?['"]?\s*[:=]\s*`),
      // CloudTrail's own markers ("HIDDEN_DUE_TO_SECURITY_REASONS") say the value was never logged: keep them.
      mask: (secret) => (/^["']/.test(secret) && isRemovedMarker(secret.slice(1, -1)) ? secret : maskLiteral(secret)),
    },
    // IDENTIFIED BY 'x', IDENTIFIED WITH plugin BY 'x', IDENTIFIED VIA ed25519 USING 'x' / AS 'hash'.
    literalRule(['identified'], String.raw`${B}identified\b(?:${WS}+(?:with|via)${WS}+[\w'"]+)?${WS}+(?:by|using|as)${WS}+`),
    // ALTER USER … IDENTIFIED BY 'new' REPLACE 'old' (MySQL: the old password).
    literalRule(['replace'], String.raw`${B}identified\b[^;]*?${B}replace${WS}+`),
    // SET PASSWORD FOR 'u'@'h' = 'x' (MySQL 8 form, no PASSWORD() call).
    literalRule(['password'], String.raw`${B}set${WS}+password\b[^=;]*=${WS}*`),
    // Redshift COPY/UNLOAD: SECRET_ACCESS_KEY 'x', SESSION_TOKEN 'x', MASTER_SYMMETRIC_KEY 'x'
    // (ACCESS_KEY_ID and IAM_ROLE are identifiers, not secrets, and stay).
    literalRule(['secret_access_key', 'session_token', 'master_symmetric_key'], String.raw`${B}(?:secret_access_key|session_token|master_symmetric_key)${WS}*(?:=${WS}*)?`),
    // Key=value secrets anywhere: MASTER_PASSWORD=x, password=x (libpq conninfo), aws_secret_access_key=x,
    // and inside CREDENTIALS 'aws_access_key_id=…;aws_secret_access_key=…;token=…'.
    {
      gate: ['password', 'secret_access_key', 'session_token', 'master_symmetric_key', 'token'],
      re: /(password\s*=\s*(?!password\b)(?!\*\*\*)|(?:secret_access_key|session_token|master_symmetric_key)\s*[=:]\s*|;\s*token\s*=\s*)([^\s'";,)&\\]+)/gi,
      mask: () => MASK,
    },
    // JSON members: "masterUserPassword":"x", "secretAccessKey":"x", "sessionToken":"x" (CloudTrail raw).
    // Names that only talk about a secret ("passwordLastUsed") and CloudTrail's own markers are kept.
    {
      gate: ['pass', 'secret', 'token', 'private'],
      re: new RegExp(String.raw`("([\w-]*(?:${SECRET_KEY_WORDS})[\w-]*)"\s*:\s*)("(?:[^"\\]|\\.)*")`, 'gi'),
      mask: (secret, keep) => {
        const name = /"([^"]*)"/.exec(keep)?.[1] ?? '';
        return !isSecretKey(name) || isRemovedMarker(secret.slice(1, -1)) ? secret : `"${MASK}"`;
      },
      secretGroup: 3,
    },
    // scheme://user:secret@host
    { gate: ['://'], re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:)([^\s@'"/]+)(?=@)/gi, mask: () => MASK },
  ];
}

const PLAIN_RULES = buildRules(String.raw`\s`, String.raw`\b`);
const ESCAPED_RULES = buildRules(String.raw`(?:\s|\\[nrt])`, String.raw`(?:\b|(?<=\\[nrt]))`);

/**
 * Returns `text` with every secret value replaced by `'***'` (or `***` where the value was
 * unquoted); everything else is kept byte for byte. Idempotent: redacting twice changes nothing.
 */
export function redactSecrets(text: string): string {
  // `includes` first: a plain substring search is far cheaper than starting the regex.
  let out = (text.includes('AKIA') || text.includes('ASIA')) ? text.replace(KEY_PAIR, (_m, keep: string) => keep + MASK) : text;
  if (!TRIGGER.test(out)) return out;
  let lower = out.toLowerCase();
  for (const rule of out.includes('\\') ? ESCAPED_RULES : PLAIN_RULES) {
    if (!rule.gate.some((w) => lower.includes(w))) continue;
    rule.re.lastIndex = 0;
    const next = out.replace(rule.re, (...m: unknown[]) => {
      const keep = m[1] as string;
      const secret = m[rule.secretGroup ?? 2] as string;
      return keep + rule.mask(secret, keep);
    });
    if (next !== out) {
      out = next;
      lower = out.toLowerCase();
    }
  }
  return out;
}

/**
 * Cheap, conservative test: false means neither this text nor any JSON string value inside it can hold
 * something redactSecrets/redactJson would change (no trigger word, no key-id/secret pair, no `\u`
 * escape that could spell one), so callers may skip per-value redaction of a structured record.
 */
export function mayContainSecret(text: string): boolean {
  if (TRIGGER.test(text) || text.includes('\\u')) return true;
  if (!text.includes('AKIA') && !text.includes('ASIA')) return false;
  KEY_PAIR.lastIndex = 0;
  const found = KEY_PAIR.test(text);
  KEY_PAIR.lastIndex = 0;
  return found;
}

/** True when the text contains something redactSecrets would change. */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
