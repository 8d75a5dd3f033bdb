import { AuditlakeError } from '../../core/errors.js';

/**
 * One element of the `Records` array, as bytes, located in the file.
 * `broken` is set when the scanner itself already knows the element is not a record
 * (cut at a resync point, too large, or the file ended inside it).
 */
export interface ScannedElement {
  /** 0-based position in the Records array. */
  index: number;
  /** Byte offset of the element's first byte in the decompressed file. */
  offset: number;
  /** 1-based line of the element's first byte (all 1 for the compact files CloudTrail writes). */
  line: number;
  bytes: Buffer;
  broken?: string;
}

export interface CloudTrailScanOptions {
  /** Name used in error messages (the object key). */
  source?: string;
  /** Elements above this size are reported, not buffered (CloudTrail records stay well under 1 MiB). */
  maxRecordBytes?: number;
  /**
   * Records nested deeper than this are reported broken before JSON.parse sees them: every later
   * step (redaction, the event encoder's JSON.stringify) recurses, and a planted 5,000-deep array
   * would otherwise overflow the stack and stop the whole ingest. Real records stay under ~20.
   */
  maxDepth?: number;
}

/** Default nesting limit for one record (see CloudTrailScanOptions.maxDepth). */
export const CLOUDTRAIL_MAX_DEPTH = 256;

/**
 * Streaming splitter for `{"Records":[{…},{…}]}`: push decompressed chunks of any size, get back the
 * complete array elements seen so far. Memory is bounded by the largest record, never the file.
 *
 * It is a small byte state machine (JSON's structural characters are ASCII, and UTF-8 continuation
 * bytes are ≥ 0x80, so scanning bytes is exact): it tracks string / escape state and the nesting
 * depth, and an element ends at a `,` or `]` at depth 0.
 *
 * Resync: a record with broken quoting or braces would otherwise swallow the rest of the file. The
 * byte sequence `,{"eventVersion"` cannot occur inside a valid JSON string (its quotes would be
 * escaped) and CloudTrail puts `eventVersion` first in every record, so when it appears inside an
 * element the element is cut before the `,` (reported broken) and a new element starts at the `{`.
 */
export interface CloudTrailScanner {
  push(chunk: Buffer): ScannedElement[];
  end(): ScannedElement[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const NL = 0x0a;
const LETTER_N = 0x6e;

const isWs = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

const RESYNC_KEY = Buffer.from('"eventVersion"');
/** Top-level members of a CloudTrail digest file (Part C of formats.md). */
const DIGEST_KEYS = new Set(['awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestPublicKeyFingerprint', 'logFiles']);

type Phase = 'open' | 'keystart' | 'key' | 'colon' | 'value' | 'between' | 'element' | 'close' | 'after' | 'garbage';

export function createCloudTrailScanner(opts: CloudTrailScanOptions = {}): CloudTrailScanner {
  const source = opts.source ?? 'input';
  const maxBytes = opts.maxRecordBytes ?? 16 * 1024 * 1024;
  const maxDepth = opts.maxDepth ?? CLOUDTRAIL_MAX_DEPTH;

  let phase: Phase = 'open';
  let pos = 0; // absolute offset of the next byte
  let line = 1;
  let key: number[] = [];
  let keyEscape = false;

  // current element
  let index = 0;
  let elStart = 0;
  let elLine = 1;
  let pieces: Buffer[] = [];
  let piecesLen = 0;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escape = false;
  let broken: string | undefined;
  let oversize = false;
  let prev = 0; // previous byte inside the element
  let garbageStart = -1;
  let garbageLine = 1;
  let garbage: Buffer[] = [];

  const fail = (msg: string): never => {
    throw new AuditlakeError('E_PARSE', `cloudtrail: ${source}: ${msg}`);
  };

  function startElement(at: number): void {
    elStart = at;
    elLine = line;
    pieces = [];
    piecesLen = 0;
    depth = 0;
    deepest = 0;
    inString = false;
    escape = false;
    broken = undefined;
    oversize = false;
    prev = 0;
  }

  function keep(piece: Buffer): void {
    if (oversize) return;
    if (piecesLen + piece.length > maxBytes) {
      oversize = true;
      broken = `record is larger than ${maxBytes} bytes`;
      // keep only a head for the quarantine
      const head = Buffer.concat([...pieces, piece]).subarray(0, 1024);
      pieces = [head];
      piecesLen = head.length;
      return;
    }
    pieces.push(piece);
    piecesLen += piece.length;
  }

  function finishElement(out: ScannedElement[]): void {
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, piecesLen);
    if (!broken && inString) broken = 'unterminated string';
    if (!broken && depth !== 0) broken = `unbalanced braces (depth ${depth} at the element's end)`;
    if (!broken && deepest > maxDepth) broken = `nested ${deepest} levels deep (limit ${maxDepth})`;
    out.push({ index: index++, offset: elStart, line: elLine, bytes, ...(broken ? { broken } : {}) });
  }

  /** Index of the `{` in `tail` when it ends with `,<ws>{<ws>"eventVersion"`, else -1. */
  function atResyncPoint(tail: Buffer): number {
    if (tail.length < RESYNC_KEY.length + 2) return -1;
    if (!tail.subarray(tail.length - RESYNC_KEY.length).equals(RESYNC_KEY)) return -1;
    let j = tail.length - RESYNC_KEY.length - 1;
    while (j >= 0 && isWs(tail[j])) j--;
    if (j < 0 || tail[j] !== LBRACE) return -1;
    const brace = j;
    j--;
    while (j >= 0 && isWs(tail[j])) j--;
    if (j < 0 || tail[j] !== COMMA) return -1;
    return brace;
  }

  function push(chunk: Buffer): ScannedElement[] {
    const out: ScannedElement[] = [];
    let segStart = 0; // start of the not-yet-kept part of this chunk for the current element
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (phase === 'element') {
        // Hot loop: the state lives in locals (closure variables are slower) and the loop only stops
        // at the few bytes that need attention: the element's end, a quote after `n` (a possible
        // `"eventVersion"` resync point) or an unbalanced `}`.
        let s = inString;
        let e = escape;
        let d = depth;
        let mx = deepest;
        let p = prev;
        let j = i;
        let stop = 0; // 1 = end of element, 2 = quote after `n`, 3 = unbalanced `}`
        for (; j < n; j++) {
          const c = chunk[j];
          if (s) {
            if (e) e = false;
            else if (c === BACKSLASH) e = true;
            else if (c === QUOTE) {
              s = false;
              if (p === LETTER_N) {
                stop = 2;
                break;
              }
            } else if (c === NL) line++;
          } else if (c === QUOTE) {
            s = true;
            if (p === LETTER_N) {
              stop = 2;
              break;
            }
          } else if (c === COMMA || c === RBRACKET) {
            if (d === 0) {
              stop = 1;
              break;
            }
            if (c === RBRACKET) d--;
          } else if (c === LBRACE || c === LBRACKET) {
            if (++d > mx) mx = d;
          } else if (c === RBRACE) {
            if (d === 0) {
              stop = 3;
              break;
            }
            d--;
          } else if (c === NL) line++;
          p = c;
        }
        inString = s;
        escape = e;
        depth = d;
        deepest = mx;
        prev = p;
        if (stop === 0) break;
        const c = chunk[j];
        if (stop === 1) {
          keep(chunk.subarray(segStart, j));
          trimTrailingWs();
          finishElement(out);
          phase = c === COMMA ? 'between' : 'close';
        } else if (stop === 2) {
          if (resyncCheck(chunk, j, segStart, out)) segStart = j + 1;
          prev = c;
        } else {
          broken ??= `unbalanced '}' at byte ${pos + j}`;
          prev = c;
        }
        i = j + 1;
        continue;
      }
      const b = chunk[i];
      stepOutside(b, pos + i);
      if ((phase as Phase) === 'element') {
        segStart = i;
        prev = b;
        if (b === LBRACE || b === LBRACKET) depth = 1;
        else if (b === QUOTE) inString = true;
      }
      if (b === NL) line++;
      i++;
    }
    if (phase === 'element') keep(chunk.subarray(segStart));
    if (phase === 'garbage' && garbage.reduce((a, g) => a + g.length, 0) < 1024) garbage.push(chunk.subarray(Math.max(0, garbageStart - pos)));
    pos += n;
    return out;
  }

  /** At a `"` after `n`: maybe cut the element at `,{"eventVersion"`; returns true when it did. */
  function resyncCheck(chunk: Buffer, i: number, segStart: number, out: ScannedElement[]): boolean {
    if (oversize) return false;
    const tail = tailBytes(pieces, chunk.subarray(segStart, i + 1), 64);
    const brace = atResyncPoint(tail);
    if (brace < 0) return false;
    const all = Buffer.concat([...pieces, chunk.subarray(segStart, i + 1)]);
    const braceRel = all.length - (tail.length - brace);
    if (braceRel <= 0) return false; // the element itself starts there: a normal record
    let cut = braceRel - 1;
    while (cut > 0 && all[cut] !== COMMA) cut--;
    pieces = [all.subarray(0, cut)];
    piecesLen = cut;
    broken ??= `malformed JSON; resynchronised at the next record start (byte ${elStart + braceRel})`;
    trimTrailingWs();
    finishElement(out);
    // the new element: `{` … `"eventVersion"` consumed, so depth 1 and outside a string
    const nextStart = elStart + braceRel;
    const nextLine = line; // same line unless whitespace held newlines (pretty files); close enough
    startElement(nextStart);
    elLine = nextLine;
    const head = all.subarray(braceRel);
    pieces = [head];
    piecesLen = head.length;
    depth = 1;
    return true;
  }

  function trimTrailingWs(): void {
    // Whitespace between an element and its `,` belongs to neither; drop it so bytes are the element only.
    while (pieces.length > 0) {
      const last = pieces[pieces.length - 1];
      let e = last.length;
      while (e > 0 && isWs(last[e - 1])) e--;
      piecesLen -= last.length - e;
      if (e > 0) {
        pieces[pieces.length - 1] = last.subarray(0, e);
        return;
      }
      pieces.pop();
    }
  }

  function stepOutside(b: number, at: number): void {
    switch (phase) {
      case 'open':
        if (isWs(b) || (at < 3 && (b === 0xef || b === 0xbb || b === 0xbf))) return;
        if (b === 0x1f && at === 0) fail('not a JSON object: the data starts with the gzip magic byte 0x1f (still compressed?)');
        if (b !== LBRACE) fail(`not a CloudTrail log file: expected '{' at byte ${at}, found ${describe(b)}`);
        phase = 'keystart';
        return;
      case 'keystart':
        if (isWs(b)) return;
        if (b === RBRACE) fail('not a CloudTrail log file: the JSON object is empty (no "Records")');
        if (b !== QUOTE) fail(`not a CloudTrail log file: expected a member name at byte ${at}, found ${describe(b)}`);
        phase = 'key';
        key = [];
        return;
      case 'key':
        if (keyEscape) keyEscape = false;
        else if (b === BACKSLASH) keyEscape = true;
        else if (b === QUOTE) {
          const name = Buffer.from(key).toString('utf8');
          if (name !== 'Records') {
            const digest = DIGEST_KEYS.has(name) ? ' — this looks like a CloudTrail digest file (CloudTrail-Digest/), which carries no events' : '';
            fail(`not a CloudTrail log file: first member is "${name.slice(0, 80)}", expected "Records"${digest}`);
          }
          phase = 'colon';
          return;
        }
        if (key.length > 200) fail('not a CloudTrail log file: first member name longer than 200 bytes');
        key.push(b);
        return;
      case 'colon':
        if (isWs(b)) return;
        if (b !== COLON) fail(`not a CloudTrail log file: expected ':' after "Records" at byte ${at}, found ${describe(b)}`);
        phase = 'value';
        return;
      case 'value':
        if (isWs(b)) return;
        if (b !== LBRACKET) fail(`not a CloudTrail log file: "Records" is not an array (found ${describe(b)} at byte ${at})`);
        phase = 'between';
        return;
      case 'between':
        if (isWs(b) || b === COMMA) return;
        if (b === RBRACKET) {
          phase = 'close';
          return;
        }
        startElement(at);
        phase = 'element';
        return;
      case 'close':
        if (isWs(b)) return;
        if (b === RBRACE) {
          phase = 'after';
          return;
        }
        startGarbage(at);
        return;
      case 'after':
        if (isWs(b)) return;
        startGarbage(at);
        return;
      case 'garbage':
        return;
      default:
        return;
    }
  }

  function startGarbage(at: number): void {
    phase = 'garbage';
    garbageStart = at;
    garbageLine = line;
    garbage = [];
  }

  function end(): ScannedElement[] {
    const out: ScannedElement[] = [];
    switch (phase) {
      case 'open':
        fail('not a CloudTrail log file: the file is empty');
        break;
      case 'keystart':
      case 'key':
      case 'colon':
      case 'value':
        fail(`not a CloudTrail log file: it ends at byte ${pos} before the "Records" array starts`);
        break;
      case 'element':
        trimTrailingWs();
        broken ??= `the file ends inside this record at byte ${pos} (truncated file?)`;
        finishElement(out);
        break;
      case 'between':
      case 'close':
        out.push({ index: index, offset: pos, line, bytes: Buffer.alloc(0), broken: `the file ends at byte ${pos} before the closing "]}" of the Records array (truncated file?)` });
        break;
      case 'garbage': {
        const bytes = Buffer.concat(garbage).subarray(0, 1024);
        out.push({ index: index, offset: garbageStart, line: garbageLine, bytes, broken: `unexpected bytes after the Records array at byte ${garbageStart}` });
        break;
      }
      default:
        break;
    }
    return out;
  }

  return { push, end };
}

/** The last `n` bytes of pieces + last, without concatenating everything. */
function tailBytes(pieces: Buffer[], last: Buffer, n: number): Buffer {
  if (last.length >= n) return last.subarray(last.length - n);
  const parts: Buffer[] = [last];
  let len = last.length;
  for (let k = pieces.length - 1; k >= 0 && len < n; k--) {
    parts.unshift(pieces[k]);
    len += pieces[k].length;
  }
  const all = Buffer.concat(parts);
  return all.subarray(Math.max(0, all.length - n));
}

function describe(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}
