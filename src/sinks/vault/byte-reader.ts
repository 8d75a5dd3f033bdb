/**
 * Pulls exact byte counts out of an async stream of chunks, holding at most one chunk plus the request.
 * Used to parse envelopes without loading an object into memory.
 */
export interface ByteReader {
  /** Exactly `n` bytes, or fewer only at end of input (caller checks). */
  read(n: number): Promise<Buffer>;
  /** True when no byte remains. */
  atEnd(): Promise<boolean>;
  /** Bytes consumed so far (for error messages). */
  readonly offset: number;
  /** Everything not consumed yet, as chunks (for copying the rest of an object unchanged). */
  rest(): AsyncGenerator<Buffer>;
}

export function createByteReader(input: AsyncIterable<Buffer | string>): ByteReader {
  const it = input[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let ended = false;
  let offset = 0;
  async function fill(n: number): Promise<void> {
    const parts: Buffer[] = [buf];
    let have = buf.length;
    while (have < n && !ended) {
      const r = await it.next();
      if (r.done) ended = true;
      else {
        const c = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        parts.push(c);
        have += c.length;
      }
    }
    if (parts.length > 1) buf = Buffer.concat(parts);
  }
  return {
    get offset() { return offset; },
    async read(n) {
      await fill(n);
      const out = buf.subarray(0, n);
      buf = buf.subarray(out.length);
      offset += out.length;
      return out;
    },
    async atEnd() {
      await fill(1);
      return buf.length === 0;
    },
    async *rest() {
      if (buf.length) {
        offset += buf.length;
        yield buf;
        buf = Buffer.alloc(0);
      }
      while (!ended) {
        const r = await it.next();
        if (r.done) ended = true;
        else {
          const c = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
          offset += c.length;
          yield c;
        }
      }
    },
  };
}
