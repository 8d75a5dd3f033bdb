import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram, subcommands } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

test('every command and sub-command has --help with at least one example', async () => {
  const program = await buildProgram();
  const all = subcommands(program);
  assert.ok(all.length >= 30, `only ${all.length} commands found`);
  for (const [name, cmd] of all) {
    let out = '';
    cmd.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    cmd.outputHelp();
    assert.match(out, /Examples?:\n[\s\S]*^\s+(\S+=\S* )?auditlake \S/m, `auditlake ${name} --help shows no example`);
  }
});

test('usage errors exit 2 with a message that starts with the component and names the flag', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['query', 'select 1', '--max-width', '2'], /^auditlake: query: --max-width "2" is not an integer ≥ 4$/m],
    [['query', 'select 1', '--format', 'xml'], /^auditlake: query: --format "xml" is not one of table, json, csv$/m],
    [['verify', '--concurrency', 'many'], /^auditlake: verify: --concurrency "many" is not a positive integer$/m],
    [['demo', '--days', 'ten'], /^auditlake: demo: --days "ten" is not a whole number$/m],
    [['enable', 'postgres://postgres@127.0.0.1:1/postgres', '--verify-timeout', '5s'], /^auditlake: enable: --verify-timeout "5s" is not a positive integer$/m],
    [['report', '--month', '2026-10', '--business-hours', 'all day'], /^auditlake: report: --business-hours "all day"/m],
    [['report'], /^auditlake: report: required option '--month <YYYY-MM>' not specified$/m],
    [['retention', 'plan', '--bogus'], /^auditlake: retention plan: unknown option '--bogus'$/m],
    [['hold', 'add', '--account', '1'], /^auditlake: hold add: required option '--reason <text>' not specified$/m],
    [['frobnicate'], /^auditlake: unknown command 'frobnicate'$/m],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(['--home', '/nonexistent/auditlake-usage-test', ...args])));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
});
