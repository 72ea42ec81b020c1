import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** FNV-1a 32-bit over UTF-16 code units: tiny, stable across platforms, good enough to separate keys. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: spreads nearby inputs (seed 1 vs 2, similar keys) over the whole state. */
function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * A seeded random stream owned by one simulated entity (a vCPU, a vhost worker, a queue...).
 *
 * Giving every entity its own stream means draws in one entity never shift another's sequence, so adding
 * or reordering entities keeps the rest of a run comparable (common random numbers across policies).
 */
export class RandomStream {
  constructor(private readonly rng: JumpableRandomGenerator) {}

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`);
    }
    return Math.floor(this.next() * maxExclusive);
  }

  /** Exponential with the given mean (inverse CDF; `1 - u` keeps the log argument in (0, 1]). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal via Box-Muller (one value per call; simplicity beats caching the pair). */
  normal(): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal with parameters of the underlying normal. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /**
   * Lognormal parameterised by its own mean and coefficient of variation, which is how service times are
   * usually specified. cv = 0 returns the mean exactly.
   */
  lognormalMean(mean: number, cv: number): number {
    if (cv <= 0) return mean;
    const sigma2 = Math.log(1 + cv * cv);
    return this.lognormal(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
  }
}

/**
 * Derive the stream for `entityKey` under the run `seed`. The 128-bit xoroshiro state is a pure function
 * of (seed, FNV-1a(key)), so streams are independent of creation order and of which other keys exist.
 */
export function streamFor(seed: number, entityKey: string): RandomStream {
  const s = seed | 0;
  const hi = Math.floor(seed / 0x1_0000_0000) | 0; // keep seeds above 2^32 distinct
  const k = fnv1a32(entityKey) | 0;
  const state = [
    fmix32(s ^ 0x9e3779b9),
    fmix32(k ^ 0x7f4a7c15),
    fmix32((s + Math.imul(k, 0x85ebca6b)) ^ hi),
    fmix32(k ^ Math.imul(s, 0xc2b2ae35) ^ 0x165667b1),
  ];
  // xoroshiro must never have an all-zero state.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  const rng = xoroshiro128plusFromState(state);
  // Discard a few outputs so weakly mixed initial states do not show up in the first draws.
  for (let i = 0; i < 8; i++) rng.next();
  return new RandomStream(rng);
}
