import { STSClient } from '@aws-sdk/client-sts';
import { memberClients, type MemberClients } from './clients.js';
import { readConfig, type Config } from './config.js';
import { pgRunner, type SqlRunner } from './sql-runner.js';
import type { EnableState } from './state.js';

export interface StepDeps {
  clients: MemberClients;
  config: Config;
  now: () => Date;
  /** Set when the deployment allows in-database setup (setup.ts). */
  sql?: SqlRunner;
}

export type Step = (s: EnableState, d: StepDeps) => Promise<EnableState>;

/** Wires a step to Lambda: config from the environment (once per container), member clients per invocation. */
export function stepHandler(step: Step): (s: EnableState) => Promise<EnableState> {
  let config: Config | undefined;
  const sts = new STSClient({});
  return async (s) => {
    config ??= readConfig(process.env);
    return step(s, { clients: await memberClients(sts, s, config.memberRoleName), config, now: () => new Date(), sql: config.inDatabaseSetup ? pgRunner : undefined });
  };
}
