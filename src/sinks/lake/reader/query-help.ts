import { API_COLUMNS } from '../api-columns.js';
import { VIEW_COLUMNS, VIEWS } from '../schema.js';

/** The views and their columns, as printed under a failed query. */
export function viewsHelp(): string {
  const cols = VIEW_COLUMNS.map((c) => (c === 'user' ? '"user"' : c)).join(', ');
  const views = VIEWS.map((v) => `  ${v.name.padEnd(13)} ${v.about}`).join('\n');
  const api = API_COLUMNS.map((c) => c.name).join(', ');
  return `Views:\n${views}\nColumns (every view): ${cols}\napi_calls also has: ${api}`;
}

/** A hint matched to DuckDB's message (and the SQL), or ''. */
export function hintFor(duckMessage: string, sql: string): string {
  const hints: string[] = [];
  if (/\buser\b/i.test(sql) && !/"user"/i.test(sql)) hints.push('quote the user column as "user" (USER is an SQL keyword).');
  if (/Table with name (\w+) does not exist/i.test(duckMessage)) hints.push(`query one of the views: ${VIEWS.map((v) => v.name).join(', ')}.`);
  if (/Referenced column .* not found/i.test(duckMessage)) hints.push('column names are snake_case, e.g. remote_host, error_code, source_object.');
  if (/Could not convert string .* to (TIMESTAMP|DATE)/i.test(duckMessage) || /timestamp/i.test(duckMessage)) hints.push("time is a UTC TIMESTAMP: compare with TIMESTAMP '2026-10-01 00:00:00'; date is a DATE partition column.");
  if (/Permission Error/i.test(duckMessage)) hints.push('queries only read the lake through its views; COPY, ATTACH, INSTALL, file functions outside the lake and all writes are refused.');
  if (/details/i.test(sql) && /json/i.test(duckMessage)) hints.push("details is JSON: details->>'field' gives text.");
  return hints.length ? `Hint: ${hints.join(' ')}` : '';
}

/** DuckDB's message, then the views, then a hint — what a user needs to fix the query. */
export function queryErrorMessage(duckMessage: string, sql: string): string {
  const hint = hintFor(duckMessage, sql);
  return `query: ${duckMessage.trim()}\n\n${viewsHelp()}${hint ? `\n${hint}` : ''}`;
}
