import type { UserLogRecord } from '../formats/redshift/user-log/record.js';
import type { PlannedStmt } from './sql.js';
import type { Rng } from './prng.js';
import type { SimUser } from './roster.js';
import type { SecretBag } from './secrets.js';

const NEW_PEOPLE = ['nina', 'omar', 'paula', 'quinn', 'rosa', 'sam', 'tara', 'uma', 'vera', 'wade', 'xena', 'yuri', 'zoe'];
const SUFFIXES = ['ext', 'contractor', 'v2', 'archived'];

function row(u: SimUser, action: string, time: number, pid: string, xid: string, oldusername = ''): UserLogRecord {
  return {
    userid: String(u.id),
    username: u.name,
    oldusername,
    action,
    usecreatedb: u.createdb ? '1' : '0',
    usesuper: u.superuser ? '1' : '0',
    usecatupd: '0',
    pid,
    xid,
    recordtime: time,
  };
}

/**
 * One administrative change to the cluster's users, as the statements an administrator runs and the user-log
 * row Redshift writes for each: CREATE USER … PASSWORD (plain or md5), ALTER USER … PASSWORD, CREATEDB or
 * CREATEUSER (superuser), RENAME TO, DROP USER — plus the GRANTs that usually follow a create.
 * The roster changes immediately, so later sessions see the new state.
 */
export function planUserChange(rng: Rng, users: SimUser[], secrets: SecretBag): PlannedStmt[] {
  const people = users.filter((u) => u.active && u.kind === 'human');
  const kind = people.length < 2 ? 'create' : rng.weighted<string>([['create', 3], ['password', 3], ['privilege', 1.5], ['rename', 1], ['drop', 1]]);
  if (kind === 'create') {
    const base = rng.pick(NEW_PEOPLE);
    const name = users.some((u) => u.name === base) ? `${base}_${rng.int(2, 99)}` : base;
    const template = people[0] ?? users[users.length - 1];
    const u: SimUser = { ...template, name, id: Math.max(...users.map((x) => x.id)) + 1, kind: 'human', createdb: false, superuser: false, active: true };
    users.push(u);
    const snap = { ...u };
    const md5 = rng.chance(0.4);
    const pw = md5 ? secrets.md5Password(rng) : secrets.password(rng);
    const sql = md5 ? `create user ${name} with password '${pw}' valid until 'infinity';` : `CREATE USER ${name} PASSWORD '${pw}';`;
    return [
      { sql, secret: true, change: (t, pid, xid) => row(snap, 'create', t, pid, xid) },
      { sql: `GRANT USAGE ON SCHEMA analytics TO ${name};` },
      { sql: `GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO ${name};` },
    ];
  }
  const u = rng.pick(people);
  if (kind === 'password') {
    const pw = rng.chance(0.6) ? secrets.md5Password(rng) : secrets.password(rng);
    const snap = { ...u };
    return [{ sql: `ALTER USER ${u.name} PASSWORD '${pw}';`, secret: true, change: (t, pid, xid) => row(snap, 'alter', t, pid, xid) }];
  }
  if (kind === 'privilege') {
    const superuser = !u.superuser && rng.chance(0.4);
    if (superuser) u.superuser = true;
    else u.createdb = true;
    const sql = superuser ? `ALTER USER ${u.name} CREATEUSER;` : `ALTER USER ${u.name} CREATEDB;`;
    const snap = { ...u };
    return [{ sql, change: (t, pid, xid) => row(snap, 'alter', t, pid, xid) }];
  }
  if (kind === 'rename') {
    const old = u.name;
    u.name = `${old}_${rng.pick(SUFFIXES)}`;
    const snap = { ...u };
    return [{ sql: `ALTER USER ${old} RENAME TO ${u.name};`, change: (t, pid, xid) => row(snap, 'rename', t, pid, xid, old) }];
  }
  u.active = false;
  const name = u.name;
  const snap = { ...u };
  return [
    { sql: `REVOKE ALL ON ALL TABLES IN SCHEMA analytics FROM ${name};` },
    { sql: `DROP USER ${name};`, change: (t, pid, xid) => row(snap, 'drop', t, pid, xid) },
  ];
}
