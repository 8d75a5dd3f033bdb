/** Output formats of `auditlake query`. Apart from format-result.ts so `--help` does not load cli-table3. */
export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];
