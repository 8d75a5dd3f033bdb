/**
 * Worker-thread side of the decode pool (decode-pool.ts): gunzip + parse one object at a time,
 * off the main thread, which is left to feed the lake. Flow control both ways keeps memory bounded:
 * the main thread sends at most a few MB of compressed input ahead ('consumed' frees window), and
 * this side stops decoding when RESULT_CREDITS result messages are still unprocessed ('credit').
 * With `sidBase` in 'begin' it also encodes the events as lake CSV rows (runEncoded).
 */
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { AuditlakeError } from '../core/errors.js';
import { createDecoder } from '../formats/decoder.js';
import type { DecodeResult, ObjectKeyInfo } from '../core/decode.js';
import { expectsGzip } from '../transforms/decode/decode-in-process.js';
import { decompressed, isCorruptData, type DecompressOptions } from '../transforms/decode/decompress.js';
import type { ToMain, ToWorker } from '../transforms/decode/decode-protocol.js';
import { ENCODED_BYTES_PER_MESSAGE, RESULT_CREDITS, RESULTS_PER_MESSAGE, type EncodedResults } from '../transforms/decode/decode-protocol.js';
import { createEventEncoder } from '../sinks/lake/writer/encode-events.js';

const port = parentPort;
if (!port) throw new AuditlakeError('E_INTERNAL', 'decode-worker must run in a worker thread');

let input: Readable | undefined;
let credits = RESULT_CREDITS;
let creditWaiter: (() => void) | undefined;
const post = (m: ToMain, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'begin':
      input = new Readable({ read() {} });
      credits = RESULT_CREDITS;
      {
        const opts: DecompressOptions = { expectGzip: expectsGzip(m.info), ...(m.limits ? { limits: m.limits } : {}) };
        void (m.sidBase === undefined ? run(m.info, input, opts) : runEncoded(m.info, input, m.sidBase, opts));
      }
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

const waitCredit = async () => {
  while (credits <= 0) await new Promise<void>((r) => (creditWaiter = r));
  credits--;
};

function errorMessageOf(err: unknown, bytesOut: number): ToMain {
  return {
    t: 'error',
    kind: isCorruptData(err) ? 'corrupt' : err instanceof AuditlakeError && err.code === 'E_PARSE' ? 'parse' : 'other',
    code: (err as { code?: string }).code ?? '',
    message: err instanceof Error ? err.message : String(err),
    bytesOut,
  };
}

/**
 * Encoded mode: events become lake CSV bytes here (encode-events.ts) and cross to the main thread as one
 * transferred buffer per ~1 MB, so the main thread's per-event work disappears.
 */
async function runEncoded(info: ObjectKeyInfo, src: Readable, sidBase: number, opts: DecompressOptions): Promise<void> {
  let bytesOut = 0;
  const enc = createEventEncoder(sidBase);
  let records = 0;
  let byLogType: Record<string, number> = {};
  let malformed: EncodedResults['malformed'] = [];
  let lastLine = 0;
  const take = (r: DecodeResult[]) => {
    for (const d of r) {
      records++;
      if (d.kind === 'event') {
        enc.add(d.event);
        byLogType[d.event.logType] = (byLogType[d.event.logType] ?? 0) + 1;
        lastLine = d.event.sourceLine;
      } else {
        malformed.push({ line: d.line, reason: d.reason, raw: d.raw });
        lastLine = d.line;
      }
    }
  };
  const flush = async () => {
    await waitCredit();
    const results: EncodedResults = { enc: enc.take(), records, byLogType, malformed, lastLine };
    records = 0;
    byLogType = {};
    malformed = [];
    post({ t: 'encoded', results, bytesOut }, [results.enc.csv.buffer as ArrayBuffer]);
  };
  try {
    const decoder = createDecoder(info);
    for await (const chunk of decompressed(src, (n) => post({ t: 'consumed', n }), opts)) {
      bytesOut += (chunk as Buffer).length;
      take(decoder.push(chunk as Buffer));
      if (enc.bytes >= ENCODED_BYTES_PER_MESSAGE || malformed.length >= RESULTS_PER_MESSAGE) await flush();
    }
    take(decoder.end());
    if (records > 0) await flush();
    post({ t: 'done', bytesOut });
  } catch (err) {
    // What decoded before the failure is kept (the main thread quarantines the rest).
    if (records > 0) await flush().catch(() => undefined);
    post(errorMessageOf(err, bytesOut));
  }
}

async function run(info: ObjectKeyInfo, src: Readable, opts: DecompressOptions): Promise<void> {
  let bytesOut = 0;
  let out: DecodeResult[] = [];
  const flush = async () => {
    await waitCredit();
    post({ t: 'results', results: out, bytesOut });
    out = [];
  };
  try {
    const decoder = createDecoder(info);
    for await (const chunk of decompressed(src, (n) => post({ t: 'consumed', n }), opts)) {
      bytesOut += (chunk as Buffer).length;
      for (const r of decoder.push(chunk as Buffer)) out.push(r);
      if (out.length >= RESULTS_PER_MESSAGE) await flush();
    }
    for (const r of decoder.end()) out.push(r);
    if (out.length) await flush();
    post({ t: 'done', bytesOut });
  } catch (err) {
    if (out.length) await flush().catch(() => undefined);
    post(errorMessageOf(err, bytesOut));
  }
}
