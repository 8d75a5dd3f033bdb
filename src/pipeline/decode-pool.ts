import { Worker } from 'node:worker_threads';
import { AuditlakeError } from '../core/errors.js';
import type { DecodeRunner } from '../transforms/decode/decode-in-process.js';
import { INPUT_WINDOW, type ToMain, type ToWorker } from '../transforms/decode/decode-protocol.js';
import { SourceReadError } from '../transforms/decode/decompress.js';

/**
 * Default: decode on the main thread (0 workers). Measured here (534 MB of generated logs, 2 cores): with
 * workers that encode for the lake (encode-events.ts), the main thread only appends CSV bytes, but the one
 * worker then does exactly the work the main thread did (gunzip + parse + encode is the critical path
 * either way), so 1 worker is no faster and adds ~40 MB RSS; 2 workers are up to ~10 % faster when both
 * cores are free but add ~120 MB RSS (two objects in flight), past the 300 MB budget. Without an encoding
 * lake, workers cost as much main-thread time to receive the events (structured clone) as they save.
 */
export function defaultWorkerCount(): number {
  return 0;
}

interface Slot {
  worker: Worker;
  onMessage?: (m: ToMain) => void;
}

export interface DecodePool {
  /** Same contract as decodeInProcess, with gunzip + parse on a worker thread. */
  decode: DecodeRunner;
  close(): Promise<void>;
}

/**
 * Worker threads that gunzip and parse objects while the main thread writes the lake, so the
 * two halves of ingest run on both cores. The main thread still reads the store (it owns the
 * connection, the evidence tee and the progress counters) and forwards compressed chunks.
 */
export function createDecodePool(size: number): DecodePool {
  // Under tsx (tests from src/) the worker is the .ts file; compiled, it is the .js beside this one.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const workerUrl = new URL(`./decode-worker${ext}`, import.meta.url);
  const idle: Slot[] = [];
  const waiters: ((s: Slot) => void)[] = [];
  const all = new Set<Slot>();
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: ext === '.ts' ? tsxWorker(workerUrl) : new Worker(workerUrl) };
    const fail = (message: string) =>
      slot.onMessage?.({ t: 'error', kind: 'other', code: '', message, bytesOut: 0 });
    slot.worker.on('message', (m: ToMain) => slot.onMessage?.(m));
    slot.worker.on('error', (err) => fail(`decode worker failed: ${err.message}`));
    slot.worker.on('exit', (code) => {
      all.delete(slot);
      if (!closed) fail(`decode worker exited unexpectedly (code ${code})`);
    });
    all.add(slot);
    return slot;
  }
  for (let i = 0; i < size; i++) idle.push(spawn());

  async function acquire(): Promise<Slot> {
    if (closed) throw new AuditlakeError('E_INTERNAL', 'decode pool: used after close');
    return idle.pop() ?? new Promise((resolve) => waiters.push(resolve));
  }
  function release(slot: Slot) {
    slot.onMessage = undefined;
    const w = waiters.shift();
    if (w) w(slot);
    else idle.push(slot);
  }
  /** A worker left mid-object (consumer stopped, source failed) is replaced, not reused. */
  function replace(slot: Slot): Slot {
    slot.onMessage = undefined;
    all.delete(slot);
    void slot.worker.terminate();
    return spawn();
  }

  const decode: DecodeRunner = async function* (source, info, counters, encode, limits) {
    const slot = await acquire();
    const send = (m: ToWorker) => slot.worker.postMessage(m);
    const queue: ToMain[] = [];
    let wake: (() => void) | undefined;
    let windowOpen: (() => void) | undefined;
    let inflight = 0;
    let feedError: unknown;
    let stopped = false;
    let clean = false;
    slot.onMessage = (m) => {
      if (m.t === 'consumed') {
        inflight -= m.n;
        if (inflight <= INPUT_WINDOW) windowOpen?.();
      } else {
        queue.push(m);
        wake?.();
      }
    };
    send({ t: 'begin', info, ...(encode ? { sidBase: encode.sidBase } : {}), ...(limits ? { limits } : {}) });
    void (async () => {
      try {
        for await (const chunk of source) {
          if (stopped) return;
          const buf = chunk as Buffer;
          counters.bytesIn += buf.length;
          send({ t: 'chunk', buf }); // structured clone copies: never transfer a pooled ArrayBuffer
          inflight += buf.length;
          while (inflight > INPUT_WINDOW && !stopped) await new Promise<void>((r) => (windowOpen = r));
        }
        if (!stopped) send({ t: 'end' });
      } catch (err) {
        feedError = new SourceReadError(err);
        wake?.();
      }
    })();
    let current = slot;
    try {
      for (;;) {
        while (queue.length === 0 && !feedError) await new Promise<void>((r) => (wake = r));
        if (feedError) throw feedError;
        const m = queue.shift() as ToMain;
        if (m.t === 'results' || m.t === 'encoded') {
          counters.bytesOut = m.bytesOut;
          yield m.results;
          send({ t: 'credit' });
        } else if (m.t === 'done') {
          counters.bytesOut = m.bytesOut;
          clean = true;
          return;
        } else if (m.t === 'error') {
          counters.bytesOut = m.bytesOut;
          clean = m.kind !== 'other';
          throw workerError(m);
        }
      }
    } finally {
      stopped = true;
      windowOpen?.();
      if (!clean) {
        source.destroy();
        current = replace(slot);
      }
      if (!closed) release(current);
    }
  };

  return {
    decode,
    async close() {
      closed = true;
      await Promise.all([...all].map((s) => s.worker.terminate()));
      all.clear();
    },
  };
}

/**
 * Tests run the sources through tsx, whose loader is registered in the main thread only;
 * a .ts worker registers it again before importing the worker module.
 */
function tsxWorker(url: URL): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true });
}

function workerError(m: Extract<ToMain, { t: 'error' }>): Error {
  if (m.kind === 'parse') return new AuditlakeError('E_PARSE', m.message);
  if (m.kind === 'corrupt') return Object.assign(new Error(m.message), { code: m.code });
  return new AuditlakeError('E_INTERNAL', `ingest: ${m.message}`);
}
