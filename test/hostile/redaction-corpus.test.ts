import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ObjectKeyInfo } from '../../src/core/decode.js';
import { redactSql } from '../../src/core/redact/redact-sql.js';
import { createDecoder } from '../../src/formats/decoder.js';

/**
 * Secret-bearing statements per engine, each with a unique marker (`{M}`), in the shapes the issue found leaking:
 * comments between keyword and value, dollar quotes, E'' and escaped quotes, misspelled keywords (a failed statement
 * still logs its secret), dynamic SQL, key-taking functions. Each template is used with several markers so every
 * engine has well over 100 statements.
 */
const PG = [
  "alter user frank password /*c*/ '{M}'",
  "ALTER USER u PASSWORD/**/'{M}' VALID UNTIL 'infinity'",
  "CREATE ROLE r WITH LOGIN PASSWORD E'{M}\\'x'",
  'CREATE USER u PASSWORD $${M}$$',
  'CREATE USER u PASSWORD $tag${M}$tag$',
  "ALTER ROLE u PASWORD '{M}'",
  "ALTER ROLE u PASSWRD '{M}'",
  "DO $$BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', 'u', '{M}'); END$$",
  "select pgp_sym_encrypt('data', '{M}')",
  "ALTER USER u ENCRYPTED PASSWORD 'md5{M}'",
  "create user u password 'it''s{M}'",
  "SELECT set_config('app.secret', '{M}', false)",
  "ALTER USER u PASSWORD /* one */ /* two */ '{M}'",
  "alter user u with password /*x*/ '{M}' createdb",
];
const REDSHIFT = [
  ...PG.filter((s) => !s.startsWith('DO ')),
  "copy t from 's3://b/k' credentials 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key={M}'",
  "unload ('select 1') to 's3://b/u/' ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE' SECRET_ACCESS_KEY /*c*/ '{M}'",
  "create user u password -- why\n '{M}'",
];
const MYSQL = [
  "CREATE USER 'u'@'%' IDENTIFIED BY '{M}'",
  "ALTER USER 'u'@'h' IDENTIFIED BYY '{M}'",
  "SET PASSWORD FOR 'u'@'h' = PASSWORD('{M}')",
  "select AES_ENCRYPT('x', '{M}')",
  "ALTER USER u IDENTIFIED /* c */ BY '{M}'",
  "GRANT ALL ON *.* TO 'u'@'%' IDENTIFIED BY '{M}'",
  "CREATE USER u IDENTIFIED WITH mysql_native_password BY '{M}'",
  "select des_encrypt('x', '{M}')",
  "INSERT INTO t VALUES (AES_ENCRYPT('x', UNHEX(SHA2('{M}',512))))",
  "SET PASSWORD = '{M}'",
  "CREATE USER u IDENTIFED BY '{M}'",
  "ALTER USER u IDENTIFIED BY /*!*/ '{M}'",
];

function corpus(engine: string, templates: string[], min = 100): { sql: string; marker: string }[] {
  const out: { sql: string; marker: string }[] = [];
  for (let i = 0; out.length < min || i < templates.length; i++) {
    const marker = `Sec${engine}${String(i).padStart(3, '0')}Mk`;
    out.push({ sql: templates[i % templates.length].replaceAll('{M}', marker), marker });
  }
  return out;
}

function info(format: ObjectKeyInfo['format'], key: string): ObjectKeyInfo {
  return { format, account: '123456789012', region: 'us-east-1', service: 'x', cluster: 'c1', keyDate: '2026-10-01', key };
}

function decodeAll(i: ObjectKeyInfo, text: string): string {
  const d = createDecoder(i);
  return JSON.stringify([...d.push(Buffer.from(text)), ...d.end()]);
}

function leaks(text: string, markers: string[]): string[] {
  return markers.filter((m) => text.includes(m));
}

describe('redaction corpus: ≥ 100 secret-bearing statements per engine, 0 markers after decoding', () => {
  test('Redshift user activity log (statement and raw)', () => {
    const c = corpus('RS', REDSHIFT);
    const text = c.map((s, i) => `'2026-10-01T01:00:00Z UTC [ db=dev user=admin pid=1 userid=1 xid=${i + 1} ]' LOG: ${s.sql};\n`).join('');
    const out = decodeAll(info('redshift-useractivitylog', '123456789012_redshift_us-east-1_c1_useractivitylog_2026-10-01T01:00.gz'), text);
    assert.ok(c.length >= 100);
    assert.deepEqual(leaks(out, c.map((s) => s.marker)), []);
    assert.equal((out.match(/"kind":"event"/g) ?? []).length, c.length, 'every statement is still an event');
  });

  test('PostgreSQL pgaudit (stderr log: statement, raw)', () => {
    const c = corpus('PG', PG);
    const text = c.map((s) => `2026-11-22 23:11:51.478 UTC [15711] postgres@postgres LOG:  AUDIT: SESSION,1,1,ROLE,ALTER ROLE,,,"${s.sql.replaceAll('"', '""')}",<none>\n`).join('');
    const out = decodeAll(info('postgres-pgaudit', 'pg/postgresql.log'), text);
    assert.ok(c.length >= 100);
    assert.deepEqual(leaks(out, c.map((s) => s.marker)), []);
  });

  test('pgaudit bind parameters of a secret-bearing statement are masked', () => {
    const line = `2026-11-22 23:11:51.478 UTC [15711] postgres@postgres LOG:  AUDIT: SESSION,1,1,FUNCTION,SELECT,,,"select set_config('app.password', $1, false)",SecPGparam01\n`;
    const out = decodeAll(info('postgres-pgaudit', 'pg/postgresql.log'), line);
    assert.deepEqual(leaks(out, ['SecPGparam01']), []);
  });

  test('MariaDB/MySQL server_audit (statement, raw)', () => {
    const c = corpus('MA', MYSQL);
    const text = c.map((s, i) => `20261122 23:23:28,vm,root,localhost,5,${i + 1},QUERY,mysql,'${s.sql.replaceAll("'", "\\'")}',0\n`).join('');
    const out = decodeAll(info('mariadb-server-audit', 'mariadb/server_audit.log'), text);
    assert.ok(c.length >= 100);
    assert.deepEqual(leaks(out, c.map((s) => s.marker)), []);
  });

  test('what is understood keeps its context; what is not loses every literal', () => {
    assert.equal(redactSql("CREATE USER alice PASSWORD 'x1x2x3' VALID UNTIL '2027-01-01'"), "CREATE USER alice PASSWORD '***' VALID UNTIL '2027-01-01'");
    assert.equal(redactSql("alter user frank password /*c*/ 'SecRS05comment'"), "alter user frank password /*c*/ '***'");
    assert.equal(redactSql("select AES_ENCRYPT(name, 'k3y') from t where a = 'b'"), "select AES_ENCRYPT(name, '***') from t where a = '***'");
    assert.equal(redactSql("select * from t where a = 'b'"), "select * from t where a = 'b'");
  });
});
