/** `2026-11-24T13:00:00Z`: ISO 8601 UTC at second precision, like CloudTrail's digestEndTime. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
