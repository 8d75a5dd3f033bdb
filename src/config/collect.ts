import { dirname, isAbsolute, resolve } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import { parseYaml, readConfigText, rejectUnknownKeys } from './yaml-file.js';

/** One database whose audit log the collector follows. */
export interface CollectSource {
  /** Short name: buffer directory, quarantine file, and the default server identity. */
  name: string;
  type: 'postgres' | 'mariadb';
  /** Log file path; `*` in the file name for time-based names. Relative paths are relative to the config file. */
  log: string;
  /** postgres only: csvlog (default), jsonlog, or stderr (RDS / Debian prefix; a record is emitted once the next begins). */
  format: 'csvlog' | 'jsonlog' | 'stderr';
  /** Server identity in events and event ids (`cluster`); default = name. */
  server: string;
  account: string;
  region: string;
  /** mariadb only: server_audit writes local time without a zone. */
  utcOffsetMinutes: number;
  startAt: 'beginning' | 'end';
}

export interface CollectConfig {
  sources: CollectSource[];
  /** Deliver when this many events are buffered … */
  maxEvents: number;
  /** … or this many encoded bytes … */
  maxBytes: number;
  /** … or the oldest buffered event is this old. */
  maxDelayMs: number;
  /** How often the logs are polled for new bytes. */
  pollMs: number;
}

const TOP = new Set(['sources', 'buffer', 'pollMs']);
const BUF = new Set(['maxEvents', 'maxBytes', 'maxDelayMs']);
const SRC = new Set(['name', 'type', 'log', 'format', 'server', 'account', 'region', 'utcOffsetMinutes', 'startAt']);

function unknownKeys(where: string, o: Record<string, unknown>, allowed: Set<string>): void {
  rejectUnknownKeys(`collect config ${where}`, o, allowed);
}

/** `8MiB`, `500kB`, `1000000` → bytes. */
function bytes(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KiB|MB|MiB|GB|GiB)?$/.exec(String(v));
  if (!m) throw new AuditlakeError('E_USAGE', `collect config ${where}: "${v}" is not a size like 8MiB`);
  const mult: Record<string, number> = { B: 1, kB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3 };
  return Math.round(Number(m[1]) * mult[m[2] ?? 'B']);
}

/** Parses and validates a collect config (YAML). Unknown keys are rejected by name. */
export function parseCollectConfig(text: string, file = '<config>'): CollectConfig {
  const doc = parseYaml(text, `collect config ${file}`);
  if (!doc || typeof doc !== 'object') throw new AuditlakeError('E_USAGE', `collect config ${file}: expected a mapping with "sources"`);
  const d = doc as Record<string, unknown>;
  unknownKeys(file, d, TOP);
  const buf = (d.buffer ?? {}) as Record<string, unknown>;
  unknownKeys(`${file} buffer`, buf, BUF);
  if (!Array.isArray(d.sources) || d.sources.length === 0) throw new AuditlakeError('E_USAGE', `collect config ${file}: "sources" must be a non-empty list`);
  const base = file === '<config>' ? process.cwd() : dirname(resolve(file));
  const names = new Set<string>();
  const sources = d.sources.map((s: Record<string, unknown>, i: number): CollectSource => {
    const where = `${file} sources[${i}]`;
    unknownKeys(where, s, SRC);
    const name = String(s.name ?? '');
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new AuditlakeError('E_USAGE', `collect config ${where}: "name" must be [A-Za-z0-9_.-]+`);
    if (names.has(name)) throw new AuditlakeError('E_USAGE', `collect config ${where}: duplicate name "${name}"`);
    names.add(name);
    if (s.type !== 'postgres' && s.type !== 'mariadb') throw new AuditlakeError('E_USAGE', `collect config ${where}: "type" must be postgres or mariadb`);
    if (typeof s.log !== 'string' || !s.log) throw new AuditlakeError('E_USAGE', `collect config ${where}: "log" (the audit log file) is required`);
    const format = (s.format ?? 'csvlog') as string;
    if (format !== 'csvlog' && format !== 'jsonlog' && format !== 'stderr') throw new AuditlakeError('E_USAGE', `collect config ${where}: "format" must be csvlog, jsonlog or stderr`);
    const startAt = (s.startAt ?? 'beginning') as string;
    if (startAt !== 'beginning' && startAt !== 'end') throw new AuditlakeError('E_USAGE', `collect config ${where}: "startAt" must be beginning or end`);
    return {
      name, type: s.type, format, startAt,
      log: isAbsolute(s.log) ? s.log : resolve(base, s.log),
      server: String(s.server ?? name),
      account: String(s.account ?? ''),
      region: String(s.region ?? ''),
      utcOffsetMinutes: Number(s.utcOffsetMinutes ?? 0),
    };
  });
  return {
    sources,
    maxEvents: Number(buf.maxEvents ?? 5000),
    maxBytes: bytes(buf.maxBytes ?? '8MiB', `${file} buffer.maxBytes`),
    maxDelayMs: Number(buf.maxDelayMs ?? 1000),
    pollMs: Number(d.pollMs ?? 200),
  };
}

export function loadCollectConfig(file: string): CollectConfig {
  return parseCollectConfig(readConfigText(file, `collect config ${file}`), file);
}
