/**
 * Incremental `\n` splitter over Buffers, for decoders fed by a stream of decompressed chunks.
 *
 * Why not readline: readline decodes and emits per line through an EventEmitter and is several times slower.
 * Here each chunk is cut at its last `\n` (a byte never inside a UTF-8 multi-byte sequence), the complete part is
 * decoded in one `toString('utf8')` call (invalid bytes become U+FFFD) and split with `indexOf`. Only the bytes
 * after the last `\n` are carried over, capped at `maxLineBytes`, so memory is bounded by chunk size + that cap.
 */

/** Called once per line, in order, without the `\n`. `lineNo` is 1-based. */
export type LineHandler = (text: string, lineNo: number, truncated: boolean) => void;

export interface LineSplitterOptions {
  /**
   * Longest line carried over between chunks, in bytes (default 32 MiB). A longer line is cut there, its rest
   * skipped up to the next `\n`, and the handler is told `truncated = true`.
   */
  maxLineBytes?: number;
}

export interface LineSplitter {
  push(chunk: Buffer): void;
  /** Flushes a last line that has no terminating `\n`. A final `\n` does not produce an empty line. */
  end(): void;
  /** Number of lines emitted so far. */
  readonly lines: number;
}

const NL = 10;

export function createLineSplitter(onLine: LineHandler, opts: LineSplitterOptions = {}): LineSplitter {
  const maxLineBytes = opts.maxLineBytes ?? 32 * 1024 * 1024;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let truncated = false;
  let lineNo = 0;

  function carry(part: Buffer): void {
    if (part.length === 0) return;
    const room = maxLineBytes - pendingBytes;
    if (room <= 0) {
      truncated = true;
      return;
    }
    if (part.length > room) {
      truncated = true;
      part = part.subarray(0, room);
    }
    // Copy: keeping a subarray would pin the whole (possibly large) source chunk in memory.
    pending.push(Buffer.from(part));
    pendingBytes += part.length;
  }

  function takePending(tail: Buffer | null): string {
    if (tail) carry(tail);
    const text =
      pending.length === 1 ? pending[0].toString('utf8') : Buffer.concat(pending, pendingBytes).toString('utf8');
    pending = [];
    pendingBytes = 0;
    return text;
  }

  function emit(text: string, cut: boolean): void {
    onLine(text, ++lineNo, cut);
  }

  return {
    push(chunk: Buffer): void {
      const first = chunk.indexOf(NL);
      if (first < 0) {
        carry(chunk);
        return;
      }
      let start = 0;
      if (pendingBytes > 0 || truncated) {
        const text = takePending(chunk.subarray(0, first));
        const cut = truncated;
        truncated = false;
        emit(text, cut);
        start = first + 1;
      }
      const last = chunk.lastIndexOf(NL);
      if (last >= start) {
        const body = chunk.toString('utf8', start, last);
        let from = 0;
        for (;;) {
          const nl = body.indexOf('\n', from);
          if (nl < 0) {
            emit(body.slice(from), false);
            break;
          }
          emit(body.slice(from, nl), false);
          from = nl + 1;
        }
      }
      carry(chunk.subarray(last + 1));
    },
    end(): void {
      if (pendingBytes > 0 || truncated) {
        const text = takePending(null);
        const cut = truncated;
        truncated = false;
        emit(text, cut);
      }
    },
    get lines(): number {
      return lineNo;
    },
  };
}
