import { AuditlakeError } from '../core/errors.js';

/** Where the local keyring gets its passphrase. `confirm` asks twice (when creating a keyring). */
export type PassphraseSource = (purpose: string, confirm: boolean) => Promise<string>;

/**
 * Default source: env AUDITLAKE_PASSPHRASE, else a no-echo prompt when stdin and stderr are terminals,
 * else a clear E_KEY error (a cron job or CI must set the variable; we never block on a missing tty).
 */
export function defaultPassphraseSource(env: NodeJS.ProcessEnv = process.env): PassphraseSource {
  return async (purpose, confirm) => {
    const fromEnv = env.AUDITLAKE_PASSPHRASE;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new AuditlakeError('E_KEY', `keyring: ${purpose} needs a passphrase: set AUDITLAKE_PASSPHRASE (no terminal to prompt on)`);
    }
    const first = await promptHidden(`auditlake passphrase (${purpose}): `);
    if (confirm) {
      const again = await promptHidden('repeat passphrase: ');
      if (again !== first) throw new AuditlakeError('E_KEY', 'keyring: the two passphrases differ');
    }
    if (first === '') throw new AuditlakeError('E_KEY', 'keyring: empty passphrase');
    return first;
  };
}

/** Reads one line from the terminal in raw mode so nothing is echoed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let text = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AuditlakeError('E_KEY', 'keyring: passphrase prompt interrupted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
