/**
 * URLs for messages and output. Connection URLs may carry a password and webhook URLs often carry their token
 * in the path or query (Slack, Teams): neither may reach a log line or an error message in clear.
 */

/** The URL with its password replaced by `***` (user, host, path kept); `<unparseable url>` if it is not a URL. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

/**
 * Only scheme, host and port, for URLs whose path or query may be the secret (webhooks):
 * `https://hooks.example.com/…`. `<unparseable url>` if it is not a URL.
 */
export function urlOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<unparseable url>';
  }
}
