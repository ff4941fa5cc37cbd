// Relative-error matchers that print actual, expected, delta and tolerance (not toBeCloseTo).
import { expect } from 'vitest';

export function relErr(a: number, e: number): number {
  if (a === e) return 0;
  return Math.abs(a - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
}

export function expectRel(actual: number, expected: number, tol: number, what = 'value'): void {
  const d = relErr(actual, expected);
  if (!(d <= tol)) {
    expect.fail(`${what}: actual ${actual}, expected ${expected}, |delta| ${Math.abs(actual - expected)}, rel ${d} > tol ${tol}`);
  }
}

/** Compare vectors by max relative error against max(|expected|_inf, floor). */
export function expectVecRel(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'vector', floor = 0): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]) / (scale || 1);
    if (!(d <= tol)) {
      expect.fail(`${what}[${i}]: actual ${actual[i]}, expected ${expected[i]}, |delta| ${Math.abs(actual[i] - expected[i])}, rel (to ||expected||∞ = ${scale}) ${d} > tol ${tol}`);
    }
  }
}

/** Deterministic PRNG (mulberry32) for seeded tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !ArrayBuffer.isView(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
