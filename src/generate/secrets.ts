import type { Rng } from './prng.js';

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PW_WORDS = ['Summer', 'Winter', 'Harbor', 'Falcon', 'Quartz', 'Maple', 'Orbit', 'Velvet', 'Cobalt', 'Tundra'];

/**
 * Fake credentials for the secret-bearing statements. Every value that must never reach the lake is
 * recorded in `planted`; key ids (AKIA…) are identifiers, not secrets, and are not recorded.
 */
export interface SecretBag {
  readonly planted: Set<string>;
  accessKeyId(rng: Rng): string;
  secretAccessKey(rng: Rng): string;
  sessionToken(rng: Rng): string;
  password(rng: Rng): string;
  md5Password(rng: Rng): string;
}

export function createSecretBag(): SecretBag {
  const planted = new Set<string>();
  const keep = (s: string): string => (planted.add(s), s);
  return {
    planted,
    accessKeyId: (rng) => 'AKIA' + rng.chars(16, UPPER_DIGITS),
    // 40 characters like a real secret key; '+' and '/' included, ';' and quotes never.
    secretAccessKey: (rng) => keep(rng.chars(40, B64)),
    sessionToken: (rng) => keep('IQoJb3JpZ2luX2VjE' + rng.chars(rng.int(120, 180), B64)),
    password: (rng) => keep(`${rng.pick(PW_WORDS)}${rng.int(1000, 9999)}${rng.pick(['!', '#', '%', '*', '-'])}${rng.chars(4, B64.slice(0, 62))}`),
    md5Password: (rng) => keep('md5' + rng.hex(32)),
  };
}
