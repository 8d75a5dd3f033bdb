/**
 * Splits text holding JSON objects back to back (`{…}{…}`, what CloudWatch Logs → Firehose → S3 objects decompress
 * to: no separator between records) into the text of each object, with a small state machine over strings,
 * escapes and brace depth. Incremental: push() chunks, objects come out as soon as they are complete.
 */
export interface JsonObjectSplitter {
  push(text: string): string[];
  /** Text left after the last complete object (non-whitespace = a truncated object). */
  rest(): string;
}

export function createJsonObjectSplitter(): JsonObjectSplitter {
  let buf = '';
  let scan = 0;
  let depth = 0;
  let inStr = false;
  let esc = false;
  let start = -1;
  return {
    push(text) {
      buf += text;
      const out: string[] = [];
      for (let i = scan; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (inStr) {
          if (esc) esc = false;
          else if (c === 0x5c) esc = true;
          else if (c === 0x22) inStr = false;
          continue;
        }
        if (c === 0x22) inStr = true;
        else if (c === 0x7b) {
          if (depth === 0) start = i;
          depth++;
        } else if (c === 0x7d) {
          depth--;
          if (depth === 0) {
            out.push(buf.slice(start, i + 1));
            start = -1;
          }
        }
      }
      // keep only the unfinished object (or nothing)
      if (depth === 0) {
        buf = '';
        scan = 0;
      } else {
        buf = buf.slice(start);
        scan = buf.length;
        start = 0;
      }
      return out;
    },
    rest: () => buf,
  };
}
