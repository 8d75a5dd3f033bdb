/**
 * Member names whose value is a secret wherever they appear (CloudTrail requestParameters /
 * responseElements, configs, conninfo). Names that merely talk *about* a secret (passwordLastUsed,
 * passwordResetRequired, manageMasterUserPassword, secretArn …) are excluded.
 */
export const SECRET_KEY_WORDS = 'password|passwd|secretaccesskey|secret_access_key|sessiontoken|session_token|secretstring|secretbinary|clientsecret|client_secret|privatekey|private_key|authtoken|tokenvalue';
const SECRET_KEY = new RegExp(SECRET_KEY_WORDS, 'i');
const NOT_SECRET_KEY = /lastused|reset|required|policy|expir|length|age$|reuse|enabled|manage|change|rotation|arn$|id$/i;

/** Values that already say "removed" (CloudTrail's own markers, formats.md B.5) are kept as they are. */
const REMOVED_MARKERS = new Set(['', '***', 'HIDDEN_DUE_TO_SECURITY_REASONS', '***OMITTED***', '<sensitiveDataRemoved>']);

/** True when a member with this name holds a secret value. */
export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name) && !NOT_SECRET_KEY.test(name);
}

/** True when the value is empty or already a redaction marker. */
export function isRemovedMarker(value: string): boolean {
  return REMOVED_MARKERS.has(value);
}
