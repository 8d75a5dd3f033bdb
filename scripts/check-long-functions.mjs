#!/usr/bin/env node
// Issue 9 "small pieces": counts functions of 80 lines or more in src/ (library code, not *.test.ts) with the
// TypeScript compiler API, so factory closures cannot hide their size. A long function passes only with a comment
// right above it that says why it must be long, marked `long-function: <why>`, or while it is listed in
// scripts/long-functions-baseline.json (the debt recorded when the check arrived; it may only shrink).
// A listed function that is now short or gone is reported as stale so the list gets trimmed.
// Usage: node scripts/check-long-functions.mjs [--list] [--json] [--prune]   (npm test runs it next to the layer check)
//   --prune removes stale entries from the baseline (after a split).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const LIMIT = 80;
const MARKER = /long-function:\s*\S/;

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isStringLiteral(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
  if (p && ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isCallExpression(p)) {
    const callee = p.expression.getText().slice(0, 40);
    return `<callback of ${callee}>`;
  }
  return '<anonymous>';
}

/** The comment lines directly above `line` (0-based), nearest first, stopping at code or a blank line. */
function commentAbove(lines, line) {
  const out = [lines[line]];
  for (let i = line - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (!(t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.endsWith('*/'))) break;
    out.push(t);
  }
  return out.join('\n');
}

export function findLongFunctions(root = fileURLToPath(new URL('..', import.meta.url))) {
  const found = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lines = text.split('\n');
    const visit = (node) => {
      if (ts.isFunctionLike(node) && node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const length = end - start + 1;
        if (length >= LIMIT) {
          // The comment may sit above the function or above the statement holding it (`const f = () => {`).
          let stmt = node;
          while (stmt.parent && !ts.isSourceFile(stmt.parent) && !ts.isBlock(stmt.parent) &&
            sf.getLineAndCharacterOfPosition(stmt.parent.getStart(sf)).line >= start - 1) stmt = stmt.parent;
          const stmtLine = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line;
          const why = MARKER.test(commentAbove(lines, start)) || MARKER.test(commentAbove(lines, stmtLine));
          found.push({ file: relative(root, file), name: nameOf(node), line: start + 1, length, why });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found.sort((a, b) => b.length - a.length);
}

export const keyOf = (f) => `${f.file}#${f.name}`;

export function checkLongFunctions(root = fileURLToPath(new URL('..', import.meta.url))) {
  const found = findLongFunctions(root);
  const baseline = new Set(JSON.parse(readFileSync(join(root, 'scripts/long-functions-baseline.json'), 'utf8')).functions);
  const offenders = found.filter((f) => !f.why && !baseline.has(keyOf(f)));
  const longKeys = new Set(found.map(keyOf));
  const stale = [...baseline].filter((k) => !longKeys.has(k));
  const lines = [
    `${found.length} functions ≥ ${LIMIT} lines: ${found.filter((f) => f.why).length} with a long-function comment, ` +
      `${found.filter((f) => !f.why && baseline.has(keyOf(f))).length} in the baseline, ${offenders.length} new`,
    ...offenders.map((f) => `  new long function ${f.file}:${f.line} ${f.name} (${f.length} lines): split it, or add ` +
      `a comment above it "// long-function: <why it must be long>"`),
    ...stale.map((k) => `  stale baseline entry ${k}: no longer ≥ ${LIMIT} lines, remove it from scripts/long-functions-baseline.json`),
  ];
  return { ok: offenders.length === 0 && stale.length === 0, found, offenders, stale, output: lines.join('\n') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let r = checkLongFunctions();
  if (process.argv.includes('--prune') && r.stale.length) {
    const file = fileURLToPath(new URL('long-functions-baseline.json', import.meta.url));
    const b = JSON.parse(readFileSync(file, 'utf8'));
    b.functions = b.functions.filter((k) => !r.stale.includes(k));
    writeFileSync(file, JSON.stringify(b, null, 2) + '\n');
    r = checkLongFunctions();
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(r.found, null, 2));
  else if (process.argv.includes('--list')) {
    for (const f of r.found) console.log(`${String(f.length).padStart(4)}  ${f.file}:${f.line}  ${f.name}${f.why ? '  (why-comment)' : ''}`);
  }
  console.log(r.output);
  process.exit(r.ok ? 0 : 1);
}
