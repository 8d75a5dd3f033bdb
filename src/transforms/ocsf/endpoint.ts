const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%.+)?$/;
const HOSTNAME = /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;

/**
 * A `network_endpoint` from the lake's `remote_host` / `remote_port`. Redshift writes IPv4 clients as IPv4-mapped
 * IPv6 (`::ffff:10.0.0.1`): the plain IPv4 is what a SIEM correlates on. Host names go to `hostname`; anything that
 * is neither (`[local]` for a unix socket, CloudTrail's `AWS Internal`) is kept verbatim in `name`.
 */
export function networkEndpoint(host: string | null | undefined, port?: string | null): Record<string, unknown> | null {
  if (!host) return null;
  const h = host.trim();
  const mapped = /^::ffff:/i.test(h) ? h.slice(7) : h;
  const ep: Record<string, unknown> = {};
  if (IPV4.test(mapped)) ep.ip = mapped;
  else if (h.includes(':') && IPV6.test(h)) ep.ip = h;
  else if (HOSTNAME.test(h) && h.length <= 253) ep.hostname = h;
  else ep.name = h;
  const p = port ? Number(port) : NaN;
  if (Number.isInteger(p) && p >= 0 && p <= 65535) ep.port = p;
  return ep;
}

/** The endpoint OCSF requires (6003, 6005) when the source does not record an origin: named, not invented. */
export const UNKNOWN_ENDPOINT = Object.freeze({ name: 'unknown' });
