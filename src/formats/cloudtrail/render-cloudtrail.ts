/**
 * Renders a CloudTrail log file body exactly as CloudTrail writes it: `{"Records":[{…},{…}]}`, compact,
 * no trailing newline. Each record is either an object (serialised with JSON.stringify) or a string
 * holding the record's JSON text verbatim — pass the parser's `text` to reproduce a file byte for byte
 * (JSON.stringify would normalise escapes such as `\u003c` that CloudTrail writes).
 */
export function renderCloudTrailFile(records: Iterable<object | string>): string {
  const parts: string[] = [];
  for (const r of records) parts.push(typeof r === 'string' ? r : JSON.stringify(r));
  return `{"Records":[${parts.join(',')}]}`;
}
