// The bench sections, run in this order. Each module's default export is
//   { name: 'short-id', title: 'what it measures', run: async (ctx) => ({ lines: string[], results: object }) }
// ctx: { root, dist, tmp, benchMb, input(): Promise<{dir, files, bytes, records}> (generated once, shared) }.
// Later issues add sections here (vault verify throughput, encryption overhead, DB freshness, report render).
export const SECTIONS = ['./ingest.mjs', './lake-shape.mjs', './vault.mjs', './verify.mjs', './report.mjs', './freshness.mjs', './serve.mjs', './ocsf-export.mjs'];
