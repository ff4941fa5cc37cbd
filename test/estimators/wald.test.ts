// quantileTest (src/inference/wald.ts) against quantreg anova.rq(…, test = "Wald", joint): fixtures
// from scripts/wald-fixtures.R.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, quantile, quantileTest } from '../../src/index.js';

interface Tab { ndf: number | number[]; ddf: number | number[]; Tn: number | number[]; pvalue: number | number[]; pvalueAccurate: number | number[] }
interface WaldCase { name: string; taus: number[]; X: number[][]; y: number[]; weights: number[] | null; coef: number[][]; joint: Tab; separate: Tab; warnings: string[] }
const fx = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'inference', 'wald.json'), 'utf8')) as { cases: WaldCase[] };
const arr = (v: number | number[]) => (Array.isArray(v) ? v : [v]);
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

beforeAll(async () => {
  await init();
});

describe('quantileTest as quantreg anova.rq(test = "Wald")', () => {
  it.each(fx.cases.map((c) => [`${c.name} taus ${c.taus.join(',')}`, c] as const))('%s: joint and per slope', (_l, c) => {
    const w = c.weights ? { weights: c.weights } : {};
    // Our fits equal quantreg's where the solution is unique. stackloss at tau = 0.25 is not (quantreg
    // warns "Solution may be nonunique"; both optima have the same objective): there the test is
    // given quantreg's vertex, as a plain result object.
    const fits = c.taus.map((tau, i) => {
      const f = quantile(c.X, c.y, { tau, ...w });
      const same = [f.intercept, ...f.coef].every((b, j) => rel(b, c.coef[i][j]) < 1e-9 || Math.abs(b - c.coef[i][j]) < 1e-12);
      if (c.name !== 'stackloss') expect(same, `fit at tau ${tau} equals quantreg's`).toBe(true);
      return same ? f : { loss: 'quantile' as const, tau, intercept: c.coef[i][0], coef: c.coef[i].slice(1), objective: f.objective };
    });
    for (const joint of [true, false]) {
      const t = quantileTest(fits, c.X, c.y, { joint, ...w });
      const ref = joint ? c.joint : c.separate;
      expect(t.rows.length).toBe(arr(ref.Tn).length);
      let compared = 0;
      t.rows.forEach((row, j) => {
        expect(row.ndf).toBe(arr(ref.ndf)[j]);
        expect(row.ddf).toBe(arr(ref.ddf)[j]);
        expect(rel(row.statistic, arr(ref.Tn)[j]), `${joint ? 'joint' : `slope ${j}`} statistic`).toBeLessThan(1e-10);
        expect(rel(row.pValue, arr(ref.pvalueAccurate)[j]), `${joint ? 'joint' : `slope ${j}`} p`).toBeLessThan(1e-10);
        compared++;
      });
      expect(compared).toBe(arr(ref.pvalueAccurate).length);
      expect(t.taus).toEqual(c.taus);
      // quantreg warns "k non-positive fis" per tau where the fits at tau ± h cross; so do we.
      expect(t.warnings.length > 0).toBe(c.warnings.length > 0);
    }
  });

  it('the order of the fits does not change the statistic', () => {
    const c = fx.cases.find((x) => x.name === 'synthetic' && x.taus.length === 5)!;
    const fits = c.taus.map((tau) => quantile(c.X, c.y, { tau }));
    const a = quantileTest(fits, c.X, c.y);
    const b = quantileTest([...fits].reverse(), c.X, c.y);
    expect(rel(b.rows[0].statistic, a.rows[0].statistic)).toBeLessThan(1e-12);
  });
});
