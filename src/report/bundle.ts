import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Evidence bundle: SHA256SUMS (sha256sum format) and manifest.json over every report file, and an
 * Ed25519 signature of manifest.json. An auditor checks it with stock tools:
 *   sha256sum -c SHA256SUMS
 *   openssl pkeyutl -verify -pubin -inkey report-signing.pub.pem -rawin -in manifest.json -sigfile manifest.json.sig
 */
export interface BundleManifest {
  createdAt: string;
  report: { month: string; account: string | null; framework: string };
  algorithm: 'SHA-256';
  signatureAlgorithm: 'Ed25519';
  publicKeyFingerprint: string;
  files: { name: string; size: number; sha256: string }[];
}

/** The report-signing key under `keysDir`, created (0600) on first use. */
export function loadReportSigningKey(keysDir: string): { privateKey: KeyObject; publicPem: string } {
  const privPath = join(keysDir, 'report-signing.key.pem');
  const pubPath = join(keysDir, 'report-signing.pub.pem');
  if (!existsSync(privPath)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(privPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(pubPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  }
  const privateKey = createPrivateKey(readFileSync(privPath));
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicPem };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function writeBundle(outDir: string, files: { name: string; size: number }[], report: BundleManifest['report'], keysDir: string): Promise<BundleManifest> {
  const { privateKey, publicPem } = loadReportSigningKey(keysDir);
  const entries = [];
  for (const f of files) entries.push({ name: f.name, size: f.size, sha256: await sha256File(join(outDir, f.name)) });
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  const manifest: BundleManifest = {
    createdAt: new Date().toISOString(), report, algorithm: 'SHA-256', signatureAlgorithm: 'Ed25519',
    publicKeyFingerprint: createHash('sha256').update(der).digest('hex'), files: entries,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(outDir, 'manifest.json'), manifestBytes);
  writeFileSync(join(outDir, 'manifest.json.sig'), sign(null, manifestBytes, privateKey));
  writeFileSync(join(outDir, 'report-signing.pub.pem'), publicPem);
  writeFileSync(join(outDir, 'SHA256SUMS'), entries.map((e) => `${e.sha256}  ${e.name}\n`).join(''));
  return manifest;
}
