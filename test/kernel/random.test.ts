import { describe, expect, it } from 'vitest';
import { fnv1a32, streamFor } from '../../src/kernel/random.ts';

function draw(seed: number, key: string, n: number): number[] {
  const s = streamFor(seed, key);
  return Array.from({ length: n }, () => s.next());
}

describe('random streams', () => {
  it('same seed + key gives the same sequence', () => {
    expect(draw(42, 'vcpu0', 100)).toEqual(draw(42, 'vcpu0', 100));
  });

  it('different keys or seeds give different sequences', () => {
    const base = draw(42, 'vcpu0', 20);
    expect(draw(42, 'vcpu1', 20)).not.toEqual(base);
    expect(draw(43, 'vcpu0', 20)).not.toEqual(base);
    expect(draw(42 + 2 ** 32, 'vcpu0', 20)).not.toEqual(base);
  });

  it("creating and drawing from other keys' streams does not perturb a key's sequence", () => {
    const alone = draw(7, 'worker/3', 50);
    const a = streamFor(7, 'worker/1');
    const target = streamFor(7, 'worker/3');
    const b = streamFor(7, 'worker/2');
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      a.next();
      got.push(target.next());
      b.exponential(3);
    }
    expect(got).toEqual(alone);
  });

  it('next() is in [0, 1) and int() in [0, n)', () => {
    const s = streamFor(1, 'range');
    for (let i = 0; i < 5000; i++) {
      const u = s.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = s.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(() => s.int(0)).toThrow(RangeError);
  });

  it('exponential and lognormalMean have roughly the requested mean', () => {
    const s = streamFor(2024, 'dist');
    const n = 20_000;
    let sumExp = 0;
    let sumLn = 0;
    for (let i = 0; i < n; i++) {
      sumExp += s.exponential(250);
      sumLn += s.lognormalMean(100, 0.5);
    }
    expect(sumExp / n).toBeGreaterThan(250 * 0.95);
    expect(sumExp / n).toBeLessThan(250 * 1.05);
    expect(sumLn / n).toBeGreaterThan(100 * 0.97);
    expect(sumLn / n).toBeLessThan(100 * 1.03);
    expect(s.lognormalMean(100, 0)).toBe(100);
  });

  it('fnv1a32 matches the reference vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
