import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo-root.js';
import { resolveHome } from '../../src/core/home.js';
import { parseCollectConfig } from '../../src/config/collect.js';
import { createCollector } from '../../src/pipeline/collector.js';
import { openHomeLake } from '../../src/cli/open-home-lake.js';

const fixture = join(repoRoot, 'test/fixtures/server-audit/server_audit.log.1');

async function count(home: ReturnType<typeof resolveHome>): Promise<[number, number]> {
  const lake = await openHomeLake(home);
  try {
    const r = await lake.query('SELECT count(*), count(DISTINCT event_id) FROM events');
    return [Number(r.rows[0][0]), Number(r.rows[0][1])];
  } finally {
    await lake.close();
  }
}

test('crash between lake commit and ack: the intent is found committed and acknowledged, nothing re-sent', async () => {
  const work = mkdtempSync(join(tmpdir(), 'intent-'));
  try {
    const log = join(work, 'server_audit.log');
    copyFileSync(fixture, log);
    const cfg = parseCollectConfig(`sources:\n  - name: m\n    type: mariadb\n    log: ${log}\n`);
    const home = resolveHome(join(work, 'home'));
    let lake = await openHomeLake(home);
    let c = await createCollector(cfg, home, lake);
    await c.tick(true);
    const delivered = c.stats().delivered;
    assert.ok(delivered > 50);
    // a second collector on the same buffer is refused while the first one lives
    await assert.rejects(createCollector(cfg, home, lake), /already being collected by process/);
    await c.stop();
    await lake.close();
    // simulate the crash window: the lake has the batch, but ack.json still says 0 and the intent is on disk
    const buf = join(home.buffer, 'm');
    const ack = JSON.parse(readFileSync(join(buf, 'ack.json'), 'utf8')) as { seq: number };
    writeFileSync(join(buf, 'intent.json'), JSON.stringify({ from: 1, to: ack.seq }));
    writeFileSync(join(buf, 'ack.json'), JSON.stringify({ seq: 0 }));
    lake = await openHomeLake(home);
    c = await createCollector(cfg, home, lake);
    assert.match(c.recovery.join('\n'), /had committed before the crash; acknowledged/);
    await c.tick(true);
    assert.equal(c.stats().delivered, 0);
    await c.stop();
    await lake.close();
    assert.deepEqual(await count(home), [delivered, delivered]);

    // a record appended later is buffered and flushed by stop() (the SIGTERM path); a torn WAL tail is cut on open
    appendFileSync(log, '20261122 23:59:59,vm,root,localhost,99,999,QUERY,,\'SELECT 42\',0\n');
    lake = await openHomeLake(home);
    c = await createCollector(cfg, home, lake);
    await c.tick(false); // buffered, not yet due (maxDelayMs 1000)
    await c.stop().catch(() => {});
    await lake.close();
    assert.deepEqual(await count(home), [delivered + 1, delivered + 1]);
    const seg = join(buf, 'seg-000000000001.wal');
    appendFileSync(seg, '0000ffff 00000000 {"torn'); // a crash mid-append
    truncateSync(seg, statSync(seg).size);
    lake = await openHomeLake(home);
    c = await createCollector(cfg, home, lake);
    assert.match(c.recovery.join('\n'), /torn record/);
    await c.stop();
    await lake.close();
    assert.deepEqual(await count(home), [delivered + 1, delivered + 1]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
