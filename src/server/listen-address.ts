/**
 * @module
 * `--listen host:port` parsing and the rule that plain HTTP is only allowed on loopback: tokens travel in headers,
 * so anything reachable from another machine must be TLS.
 */
import { isIP } from 'node:net';
import { AuditlakeError } from '../core/errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(spec: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(spec.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new AuditlakeError('E_USAGE', `serve: --listen "${spec}" is not host:port (e.g. 127.0.0.1:8443 or [::1]:8443)`);
  return { host: m[1] ?? m[2], port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

export function checkPlainHttpAllowed(addr: ListenAddress, tls: boolean): void {
  if (!tls && !isLoopback(addr.host)) {
    throw new AuditlakeError('E_USAGE', `serve: plain HTTP is only allowed on loopback; ${addr.host} needs --tls-cert and --tls-key (tokens would cross the network in clear)`);
  }
}
