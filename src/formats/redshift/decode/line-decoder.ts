import { createLineSplitter } from '../../line-splitter.js';
import type { DecodeResult, ObjectDecoder } from '../../../core/decode.js';

/** Longest raw text kept for a malformed record (the vault keeps the original bytes). */
export const MAX_RAW_CHARS = 64 * 1024;

/**
 * An ObjectDecoder over physical lines: `onLine` appends to `out` whatever each line yields;
 * `onEnd` flushes state after the last line. push()/end() return what accumulated since the last call.
 */
export function createLineDecoder(
  onLine: (text: string, lineNo: number, truncated: boolean, out: DecodeResult[]) => void,
  onEnd?: (out: DecodeResult[]) => void,
): ObjectDecoder {
  let out: DecodeResult[] = [];
  const splitter = createLineSplitter((text, lineNo, truncated) => onLine(text, lineNo, truncated, out));
  function take(): DecodeResult[] {
    const r = out;
    out = [];
    return r;
  }
  return {
    push(chunk: Buffer): DecodeResult[] {
      splitter.push(chunk);
      return take();
    },
    end(): DecodeResult[] {
      splitter.end();
      onEnd?.(out);
      return take();
    },
  };
}

export function shortenRaw(text: string): string {
  return text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) + `…[${text.length - MAX_RAW_CHARS} more characters]` : text;
}
