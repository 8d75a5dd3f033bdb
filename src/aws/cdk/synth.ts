import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { buildApp, stackIds } from './app.js';
import type { DeployConfig } from './config.js';

export interface SynthResult {
  outdir: string;
  /** Stack id → template file (relative to outdir). */
  templates: Record<string, string>;
  warnings: string[];
}

/**
 * Synthesizes the whole app into `outdir` (a CDK cloud assembly: templates, asset bundles, manifest). Offline:
 * no lookups, no credentials; Lambda bundles are built by the local esbuild.
 */
export function synthToDir(c: DeployConfig, outdir: string): SynthResult {
  assertEsbuild();
  const { app } = buildApp(c, outdir);
  const asm = app.synth();
  const templates: Record<string, string> = {};
  const warnings: string[] = [];
  for (const s of asm.stacks) {
    templates[s.stackName] = s.templateFile;
    for (const m of s.messages) if (m.level === 'warning' || m.level === 'error') warnings.push(`${m.id}: ${String(m.entry.data)}`);
  }
  const missing = c.regions.flatMap((r) => Object.values(stackIds(c, r))).filter((id) => !templates[id]);
  if (missing.length) throw new AuditlakeError('E_INTERNAL', `aws synth: stacks ${missing.join(', ')} missing from the assembly in ${outdir}`);
  if (!readdirSync(outdir).some((f) => f.endsWith('.template.json'))) throw new AuditlakeError('E_IO', `aws synth: no template written to ${outdir}`);
  return { outdir, templates, warnings };
}

/** NodejsFunction falls back to Docker without a local esbuild; there is no Docker here, so say what is missing. */
function assertEsbuild(): void {
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch {
    throw new AuditlakeError('E_USAGE', 'aws synth: esbuild is not installed next to auditlake (npm install esbuild): the Lambda handlers are bundled with it, not with Docker');
  }
}

/** The aws-cdk CLI entry, if installed; null = not installed. */
export function findCdkCli(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('aws-cdk/package.json');
    const bin = join(pkg, '..', 'bin', 'cdk');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
