// Child process for recovery tests: runs the live collector (library, not the CLI) until SIGTERM, so the parent can
// kill -9 it at random moments. argv: <config.yaml> <home dir>. Prints "ready" once the buffers are open.
import { resolveHome } from '../../src/core/home.js';
import { loadCollectConfig } from '../../src/config/collect.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';
import { runCollect } from '../../src/pipeline/run-collect.js';

const [config, homeDir] = process.argv.slice(2);
const home = resolveHome(homeDir);
const lake = await openHomeLake(home);
let stop: () => void = () => {};
const stopSignal = new Promise<void>((r) => (stop = r));
process.once('SIGTERM', () => stop());
const stats = await runCollect(loadCollectConfig(config), home, lake, {
  stopSignal,
  onRecovery: (n) => process.stderr.write(`recovered: ${n.join('; ')}\n`),
  onReady: () => process.stdout.write('ready\n'),
});
await lake.close();
process.stdout.write(JSON.stringify(stats) + '\n');
