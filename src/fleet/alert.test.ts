import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookSink } from '../../test/helpers/webhook-sink.js';
import { raiseAlert } from './alert.js';

const alert = { type: 'drift' as const, database: 'billing-pg', message: 'log_connections was off', time: '2026-11-24T13:00:00Z' };

test('a failing webhook is reported by its origin only: the token in its path and query stays out of stderr', async () => {
  const sink = await startWebhookSink({ path: '/services/T0/B0/XoXoSecretToken?key=abc123', status: 500 });
  try {
    const lines: string[] = [];
    await raiseAlert(alert, sink.url, (s) => lines.push(s));
    assert.deepEqual(sink.hooks, [alert]);
    const out = lines.join('');
    assert.match(out, /ALERT drift billing-pg: log_connections was off/);
    assert.match(out, new RegExp(`webhook ${new URL(sink.url).origin.replace(/\./g, '\\.')}/… answered 500`));
    assert.doesNotMatch(out, /XoXoSecretToken|abc123/);
  } finally {
    await sink.close();
  }
});

test('an unreachable webhook: the failure line names no token either', async () => {
  const lines: string[] = [];
  await raiseAlert(alert, 'http://127.0.0.1:1/hook/SuperSecretToken', (s) => lines.push(s));
  const out = lines.join('');
  assert.match(out, /webhook http:\/\/127\.0\.0\.1:1\/… failed/);
  assert.doesNotMatch(out, /SuperSecretToken/);
});
