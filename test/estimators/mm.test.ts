// MM regression (src/fit/mm.ts → mm_fit): against robustbase 0.95 lmrob() defaults on the classic robust
// data sets (fixtures: scripts/robust-fixtures-mm.R → test/fixtures/robust/mm.json), bit-identical
// backends, equivariance, breakdown, exact fits, errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mm, type MMResult, bisquareBreakdown, bisquareEfficiency, tuningChi, tuningPsi } from '../../src/fit/mm.js';
import { summary } from '../../src/index.js';
import { expectRel, expectVecRel } from '../helpers/close.js';
import { initBeforeAll } from '../helpers/robust.js';

initBeforeAll();

interface Case {
  names: string[];
  X: number[][];
  y: number[];
  S: { coef: number[]; scale: number; converged: boolean };
  MM: { coef: number[]; scale: number; iter: number; converged: boolean; rweights: number[]; outliers: number[]; objective: number; residuals: number[] };
  summary: { estimate: number[]; se: number[]; t: number[]; p: number[]; cov: number[][]; df: number };
  tuning: { chi: number; psi: number; bb: number };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/robust/mm.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };
const NAMES = Object.keys(fx.cases);

const all = (r: { intercept: number; coef: ArrayLike<number> }) => [r.intercept, ...Array.from(r.coef)];
const flagged = (r: MMResult) => Array.from(r.outliers).flatMap((v, i) => (v ? [i + 1] : []));

describe('mm vs robustbase lmrob (defaults)', () => {
  it('the fixture holds its 8 cases (tests per case below)', () => expect(NAMES.length).toBe(8));
  for (const name of NAMES) {
    const c = fx.cases[name];
    it(`${name}: M stage from robustbase's S-estimate matches to 1e-8`, () => {
      const start = { intercept: c.S.coef[0], coef: c.S.coef.slice(1), scale: c.S.scale };
      for (const backend of ['wasm', 'js'] as const) {
        const r = mm(c.X, c.y, { start, backend });
        expectVecRel(all(r), c.MM.coef, 1e-8, `${name} ${backend} coef`);
        expectRel(r.scale, c.MM.scale, 1e-15, `${name} scale`);
        expect(r.iterations, `${name} iterations`).toBe(c.MM.iter);
        expect(r.converged).toBe(true);
        expectRel(r.objective, c.MM.objective, 1e-7, `${name} objective`);
        expectVecRel(r.weights, c.MM.rweights, 1e-7, `${name} weights`);
        expect(flagged(r), `${name} outliers`).toEqual(c.MM.outliers);
      }
    });
    it(`${name}: own S stage: S-scale <= robustbase's (1 + 1e-6), same outliers`, () => {
      const r = mm(c.X, c.y);
      const w = mm(c.X, c.y, { backend: 'js' });
      expect(all(w)).toEqual(all(r));
      expect(w.scale).toBe(r.scale);
      expect(r.init.scale, `${name}: S-scale ${r.init.scale} vs robustbase ${c.S.scale}`).toBeLessThanOrEqual(c.S.scale * (1 + 1e-6));
      expect(flagged(r), `${name} outliers`).toEqual(c.MM.outliers);
      expect(r.status).toBe('converged');
    });
  }
  it('hbk: bad leverage rows 1-10 flagged, good leverage rows 11-14 not', () => {
    const c = fx.cases.hbk;
    const f = flagged(mm(c.X, c.y));
    for (let i = 1; i <= 10; i++) expect(f).toContain(i);
    for (let i = 11; i <= 14; i++) expect(f).not.toContain(i);
  });
  it('starsCYG: the four giants 11, 20, 30, 34 flagged', () => {
    const c = fx.cases.starsCYG;
    const f = flagged(mm(c.X, c.y));
    for (const i of [11, 20, 30, 34]) expect(f).toContain(i);
  });
});

describe('tuning constants', () => {
  it('robustbase defaults reproduce 50% breakdown and 95% efficiency', () => {
    // robustbase's constants are rounded (6 and 7 significant digits): E rho(1.54764) = 0.5000013.
    expectRel(bisquareBreakdown(1.54764), 0.5, 5e-6, 'E rho at 1.54764');
    expectRel(bisquareEfficiency(4.685061), 0.95, 2e-7, 'efficiency at 4.685061');
    expectRel(tuningChi(0.25), tuningChi(0.25), 0, 'deterministic');
    expectRel(bisquareBreakdown(tuningChi(0.25)), 0.25, 1e-12, 'breakdown 0.25');
    expectRel(bisquareEfficiency(tuningPsi(0.85)), 0.85, 1e-12, 'efficiency 0.85');
    expectRel(tuningPsi(0.95000001), 4.685061, 1e-5, 'solved vs robustbase');
  });
});

describe('summary() of an MM fit vs summary(lmrob) (.vcov.avar1)', () => {
  for (const name of NAMES) {
    it(name, () => {
      const c = fx.cases[name];
      const start = { intercept: c.S.coef[0], coef: c.S.coef.slice(1), scale: c.S.scale };
      const r = mm(c.X, c.y, { start });
      const s = summary(r, c.X, c.y);
      expect(s.method).toBe('.vcov.avar1');
      expect(s.df).toBe(c.summary.df);
      const k = c.summary.se.length;
      for (let j = 0; j < k; j++) {
        const row = s.coefficients[j];
        expectRel(row.estimate, c.summary.estimate[j], 1e-7, `${name} estimate ${j}`);
        expectRel(row.stdError, c.summary.se[j], 1e-6, `${name} se ${j}`);
        expectRel(row.statistic, c.summary.t[j], 1e-6, `${name} t ${j}`);
        if (c.summary.p[j] > 1e-300) expectRel(row.pValue, c.summary.p[j], 1e-5, `${name} p ${j}`);
        expectVecRel(s.covariance[j], c.summary.cov[j], 1e-6, `${name} cov row ${j}`);
      }
    });
  }
});
