// Distributions under the inference tables, against scipy and mpmath (60 digits) reference values
// (test/fixtures/inference/distributions.json, made by scripts/inference-fixtures-dist.py), plus
// identities that tie them together.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RobustRegError } from '../../src/errors.js';
import {
  fCdf, fSf, incompleteBeta, logBeta, logGamma, normalCdf, normalPdf, normalQuantile, normalSf,
  studentTCdf, studentTPdf, studentTQuantile, studentTSf, studentTTwoSided,
} from '../../src/inference/distributions.js';
import { relErr } from '../helpers/close.js';

interface Case { args: (number | boolean)[]; scipy: number | string; mpmath: number | string }
const fx = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/inference/distributions.json', import.meta.url)), 'utf8')) as {
  provenance: Record<string, unknown>;
  cases: Record<string, Case[]>;
};

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')));

const fns: Record<string, (...a: never[]) => number> = {
  logGamma: (x: number) => logGamma(x),
  incompleteBeta: (a: number, b: number, x: number, upper: boolean) => incompleteBeta(x, a, b, upper),
  normalCdf: (x: number) => normalCdf(x),
  normalSf: (x: number) => normalSf(x),
  normalQuantile: (p: number) => normalQuantile(p),
  studentTCdf: (t: number, df: number) => studentTCdf(t, df),
  studentTSf: (t: number, df: number) => studentTSf(t, df),
  studentTQuantile: (p: number, df: number) => studentTQuantile(p, df),
  fSf: (x: number, d1: number, d2: number) => fSf(x, d1, d2),
  fCdf: (x: number, d1: number, d2: number) => fCdf(x, d1, d2),
};

/** Relative error, with an absolute floor for the values near a root (lnΓ at 1 and 2). */
function err(actual: number, expected: number, absFloor: number): number {
  if (actual === expected) return 0;
  if (Math.abs(expected) < absFloor) return Math.abs(actual - expected) / absFloor;
  return relErr(actual, expected);
}

// The target of the issue is 1e-10 relative against scipy. Against the 60-digit mpmath values we hold
// ourselves to 1e-12 (measured: see the summary test printed below; the worst is ~1e-14).
const TOL_SCIPY = 1e-10;
const TOL_MPMATH = 1e-12;

describe('distributions against scipy and mpmath', () => {
  it('the fixture holds its groups', () => {
    expect(Object.keys(fx.cases).length).toBeGreaterThanOrEqual(5);
  });
  for (const [name, cases] of Object.entries(fx.cases)) {
    it(`${name}: ${cases.length} reference values`, () => {
      const f = fns[name];
      expect(f, `no function for fixture group ${name}`).toBeTypeOf('function');
      let worst = 0;
      let worstAt = '';
      let scipyOffCount = 0;
      let compared = 0;
      for (const c of cases) {
        compared++;
        const actual = (f as (...a: unknown[]) => number)(...c.args);
        const truth = num(c.mpmath);
        const sp = num(c.scipy);
        const floor = name === 'logGamma' ? 1 : 0; // lnΓ: absolute near its roots
        const eM = err(actual, truth, floor);
        // Where scipy itself is off (e.g. fSf ≈ 1.2e-308, near the end of the normal range, scipy
        // 1.17 loses 6 digits), the 60-digit value decides; count those points.
        const scipyOff = err(sp, truth, floor) > TOL_SCIPY;
        if (scipyOff) scipyOffCount++;
        const eS = scipyOff ? 0 : err(actual, sp, floor);
        if (eM > worst) {
          worst = eM;
          worstAt = JSON.stringify(c.args);
        }
        if (!(eM <= TOL_MPMATH) || !(eS <= TOL_SCIPY)) {
          expect.fail(`${name}(${c.args.join(', ')}): actual ${actual}, mpmath ${truth} (rel ${eM.toExponential(2)} > ${TOL_MPMATH}?), scipy ${sp} (rel ${eS.toExponential(2)} > ${TOL_SCIPY}?)`);
        }
      }
      expect(compared).toBe(cases.length);
      expect(compared).toBeGreaterThan(0);
      // Visible in the test output, for the record.
      console.log(`${name}: worst relative error vs mpmath ${worst.toExponential(2)} at ${worstAt}${scipyOffCount ? `; scipy off by > ${TOL_SCIPY} at ${scipyOffCount} point(s)` : ''}`);
      expect(scipyOffCount, 'points where scipy disagrees with mpmath').toBeLessThanOrEqual(2);
    });
  }

  it('regression: large df, x near 1 — the Numerical Recipes form of the fraction lost ε/(1 − x)', () => {
    // With 1 − (a+b)x/(a+1) formed directly, t cdf(−3, 1e5) was off by 2.4e-12 and I_0.99999(5e5, ½)
    // by 1.7e-11 (and 2.5e-10 at df = 1e7). The DiDonato–Morris form through λ keeps them at ~1e-14.
    const pick = (group: string, pred: (a: (number | boolean)[]) => boolean) => fx.cases[group].filter((c) => pred(c.args));
    const cases = [
      ...pick('studentTCdf', ([, df]) => (df as number) >= 1e5).map((c) => [studentTCdf(c.args[0] as number, c.args[1] as number), num(c.mpmath)]),
      ...pick('incompleteBeta', ([a]) => (a as number) >= 1e5).map((c) => [incompleteBeta(c.args[2] as number, c.args[0] as number, c.args[1] as number, c.args[3] as boolean), num(c.mpmath)]),
    ];
    expect(cases.length).toBeGreaterThan(20);
    for (const [actual, expected] of cases) expect(relErr(actual, expected)).toBeLessThanOrEqual(5e-13);
  });

  it('fixture provenance names the tools and versions', () => {
    const p = fx.provenance;
    expect(p.script).toBe('scripts/inference-fixtures-dist.py');
    expect(typeof p.scipy).toBe('string');
    expect(typeof p.mpmath).toBe('string');
  });
});

describe('identities', () => {
  it('t cdf is symmetric and sf = 1 − cdf', () => {
    fc.assert(fc.property(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: 0.3, max: 1e6, noNaN: true }), (t, df) => {
      const c = studentTCdf(t, df);
      const cm = studentTCdf(-t, df);
      expect(Math.abs(c + cm - 1)).toBeLessThanOrEqual(2e-15);
      expect(relErr(studentTSf(t, df), cm)).toBeLessThanOrEqual(1e-15);
      expect(relErr(studentTTwoSided(t, df), 2 * Math.min(c, cm))).toBeLessThanOrEqual(1e-15);
    }), { numRuns: 300, seed: 20261127 });
  });

  it('t quantile inverts the cdf (relative 1e-12 in probability)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), fc.double({ min: 0.5, max: 1e7, noNaN: true }), (p, df) => {
      const t = studentTQuantile(p, df);
      const back = p < 0.5 ? studentTCdf(t, df) : studentTSf(t, df);
      const target = p < 0.5 ? p : 1 - p;
      expect(relErr(back, target)).toBeLessThanOrEqual(1e-12);
    }), { numRuns: 300, seed: 20261127 });
  });

  it('normal quantile inverts the cdf; pdf matches the definition', () => {
    fc.assert(fc.property(fc.double({ min: -37, max: 37, noNaN: true }), (x) => {
      // Through the tail that holds the information: Φ(x) for x ≤ 0, 1 − Φ(x) = Φ(−x) for x > 0.
      const back = x <= 0 ? normalQuantile(normalCdf(x)) : -normalQuantile(normalSf(x));
      expect(Math.abs(back - x)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(x)));
      expect(relErr(normalPdf(x), Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI))).toBeLessThanOrEqual(1e-13 * Math.max(1, x * x));
    }), { numRuns: 300, seed: 20261127 });
  });

  it('closed forms: two-sided t(2) p-value and the F(2, ν) upper tail; F cdf + sf = 1', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (t) => {
      // P(|T₂| ≥ t) = 1 − t/√(2 + t²) = 2 / (√(2 + t²)·(√(2 + t²) + t)), the second form without cancellation
      const s2 = Math.sqrt(2 + t * t);
      expect(relErr(studentTTwoSided(t, 2), 2 / (s2 * (s2 + t)))).toBeLessThanOrEqual(1e-13);
    }), { numRuns: 300, seed: 20261127 });
    fc.assert(fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0.5, max: 1e5, noNaN: true }), (f, d2) => {
      // P(F(2, ν) > f) = (1 + 2f/ν)^(−ν/2)
      const expected = Math.exp(-(d2 / 2) * Math.log1p((2 * f) / d2));
      if (expected < 1e-290) return; // subnormal results carry fewer digits
      const tol = 1e-13 * Math.max(1, (d2 / 2) * Math.log1p((2 * f) / d2)); // the closed form's own error
      expect(relErr(fSf(f, 2, d2), expected)).toBeLessThanOrEqual(tol);
    }), { numRuns: 300, seed: 20261127 });
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e3, noNaN: true }), fc.double({ min: 0.5, max: 1e4, noNaN: true }), fc.double({ min: 0.5, max: 1e4, noNaN: true }), (f, d1, d2) => {
      expect(Math.abs(fCdf(f, d1, d2) + fSf(f, d1, d2) - 1)).toBeLessThanOrEqual(1e-14);
    }), { numRuns: 200, seed: 20261127 });
  });

  it('t with df = Infinity is the normal; t(1) is Cauchy; t pdf integrates the cdf', () => {
    for (const x of [-5, -1.3, 0, 0.7, 4]) {
      expect(studentTCdf(x, Infinity)).toBe(normalCdf(x));
      expect(relErr(studentTCdf(x, 1), 0.5 + Math.atan(x) / Math.PI)).toBeLessThanOrEqual(1e-14);
      // d/dt cdf = pdf (central difference, h = 1e-5: error O(h²))
      const h = 1e-5;
      const deriv = (studentTCdf(x + h, 3.5) - studentTCdf(x - h, 3.5)) / (2 * h);
      expect(relErr(deriv, studentTPdf(x, 3.5))).toBeLessThanOrEqual(1e-8);
    }
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });

  it('log-beta equals lnΓ(a) + lnΓ(b) − lnΓ(a + b) where that has no cancellation', () => {
    for (const [a, b] of [[0.5, 0.5], [2, 3], [1.5, 7.25], [10, 0.3]]) {
      expect(relErr(logBeta(a, b), logGamma(a) + logGamma(b) - logGamma(a + b))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('edges: probabilities 0 and 1, infinite arguments', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(studentTQuantile(0, 4)).toBe(-Infinity);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
    expect(fSf(0, 2, 3)).toBe(1);
    expect(fSf(Infinity, 2, 3)).toBe(0);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  it('invalid parameters throw RobustRegError INVALID_INPUT naming the argument', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => studentTCdf(1, 0), /df must be a number in \(0, Infinity\], received 0/],
      [() => studentTCdf(NaN, 3), /t must be a number, received NaN/],
      [() => studentTQuantile(1.5, 3), /p must be a probability in \[0, 1\], received 1.5/],
      [() => normalQuantile(-0.1), /p must be a probability/],
      [() => fSf(1, -2, 3), /d1 must be/],
      [() => incompleteBeta(1.2, 1, 1), /x must be a number in \[0, 1\]/],
      [() => logGamma(-1), /x must be a number in \(0, Infinity\]/],
    ];
    for (const [f, re] of bad) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RobustRegError);
      expect((caught as RobustRegError).code).toBe('INVALID_INPUT');
      expect((caught as Error).message).toMatch(re);
    }
  });
});
