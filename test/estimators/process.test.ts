// quantileProcess (src/inference/process.ts) against quantreg rq(tau = -1): every breakpoint and the
// solution on every interval; fixtures from scripts/process-fixtures.R.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RobustRegError, init, processAt, quantile, quantileProcess } from '../../src/index.js';

interface ProcCase { name: string; X: number[][]; y: number[]; weights: number[] | null; tau: number[]; objective: number[]; coef: number[][] }
const fx = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'inference', 'process.json'), 'utf8')) as { cases: ProcCase[] };
const TOLER = Math.pow(Number.EPSILON, 2 / 3);
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/**
 * quantreg's sol as pieces: column j holds from tau_j to tau_{j+1}; the last column (tau = 1) repeats
 * the previous solution; consecutive columns with the same coefficients (pivots that left β unchanged,
 * on degenerate data) are one piece. quantreg starts its walk at tau = 1/n − ε^(2/3) and labels that
 * first solution tau = 0.
 */
function referencePieces(c: ProcCase): { tau: number; coef: number[] }[] {
  const out: { tau: number; coef: number[] }[] = [];
  for (let j = 0; j < c.tau.length - 1; j++) {
    const last = out[out.length - 1];
    if (last && last.coef.every((v, i) => close(v, c.coef[j][i], 1e-9))) continue;
    out.push({ tau: c.tau[j], coef: c.coef[j] });
  }
  return out;
}

beforeAll(async () => {
  await init();
});

describe('quantileProcess as quantreg rq(tau = -1)', () => {
  it.each(fx.cases.map((c) => [c.name, c] as const))('%s: every breakpoint and solution', (_n, c) => {
    const pr = quantileProcess(c.X, c.y, c.weights ? { weights: c.weights } : {});
    const ref = referencePieces(c);
    const n = c.y.length;
    const t0 = 1 / n - TOLER;
    // Ours from quantreg's starting tau on: the piece containing t0, then the rest.
    const first = pr.pieces.findIndex((pc) => pc.tauTo > t0);
    const ours = pr.pieces.slice(first);
    expect(ours.length).toBe(ref.length);
    ours.forEach((pc, j) => {
      if (j > 0) expect(Math.abs(pc.tauFrom - ref[j].tau), `breakpoint ${j}`).toBeLessThan(1e-12);
      [pc.intercept, ...pc.coef].forEach((b, i) => expect(close(b, ref[j].coef[i], 1e-10), `piece ${j} coef ${i}: ${b} vs ${ref[j].coef[i]}`).toBe(true));
    });
    // Certificates: each piece's dual point is feasible over its whole interval, and the gap is 0.
    expect(pr.certified.dualInfeasibility).toBeLessThan(1e-10);
    expect(pr.certified.gap).toBeLessThan(1e-10);
    expect(pr.pieces[0].tauFrom).toBe(0);
    expect(pr.pieces[pr.pieces.length - 1].tauTo).toBe(1);
    for (let j = 1; j < pr.pieces.length; j++) expect(pr.pieces[j].tauFrom).toBe(pr.pieces[j - 1].tauTo);
    expect(Array.from(pr.breakpoints)).toEqual(pr.pieces.slice(1).map((pc) => pc.tauFrom));
  });

  it('every piece is the quantile fit at any tau inside it (objective and coefficients; property)', () => {
    const c = fx.cases.find((x) => x.name === 'synthetic')!;
    const pr = quantileProcess(c.X, c.y);
    fc.assert(fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), (tau) => {
      const pc = processAt(pr, tau);
      expect(pc.tauFrom).toBeLessThanOrEqual(tau);
      expect(pc.tauTo).toBeGreaterThanOrEqual(tau);
      const f = quantile(c.X, c.y, { tau });
      let obj = 0;
      c.y.forEach((yi, i) => {
        const r = yi - pc.intercept - c.X[i].reduce((s, x, j) => s + x * pc.coef[j], 0);
        obj += r * (r < 0 ? tau - 1 : tau);
      });
      expect(close(obj, f.objective, 1e-9)).toBe(true);
    }), { numRuns: 40, seed: 7 });
  });

  it('degenerate integer data (ties, duplicated rows, many points on one fit): certified, contiguous, optimal at every tau (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 8, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (n, p, seed) => {
        let s = seed || 1;
        const rnd = () => { s = (s * 48271) % 2147483647; return s / 2147483647; };
        const X = Array.from({ length: n }, () => Array.from({ length: p }, () => Math.floor(rnd() * 5)));
        const y = X.map((r) => Math.floor(r.reduce((a, b) => a + b, 0) + rnd() * 4));
        let pr;
        try {
          pr = quantileProcess(X, y);
        } catch (e) {
          // a design without full rank (constant or collinear integer columns) is the one refusal
          expect((e as RobustRegError).code).toBe('RANK_DEFICIENT');
          return;
        }
        expect(pr.certified.dualInfeasibility).toBeLessThan(1e-9);
        expect(pr.certified.gap).toBeLessThan(1e-9);
        expect(pr.pieces[0].tauFrom).toBe(0);
        expect(pr.pieces[pr.pieces.length - 1].tauTo).toBe(1);
        for (let j = 1; j < pr.pieces.length; j++) expect(pr.pieces[j].tauFrom).toBe(pr.pieces[j - 1].tauTo);
        for (const tau of [0.13, 0.5, 0.77]) {
          const pc = processAt(pr, tau);
          let obj = 0;
          y.forEach((yi, i) => {
            const r = yi - pc.intercept - X[i].reduce((acc, x, j) => acc + x * pc.coef[j], 0);
            obj += r * (r < 0 ? tau - 1 : tau);
          });
          expect(close(obj, quantile(X, y, { tau }).objective, 1e-9)).toBe(true);
        }
      },
    ), { numRuns: 40, seed: 2020 });
  });

  it('taus: a sub-range gives the same breakpoints and solutions inside it', () => {
    const c = fx.cases.find((x) => x.name === 'engel')!;
    const full = quantileProcess(c.X, c.y);
    const part = quantileProcess(c.X, c.y, { taus: [0.2, 0.6] });
    expect(part.taus).toEqual([0.2, 0.6]);
    expect(part.pieces[0].tauFrom).toBe(0.2);
    expect(part.pieces[part.pieces.length - 1].tauTo).toBe(0.6);
    const inside = Array.from(full.breakpoints).filter((t) => t > 0.2 && t < 0.6);
    expect(part.breakpoints.length).toBe(inside.length);
    part.breakpoints.forEach((t, j) => expect(Math.abs(t - inside[j])).toBeLessThan(1e-13));
    for (const pc of part.pieces) {
      const f = processAt(full, (pc.tauFrom + pc.tauTo) / 2);
      expect(close(pc.coef[0], f.coef[0], 1e-12)).toBe(true);
      expect(close(pc.intercept, f.intercept, 1e-12)).toBe(true);
    }
  });

  it('no intercept, duplicated rows and row order: the same process', () => {
    const c = fx.cases.find((x) => x.name === 'stackloss')!;
    const a = quantileProcess(c.X, c.y, { intercept: false });
    const X2 = [...c.X].reverse();
    const y2 = [...c.y].reverse();
    const b = quantileProcess(X2, y2, { intercept: false });
    expect(Array.from(b.breakpoints)).toEqual(Array.from(a.breakpoints).map((t, j) => (Math.abs(t - b.breakpoints[j]) < 1e-13 ? b.breakpoints[j] : t)));
    expect(a.pieces.every((pc) => pc.intercept === 0)).toBe(true);
    const d = quantileProcess([...c.X, ...c.X], [...c.y, ...c.y], { intercept: false });
    expect(d.breakpoints.length).toBe(a.breakpoints.length);
    d.breakpoints.forEach((t, j) => expect(Math.abs(t - a.breakpoints[j])).toBeLessThan(1e-13));
    expect(a.certified.dualInfeasibility).toBeLessThan(1e-10);
  });

  it('bad input: typed errors', () => {
    const c = fx.cases.find((x) => x.name === 'stackloss')!;
    const bad = (f: () => unknown, code: string, re: RegExp) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(RobustRegError);
        expect((e as RobustRegError).code).toBe(code);
        expect((e as Error).message).toMatch(re);
        return;
      }
      throw new Error('should throw');
    };
    bad(() => quantileProcess(c.X, c.y, { taus: [-0.1, 0.5] }), 'INVALID_INPUT', /taus must be a range \[lo, hi\] inside \[0, 1\]/);
    bad(() => quantileProcess(c.X, c.y, { taus: [0.6, 0.5] }), 'INVALID_INPUT', /taus must be a range/);
    bad(() => quantileProcess(c.X, c.y, { taus: [0.2] as never }), 'INVALID_INPUT', /taus must be a range/);
    bad(() => quantileProcess(c.X.map((r) => [r[0], 2 * r[0]]), c.y), 'RANK_DEFICIENT', /does not have full column rank 3/);
    bad(() => processAt(quantileProcess(c.X, c.y, { taus: [0.2, 0.4] }), 0.5), 'INVALID_INPUT', /tau must be a number in the traced range \[0.2, 0.4\], received 0.5/);
  });
});
