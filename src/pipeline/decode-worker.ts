/**
 * Worker-thread side of the decode pool (decode-pool.ts): gunzip + parse one object at a time,
 * off the main thread, which is left to feed the lake. Flow control both ways keeps memory bounded:
 * the main thread sends at most a few MB of compressed input ahead ('consumed' frees window), and
 * this side stops decoding when RESULT_CREDITS result messages are still unprocessed ('credit').
 */
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { AuditlakeError } from '../core/errors.js';
import { createDecoder } from '../formats/decoder.js';
import type { DecodeResult, ObjectKeyInfo } from '../formats/types.js';
import { decompressed, isCorruptData } from './decompress.js';
import type { ToMain, ToWorker } from './decode-protocol.js';
import { RESULT_CREDITS, RESULTS_PER_MESSAGE } from './decode-protocol.js';

const port = parentPort;
if (!port) throw new Error('decode-worker must run in a worker thread');

let input: Readable | undefined;
let credits = RESULT_CREDITS;
let creditWaiter: (() => void) | undefined;
const post = (m: ToMain) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'begin':
      input = new Readable({ read() {} });
      credits = RESULT_CREDITS;
      void run(m.info, input);
      break;
    case 'chunk':
      input?.push(Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength));
      break;
    case 'end':
      input?.push(null);
      break;
    case 'credit':
      credits++;
      creditWaiter?.();
      creditWaiter = undefined;
      break;
  }
});

async function run(info: ObjectKeyInfo, src: Readable): Promise<void> {
  let bytesOut = 0;
  let out: DecodeResult[] = [];
  const flush = async () => {
    while (credits <= 0) await new Promise<void>((r) => (creditWaiter = r));
    credits--;
    post({ t: 'results', results: out, bytesOut });
    out = [];
  };
  try {
    const decoder = createDecoder(info);
    for await (const chunk of decompressed(src, (n) => post({ t: 'consumed', n }))) {
      bytesOut += (chunk as Buffer).length;
      for (const r of decoder.push(chunk as Buffer)) out.push(r);
      if (out.length >= RESULTS_PER_MESSAGE) await flush();
    }
    for (const r of decoder.end()) out.push(r);
    if (out.length) await flush();
    post({ t: 'done', bytesOut });
  } catch (err) {
    if (out.length) await flush().catch(() => undefined);
    post({
      t: 'error',
      kind: isCorruptData(err) ? 'corrupt' : err instanceof AuditlakeError && err.code === 'E_PARSE' ? 'parse' : 'other',
      code: (err as { code?: string }).code ?? '',
      message: err instanceof Error ? err.message : String(err),
      bytesOut,
    });
  }
}
