/**
 * Splits a byte stream into whole records while keeping each record's absolute byte offset, which is what
 * stable event ids and acknowledged positions are built on. Works on bytes: the delimiters (`"`, `\n`) are
 * ASCII and never occur inside a UTF-8 multi-byte sequence, so no decoding is needed to find boundaries.
 */
export interface RawRecord {
  /** Record bytes including the terminating newline. */
  bytes: Buffer;
  /** Absolute byte offset of the first byte. */
  start: number;
  /** Absolute byte offset just past the record (where the next one starts). */
  end: number;
  /** 1-based line number of the record's first line. */
  line: number;
}

export type RecordFraming = 'csv' | 'line' | 'stderr';

export interface RecordSplitter {
  /** Feeds bytes; returns every record completed by them. */
  push(chunk: Buffer): RawRecord[];
  /** The unterminated remainder (a record still being written, or a file without a final newline). */
  flush(): RawRecord[];
  /** Offset/line where the next (incomplete) record starts: the position that is safe to resume from. */
  position(): { offset: number; line: number };
}

/**
 * `csv` framing ends a record at a newline outside quotes (csvlog records contain quoted newlines);
 * `line` framing ends it at every newline (jsonlog and server_audit escape their newlines);
 * `stderr` framing ends it at a newline not followed by a TAB (PostgreSQL's stderr continuation lines).
 */
export function createRecordSplitter(framing: RecordFraming, startOffset = 0, startLine = 1): RecordSplitter {
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = startOffset;
  let carryLine = startLine;
  // scan state survives across chunks so a record split across reads is scanned once
  let scanned = 0;
  let inQuote = false;
  let newlinesInCarry = 0;

  return {
    push(chunk) {
      carry = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const out: RawRecord[] = [];
      let recStart = 0;
      let linesInRec = 0;
      // resume the scan where the previous push stopped
      let i = scanned;
      linesInRec = newlinesInCarry;
      for (; i < carry.length; i++) {
        const c = carry[i];
        if (framing === 'csv' && c === 0x22) inQuote = !inQuote; // `""` toggles twice: net effect correct
        else if (c === 0x0a) {
          if (framing === 'stderr') {
            // PostgreSQL's stderr format continues a multi-line message on lines that start with a TAB
            if (i + 1 >= carry.length) break; // cannot tell yet: wait for the next byte
            if (carry[i + 1] === 0x09) {
              linesInRec++;
              continue;
            }
          }
          linesInRec++;
          if (!inQuote) {
            out.push({ bytes: carry.subarray(recStart, i + 1), start: carryStart + recStart, end: carryStart + i + 1, line: carryLine });
            carryLine += linesInRec;
            linesInRec = 0;
            recStart = i + 1;
          }
        }
      }
      carryStart += recStart;
      carry = carry.subarray(recStart);
      scanned = i - recStart;
      newlinesInCarry = linesInRec;
      return out;
    },
    flush() {
      if (carry.length === 0) return [];
      const rec = { bytes: carry, start: carryStart, end: carryStart + carry.length, line: carryLine };
      carryStart += carry.length;
      carry = Buffer.alloc(0);
      scanned = 0;
      inQuote = false;
      return [rec];
    },
    position() {
      return { offset: carryStart, line: carryLine };
    },
  };
}
