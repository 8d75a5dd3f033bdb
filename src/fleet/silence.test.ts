import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silenceStep } from './silence.js';

test('silence: one alert per episode, resumed re-arms, long silence does not re-alert', () => {
  const limitMs = 60 * 60_000;
  let alertedAt: number | undefined;
  let last = 0;
  const kinds: string[] = [];
  // a minute-by-minute clock over 5 h: silence, real records at 3 h, silence again
  for (let t = 0; t <= 5 * 3600_000; t += 60_000) {
    if (t === 3 * 3600_000) last = t;
    const s = silenceStep({ now: t, lastRecordAt: last, limitMs, alertedAt });
    if (s.kind === 'silent') alertedAt = t;
    if (s.kind === 'resumed') alertedAt = undefined;
    if (s.kind !== 'none') kinds.push(`${s.kind}@${t / 60_000}`);
  }
  assert.deepEqual(kinds, ['silent@61', 'resumed@180', 'silent@241']);
});
