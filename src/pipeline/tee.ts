import { PassThrough, type Readable } from 'node:stream';

/**
 * Splits one stream into two with shared backpressure: the source pauses until *both* branches
 * have room, so a slow evidence copy slows the decode instead of buffering the object in memory.
 * An error on the source is passed to both branches; a branch its consumer destroyed is dropped
 * (the other one keeps flowing).
 */
export function tee(source: Readable, highWaterMark = 1 << 20): [Readable, Readable] {
  const branches = [new PassThrough({ highWaterMark }), new PassThrough({ highWaterMark })];
  let waiting = new Set<PassThrough>();
  const release = (b: PassThrough) => {
    if (waiting.delete(b) && waiting.size === 0) source.resume();
  };
  source.on('data', (chunk: Buffer) => {
    for (const b of branches) {
      if (b.destroyed) continue;
      if (!b.write(chunk) && !waiting.has(b)) {
        waiting.add(b);
        b.once('drain', () => release(b));
      }
    }
    if (waiting.size > 0) source.pause();
  });
  source.on('end', () => {
    for (const b of branches) if (!b.destroyed) b.end();
  });
  source.on('error', (err) => {
    for (const b of branches) b.destroy(err);
  });
  for (const b of branches) {
    b.on('close', () => {
      release(b);
      if (branches.every((x) => x.destroyed) && !source.readableEnded) source.destroy();
    });
  }
  waiting = new Set();
  return [branches[0], branches[1]];
}
