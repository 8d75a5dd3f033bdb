import type { Command } from 'commander';
import { LOG_TYPES, type LogType } from '../../core/event.js';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome, type HomeLayout } from '../../core/home.js';
import { parseTime } from '../../core/duration.js';
import { FRAMEWORKS, isFrameworkId } from '../../retention/frameworks.js';
import type { Lake } from '../../core/lake.js';
import { actor } from '../actor.js';
import { homeFlag } from '../main.js';

/** The retention library, loaded on use: every command module is imported for `auditlake --help`. */
async function lib() {
  const [apply, config, lifecycle, plan, rules] = await Promise.all([
    import('../../retention/apply.js'),
    import('../../retention/config-file.js'),
    import('../../retention/lifecycle.js'),
    import('../../retention/plan.js'),
    import('../../retention/rules.js'),
  ]);
  return { ...apply, ...config, ...lifecycle, ...plan, ...rules };
}

interface CommonOpts {
  store?: string;
  now?: string;
  lake: boolean;
}

async function withTargets<T>(cmd: Command, opts: CommonOpts, fn: (t: { home: HomeLayout; lake: Lake | null; now: number }) => Promise<T>): Promise<T> {
  const home = resolveHome(homeFlag(cmd));
  const lake = opts.lake ? await (await import('../open-home-lake.js')).openHomeLake(home) : null;
  try {
    return await fn({ home, lake, now: opts.now ? parseTime(opts.now, 'retention: --now') : Date.now() });
  } finally {
    await lake?.close();
  }
}

export function register(program: Command): void {
  const retention = program
    .command('retention')
    .description('Retention rules per account and log type, framework minimums, dry-run plan, apply, S3 lifecycle export')
    .addHelpText('after', `
Examples:
  auditlake retention framework pci-dss
  auditlake retention set --account 123456789012 --log-type connection --keep 400d --lake-keep 120d
  auditlake retention set --keep 180d --override-framework "seed 001: 6 months agreed with the auditor"
  auditlake retention plan
  auditlake retention apply
  auditlake retention export-lifecycle > lifecycle.json
  aws s3api put-bucket-lifecycle-configuration --bucket my-vault --lifecycle-configuration file://lifecycle.json`);

  retention
    .command('framework')
    .description('Select the compliance framework whose minimums rules must meet: pci-dss, hipaa, gxp, none')
    .argument('<name>', Object.keys(FRAMEWORKS).join(' | '))
    .addHelpText('after', '\nExample:\n  auditlake retention framework hipaa')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      if (!isFrameworkId(name)) throw new AuditlakeError('E_USAGE', `retention: framework "${name}" is not one of ${Object.keys(FRAMEWORKS).join(', ')}`);
      const { loadConfig, saveConfig, setFramework } = await lib();
      const home = resolveHome(homeFlag(cmd));
      const next = setFramework(await loadConfig(home.root), name);
      await saveConfig(home.root, next);
      process.stdout.write(`framework ${name}: ${FRAMEWORKS[name].requirement}\n`);
    });

  retention
    .command('set')
    .description('Add or replace the rule for an account and log type')
    .option('--account <id>', 'AWS account id, or * for all', '*')
    .option('--log-type <type>', `${LOG_TYPES.join(', ')} or * for all`, '*')
    .requiredOption('--keep <duration>', 'how long vault objects are kept, e.g. 180d, 400d, 6y')
    .option('--lake-keep <duration>', 'how long lake partitions stay queryable (default: --keep)')
    .option('--override-framework <reason>', 'accept a rule shorter than the framework minimum, with this reason on record')
    .option('--by <name>', 'who sets it (default: the OS user)')
    .addHelpText('after', '\nExample:\n  auditlake retention set --account 123456789012 --log-type activity --keep 400d --lake-keep 90d')
    .action(async (o: { account: string; logType: string; keep: string; lakeKeep?: string; overrideFramework?: string; by?: string }, cmd: Command) => {
      if (o.logType !== '*' && !(LOG_TYPES as readonly string[]).includes(o.logType)) throw new AuditlakeError('E_USAGE', `retention: --log-type "${o.logType}" is not one of ${LOG_TYPES.join(', ')}, *`);
      const { loadConfig, saveConfig, setRule, describeRule } = await lib();
      const home = resolveHome(homeFlag(cmd));
      const next = setRule(await loadConfig(home.root), {
        account: o.account,
        logType: o.logType as LogType | '*',
        keep: o.keep,
        ...(o.lakeKeep ? { lakeKeep: o.lakeKeep } : {}),
        by: actor(o.by),
        ...(o.overrideFramework !== undefined ? { overrideReason: o.overrideFramework } : {}),
      });
      await saveConfig(home.root, next);
      const rule = next.rules[next.rules.length - 1];
      process.stdout.write(`rule set: ${describeRule(rule)} (framework ${next.framework})\n`);
    });

  retention
    .command('remove')
    .description('Remove the rule for an account and log type (its objects are then kept forever)')
    .option('--account <id>', 'AWS account id, or *', '*')
    .option('--log-type <type>', 'log type, or *', '*')
    .addHelpText('after', '\nExample:\n  auditlake retention remove --account 123456789012 --log-type connection')
    .action(async (o: { account: string; logType: string }, cmd: Command) => {
      const { loadConfig, saveConfig, removeRule } = await lib();
      const home = resolveHome(homeFlag(cmd));
      await saveConfig(home.root, removeRule(await loadConfig(home.root), o.account, o.logType));
      process.stdout.write(`rule removed: ${o.account}/${o.logType}\n`);
    });

  retention
    .command('list')
    .description('Show the framework, rules and legal holds')
    .addHelpText('after', '\nExample:\n  auditlake retention list')
    .action(async (_o: unknown, cmd: Command) => {
      const [{ loadConfig, describeRule }, { describeHold }] = await Promise.all([lib(), import('../../retention/holds.js')]);
      const home = resolveHome(homeFlag(cmd));
      const c = await loadConfig(home.root);
      const lines = [`framework ${c.framework}: ${FRAMEWORKS[c.framework].requirement}`];
      for (const r of c.rules) lines.push(`rule\t${describeRule(r)}\tby ${r.createdBy} at ${r.createdAt}`);
      for (const h of c.holds) lines.push(`hold\t${h.id}\t${describeHold(h)}\t${h.reason} (by ${h.by})`);
      if (c.rules.length === 0) lines.push('no rules: every record is kept');
      process.stdout.write(lines.join('\n') + '\n');
    });

  const common = (c: Command) =>
    c
      .option('--store <location>', 'the vault store (default <home>/vault)')
      .option('--now <time>', 'evaluate ages as of this UTC time instead of now (ISO)')
      .option('--no-lake', 'leave the Parquet lake alone')
      .option('--json', 'print JSON');

  common(retention.command('plan'))
    .description('Dry run: list what apply would delete now and why, and what legal holds keep')
    .addHelpText('after', '\nExample:\n  auditlake retention plan --now 2027-06-01')
    .action(async (o: CommonOpts & { json?: boolean }, cmd: Command) => {
      const [{ loadConfig, planRetention, formatPlan }, { openStore }] = await Promise.all([lib(), import('../../stores/open-store.js')]);
      await withTargets(cmd, o, async ({ home, lake, now }) => {
        const plan = await planRetention({ config: await loadConfig(home.root), store: openStore(o.store ?? home.vault), lake, now });
        process.stdout.write(o.json ? JSON.stringify(plan, null, 2) + '\n' : formatPlan(plan));
      });
    });

  common(retention.command('apply'))
    .description('Delete what the plan lists; every vault deletion is recorded in the signed digest chain first')
    .addHelpText('after', '\nExample:\n  auditlake retention apply && auditlake verify')
    .action(async (o: CommonOpts & { json?: boolean }, cmd: Command) => {
      const [{ loadConfig, applyRetention, formatPlan }, { openStore }, { lazyDigestRecorder, openDigestRecorder }] = await Promise.all([
        lib(),
        import('../../stores/open-store.js'),
        import('../../sinks/vault/integrity/open-recorder.js'),
      ]);
      await withTargets(cmd, o, async ({ home, lake, now }) => {
        const store = openStore(o.store ?? home.vault);
        const recorder = lazyDigestRecorder(() => openDigestRecorder({ home, store }));
        const r = await applyRetention({ config: await loadConfig(home.root), store, lake, now, recorder });
        if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else process.stdout.write(formatPlan(r.plan, 'deleted') + `${r.digests.length} digest file(s) written\n`);
      });
    });

  retention
    .command('export-lifecycle')
    .description('Print the equivalent S3 lifecycle configuration (JSON) for the vault bucket')
    .option('--account <ids>', 'comma-separated accounts to export wildcard rules for')
    .addHelpText('after', '\nExample:\n  auditlake retention export-lifecycle > lifecycle.json')
    .action(async (o: { account?: string }, cmd: Command) => {
      const { loadConfig, exportLifecycle } = await lib();
      const home = resolveHome(homeFlag(cmd));
      const out = exportLifecycle(await loadConfig(home.root), o.account ? { accounts: o.account.split(',').map((s) => s.trim()).filter(Boolean) } : {});
      for (const n of out.notes) process.stderr.write(`retention export-lifecycle: note: ${n}\n`);
      process.stdout.write(JSON.stringify(out.configuration, null, 2) + '\n');
    });
}
