/**
 * The generator's own seeded PRNG (sfc32, seeded through splitmix32). Never Math.random and never the clock:
 * the same seed must give byte-identical files on every machine and Node version.
 *
 * `fork(label)` derives an independent stream from the root seed and a label, so each account, cluster and
 * hour draws from its own stream: adding a user to one cluster does not change the bytes of another.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** `n` characters from `alphabet`. */
  chars(n: number, alphabet: string): string;
  hex(n: number): string;
  /** A version-4-shaped UUID (lower-case hex). */
  uuid(): string;
  /** Exponentially distributed value with the given mean (for gaps between events). */
  exp(mean: number): number;
  /** An independent stream for `label`, derived from this stream's seed (not from its position). */
  fork(label: string): Rng;
}

const HEX = '0123456789abcdef';

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash of a label. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Creates a PRNG from a numeric or textual seed. */
export function createRng(seed: number | string): Rng {
  const seedText = String(seed);
  const init = splitmix32(hash32(seedText));
  let a = init(), b = init(), c = init(), d = init();
  const next32 = (): number => {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit arithmetic.
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32(); // warm-up: decorrelate nearby seeds

  const rng: Rng = {
    next: () => next32() / 4294967296,
    int: (lo, hi) => lo + Math.floor((next32() / 4294967296) * (hi - lo + 1)),
    chance: (p) => next32() / 4294967296 < p,
    pick: (items) => items[Math.floor((next32() / 4294967296) * items.length)],
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = (next32() / 4294967296) * total;
      for (const [v, w] of items) {
        if (r < w) return v;
        r -= w;
      }
      return items[items.length - 1][0];
    },
    chars: (n, alphabet) => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor((next32() / 4294967296) * alphabet.length)];
      return s;
    },
    hex: (n) => rng.chars(n, HEX),
    uuid: () => {
      const h = rng.hex(32);
      const variant = HEX[8 + Math.floor(rng.next() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    exp: (mean) => -Math.log(1 - rng.next()) * mean,
    fork: (label) => createRng(`${seedText}/${label}`),
  };
  return rng;
}
