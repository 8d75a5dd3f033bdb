// The auditlake CLI as a child-process entry for tests, from src (tsx) or dist alike:
// spawnHelper('auditlake-cli', ['ingest', dir]) or runCli([...]) from ./cli.ts.
import { run } from '../../src/cli/main.js';

await run(process.argv);
