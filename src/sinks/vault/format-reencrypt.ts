import type { ReencryptReport } from './reencrypt.js';

/** The printed proof: one line per object (full SHA-256 before and after), then counts, set hashes and verdict. */
export function formatReencryptReport(r: ReencryptReport): string {
  const out: string[] = [];
  out.push(`reencrypt: ${r.mode === 'rewrap' ? 'rewrap data keys' : 're-encrypt with fresh data keys'} to ${r.to} (${r.toKeyId})${r.from ? `, objects under ${r.from}` : ''}; resumed: ${r.resumed ? 'yes' : 'no'}`);
  out.push('KEY\tSHA-256 BEFORE\tSHA-256 AFTER\tKEY AFTER\tSTATUS');
  for (const o of r.objects) {
    out.push(`${o.key}\t${o.sha256Before ?? '-'}\t${o.sha256After ?? '-'}\t${o.keyIdAfter ?? '-'}\t${o.status}${o.reason ? ` (${o.reason})` : ''}`);
  }
  const bad = r.objects.filter((o) => o.status !== 'match').length;
  out.push(`objects before: ${r.countBefore}   after: ${r.countAfter}   ${r.mode === 'rewrap' ? 'rewrapped' : 're-encrypted'}: ${r.changed}   differing: ${bad}`);
  out.push(`set SHA-256 before: ${r.setSha256Before}`);
  out.push(`set SHA-256 after:  ${r.setSha256After}`);
  out.push(r.ok
    ? `result: VERIFIED — ${r.countAfter} objects, every plaintext SHA-256 identical before and after`
    : `result: REFUSED — ${bad} object(s) differ or could not be read; their old copies are kept`);
  out.push(`report: ${r.journal}.report.json`);
  return out.join('\n') + '\n';
}
