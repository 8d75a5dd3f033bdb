import { parseActivityTimestamp } from '../timestamp.js';
import { lineError } from '../parse-error.js';
import type { ActivityLogRecord } from './record.js';

/**
 * The full, anchored record header (research/formats.md A.6 / A.9.4). Only a line that *starts* with this
 * header starts a record: a SQL line that merely contains ` LOG: `, a quote or a timestamp continues the
 * previous record. db and user are matched lazily up to the next keyword so names with spaces still parse.
 */
const HEADER =
  /^'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) UTC \[ db=(.*?) user=(.*?) pid=(\d+) userid=(\d+) xid=(\d+) \]' LOG: /s;

/** Length of the shortest possible header: `'YYYY-MM-DDTHH:MM:SSZ UTC [ db= user= pid=0 userid=0 xid=0 ]' LOG: `. */
const MIN_HEADER = 66;

/** Fields of a header line, plus where the SQL starts on that line. */
export interface ActivityHeader {
  timeText: string;
  db: string;
  user: string;
  pid: string;
  userid: string;
  xid: string;
  /** Offset of the first SQL character on the header line. */
  sqlStart: number;
}

/** Matches a record header at the start of `line`; null when the line does not start a record. */
export function matchActivityHeader(line: string): ActivityHeader | null {
  // Cheap pre-checks keep the regex off the (many) continuation lines: `'`, `Z` at 20, ` UTC [ db=` at 21.
  if (line.length < MIN_HEADER || line.charCodeAt(0) !== 39 || line.charCodeAt(20) !== 90) return null;
  if (!line.startsWith(' UTC [ db=', 21)) return null;
  const m = HEADER.exec(line);
  if (!m) return null;
  return { timeText: m[1], db: m[2], user: m[3], pid: m[4], userid: m[5], xid: m[6], sqlStart: m[0].length };
}

/** A complete record: the parsed fields, its first line and its exact text (lines joined with `\n`). */
export interface ActivityLogEntry {
  record: ActivityLogRecord;
  line: number;
  text: string;
}

/** Text that is not a record: lines before the first header, an invalid header, an oversized record. */
export interface ActivityLogProblem {
  line: number;
  reason: string;
  /** The offending text (possibly shortened). */
  text: string;
}

export interface ActivityLogParserOptions {
  /** Largest record kept, in characters (default 32 Mi; Redshift statements are at most 16 MB). */
  maxRecordChars?: number;
  /** How much of a problem's text to keep (default 64 Ki characters). */
  maxProblemChars?: number;
}

export interface ActivityLogParser {
  /**
   * Feed one physical line (without `\n`) and its 1-based number; `truncated` = the line splitter cut it
   * (longer than its limit), which makes the whole record a problem.
   */
  line(text: string, lineNo: number, truncated?: boolean): void;
  /** Flush the last record. */
  end(): void;
}

const LOG = 'user activity log';

/**
 * Incremental user-activity-log parser over physical lines. A record runs from a header line up to the line
 * before the next header; continuation lines are joined with `\n`, byte-exact. Lines before the first header
 * are reported as one problem (not dropped).
 */
export function createActivityLogParser(
  onRecord: (entry: ActivityLogEntry) => void,
  onProblem: (problem: ActivityLogProblem) => void,
  opts: ActivityLogParserOptions = {},
): ActivityLogParser {
  const maxRecordChars = opts.maxRecordChars ?? 32 * 1024 * 1024;
  const maxProblemChars = opts.maxProblemChars ?? 64 * 1024;

  // The record being collected: its header (null = preamble before the first header), first line, lines.
  let header: ActivityHeader | null = null;
  let startLine = 0;
  let lastLine = 0;
  const parts: string[] = [];
  let chars = 0;
  let oversized = false;
  /** A line of the current record that the splitter cut (0 = none). */
  let cutLine = 0;
  // Consecutive records share the minute: parse `YYYY-MM-DDTHH:MM:` once per minute, then add the seconds.
  let minuteText = '';
  let minuteMs = 0;

  function timeOf(timeText: string): number | null {
    // The header regex guarantees two digits at 17–18.
    const ss = (timeText.charCodeAt(17) - 48) * 10 + (timeText.charCodeAt(18) - 48);
    if (minuteText !== '' && timeText.startsWith(minuteText)) return ss > 59 ? null : minuteMs + ss * 1000;
    const t = parseActivityTimestamp(timeText);
    if (t !== null) {
      minuteText = timeText.slice(0, 17);
      minuteMs = t - ss * 1000;
    }
    return t;
  }

  function shorten(text: string): string {
    return text.length > maxProblemChars ? text.slice(0, maxProblemChars) + `…[${text.length - maxProblemChars} more characters]` : text;
  }

  function flush(): void {
    if (parts.length === 0) return;
    const text = parts.length === 1 ? parts[0] : parts.join('\n');
    const h = header;
    if (h === null) {
      const span = lastLine > startLine ? `lines ${startLine}-${lastLine}` : `line ${startLine}`;
      onProblem({ line: startLine, reason: `${LOG} ${span}: text before the first record header`, text: shorten(text) });
    } else if (cutLine > 0) {
      onProblem({ line: startLine, reason: lineError(LOG, startLine, `line ${cutLine} of this record is too long and was cut`).message, text: shorten(text) });
    } else if (oversized) {
      onProblem({
        line: startLine,
        reason: lineError(LOG, startLine, `record longer than ${maxRecordChars} characters (${lastLine - startLine + 1} lines)`).message,
        text: shorten(text),
      });
    } else {
      const time = timeOf(h.timeText);
      if (time === null) {
        onProblem({
          line: startLine,
          reason: `${LOG} line ${startLine}: field recordtime ${JSON.stringify(h.timeText)} is not a valid UTC time`,
          text: shorten(text),
        });
      } else {
        const record: ActivityLogRecord = {
          time,
          db: h.db,
          user: h.user,
          pid: h.pid,
          userid: h.userid,
          xid: h.xid,
          sql: text.slice(h.sqlStart),
        };
        onRecord({ record, line: startLine, text });
      }
    }
    parts.length = 0; // reused: one array for the whole object instead of one per record
    chars = 0;
    oversized = false;
    cutLine = 0;
  }

  return {
    line(text: string, lineNo: number, truncated = false): void {
      const h = matchActivityHeader(text);
      if (h !== null) {
        flush();
        header = h;
        startLine = lineNo;
      } else if (parts.length === 0) {
        // Only possible before the first header: everything after a header belongs to some record.
        header = null;
        startLine = lineNo;
      }
      lastLine = lineNo;
      if (truncated && cutLine === 0) cutLine = lineNo;
      if (oversized) return;
      chars += text.length + 1;
      if (chars > maxRecordChars) {
        oversized = true;
        // Keep only what a problem report shows; the rest of the record is skipped, its lines still counted.
        const kept = parts.join('\n');
        parts.length = 0;
        parts.push(kept.slice(0, maxProblemChars + 1));
        return;
      }
      parts.push(text);
    },
    end(): void {
      flush();
    },
  };
}

/** Parses a whole user-activity-log text (tests, small inputs). Records and problems in order. */
export function parseActivityLog(text: string): Array<ActivityLogEntry | ActivityLogProblem> {
  const out: Array<ActivityLogEntry | ActivityLogProblem> = [];
  const p = createActivityLogParser((e) => out.push(e), (e) => out.push(e));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => p.line(l, i + 1));
  p.end();
  return out;
}
