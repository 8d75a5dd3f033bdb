import type { Rng } from './prng.js';

export type UserKind = 'internal' | 'admin' | 'human' | 'service';

/** A database user of a simulated cluster (mutable: renames, privilege changes, drops). */
export interface SimUser {
  name: string;
  id: number;
  kind: UserKind;
  /** Service accounts: what they run (etl, dbt, airflow, looker, tableau). */
  role?: 'etl' | 'dbt' | 'airflow' | 'looker' | 'tableau';
  createdb: boolean;
  superuser: boolean;
  active: boolean;
  /** Where the user connects from (`::ffff:a.b.c.d`). */
  host: string;
  db: string;
  app: string;
  osVersion: string;
  driverVersion: string;
}

export interface ClusterSpec {
  account: string;
  region: string;
  name: string;
  /** Minute stamped on the hourly object keys (Redshift's delivery minute, e.g. `T16:24`). */
  keyMinute: number;
  /** 21-field connection log (2022+) or the 16-field 2020 shape. */
  modernConnectionLog: boolean;
  /** First backend pid; newer clusters number from 2^30. */
  pidBase: number;
  /** Creation time (epoch ms) when the cluster is created inside the window (a CreateCluster story), else null. */
  createdAt: number | null;
  users: SimUser[];
}

export interface AccountSpec {
  account: string;
  region: string;
  clusters: ClusterSpec[];
  /** IAM user names of the people (console logins, API calls). */
  people: string[];
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'ca-central-1', 'ap-northeast-1', 'sa-east-1', 'eu-north-1'];
const CLUSTERS = [['analytics-prod', 'finance-dw'], ['marketing-dw'], ['ledger-dw'], ['bi-prod'], ['events-dw'], ['risk-dw'], ['ops-dw'], ['sales-dw'], ['hr-dw']];
const HUMANS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar', 'peggy', 'trent', 'victor', 'walter'];
const JDBC = { app: 'JDBC-1.2.55.1083', os: 'Windows 10 10.0 amd64', driver: 'Amazon Redshift JDBC Driver 1.2.55.1083' };
const ODBC = { app: 'psql', os: 'Linux 6.1.0-26-amd64 amd64', driver: 'PostgreSQL ODBC 16.00.0005' };
const PY = { app: 'redshift_connector', os: 'Linux 5.10.226-214.880.amzn2.x86_64 x86_64', driver: 'Redshift Python Connector 2.1.3' };

/** Pick the accounts, their regions, clusters and users. Everything is drawn from `rng`: same seed, same roster. */
export function buildRoster(rng: Rng, accounts: number, windowStart: number, maxClusters = Infinity): AccountSpec[] {
  const out: AccountSpec[] = [];
  for (let a = 0; a < accounts; a++) {
    const r = rng.fork(`account-${a}`);
    const account = String(r.int(1, 9)) + r.chars(11, '0123456789');
    const region = REGIONS[a % REGIONS.length];
    const people = pickPeople(r, 5);
    const clusters = CLUSTERS[a % CLUSTERS.length].slice(0, maxClusters).map((name, c): ClusterSpec => ({
      account,
      region,
      name,
      keyMinute: r.int(1, 59),
      modernConnectionLog: (a + c) % 3 !== 1,
      pidBase: (a + c) % 2 === 0 ? r.int(4000, 30000) : 1073741824 + r.int(1000, 60000),
      // The last account's cluster is created on day one, 09:xx (CreateCluster / EnableLogging in CloudTrail).
      createdAt: a === accounts - 1 && accounts > 1 && c === 0 ? windowStart + 9 * 3600_000 + r.int(5, 50) * 60_000 : null,
      users: buildUsers(r.fork(`cluster-${c}`), people),
    }));
    out.push({ account, region, clusters, people });
  }
  return out;
}

function pickPeople(rng: Rng, n: number): string[] {
  const pool = [...HUMANS];
  const out: string[] = [];
  while (out.length < n) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
  return out;
}

function ip(rng: Rng, prefix: string): string {
  return `::ffff:${prefix}.${rng.int(0, 255)}.${rng.int(2, 254)}`;
}

function buildUsers(rng: Rng, people: string[]): SimUser[] {
  let id = 100;
  const user = (name: string, kind: UserKind, extra: Partial<SimUser> = {}): SimUser => {
    const client = kind === 'service' ? PY : rng.pick([JDBC, JDBC, ODBC, PY]);
    return {
      name,
      id: kind === 'internal' ? 1 : id++,
      kind,
      createdb: kind === 'admin' || kind === 'internal',
      superuser: kind === 'admin' || kind === 'internal',
      active: true,
      host: kind === 'service' ? ip(rng, '10.0') : ip(rng, rng.pick(['10.20', '172.16'])),
      db: kind === 'service' || rng.chance(0.5) ? 'prod' : 'dev',
      app: client.app,
      osVersion: client.os,
      driverVersion: client.driver,
      ...extra,
    };
  };
  const users: SimUser[] = [
    user('rdsdb', 'internal', { host: '[local]', db: 'dev', app: '', osVersion: '', driverVersion: '' }),
    user('awsuser', 'admin'),
  ];
  const humans = people.slice(0, rng.int(3, people.length));
  for (const p of humans) users.push(user(p, 'human'));
  users.push(user('etl_loader', 'service', { role: 'etl' }));
  users.push(user('dbt_runner', 'service', { role: 'dbt' }));
  users.push(user('airflow', 'service', { role: 'airflow' }));
  users.push(user(rng.chance(0.5) ? 'looker_svc' : 'tableau_svc', 'service'));
  const bi = users[users.length - 1];
  bi.role = bi.name === 'looker_svc' ? 'looker' : 'tableau';
  bi.app = bi.role === 'looker' ? 'Looker' : 'Tableau';
  return users;
}
