// Seeded pseudo-random numbers, so every random choice of a run can be replayed from its printed seed.

/** A seeded generator of uniform numbers in [0, 1) and a few distributions built on them. */
export interface Random {
  next(): number;
  /** Normally distributed value (Box–Muller). */
  normal(mean: number, sd: number): number;
}

/** sfc32 seeded through splitmix32: fast, 128-bit state, good statistical quality for simulation. */
export function createRandom(seed: number | string): Random {
  let s = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  return {
    next,
    normal(mean, sd) {
      const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** FNV-1a 32-bit hash of a string. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic choice for `key`, true with probability `fraction`: the same key and seed always choose the same,
 * whatever order keys arrive in (so concurrent runs replay identically).
 */
export function chooseByKey(key: string, seed: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  // Mix the seed in and finalise (murmur3 fmix32) so nearby keys spread over the whole range.
  let h = hash32(key, (0x811c9dc5 ^ seed) >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296 < fraction;
}
