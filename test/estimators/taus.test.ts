// quantile(X, y, { taus }): several levels in one call, warm-started, each certified; crossings reported.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile } from '../../src/index.js';
import { expectRel, rng } from '../helpers/close.js';

beforeAll(async () => {
  await init();
});

describe('quantile with taus', () => {
  const r = rng(11);
  const X = Array.from({ length: 400 }, () => [r() * 10]);
  const y = X.map(([x]) => 2 + 0.5 * x + (r() - 0.5) * (1 + x));

  it('equals independent fits (objective) and keeps the order given', () => {
    const taus = [0.9, 0.1, 0.5, 0.25];
    const set = quantile(X, y, { taus });
    expect(set.map((s) => s.tau)).toEqual(taus);
    let compared = 0;
    for (const s of set) {
      expect(s.converged).toBe(true);
      expectRel(s.objective, quantile(X, y, { tau: s.tau }).objective, 1e-12, `tau ${s.tau}`);
      expect(s.crossings).toBeGreaterThanOrEqual(0);
      compared++;
    }
    expect(compared).toBe(taus.length);
    expect(set.find((s) => s.tau === 0.9)!.crossings).toBe(0); // the top level has no next level
  });

  it('counts crossings when the lines do cross', () => {
    // heteroskedastic in opposite directions at two levels: tau 0.45 vs 0.55 fitted on a fan that narrows
    const X2 = Array.from({ length: 300 }, (_, i) => [i / 30]);
    const y2 = X2.map(([x], i) => (i % 2 ? 1 : -1) * (10 - x) * 0.1 * (1 + (i % 7)));
    const set = quantile(X2, y2, { taus: [0.3, 0.31] });
    const direct = (() => {
      const a = set[0].predict(X2), b = set[1].predict(X2);
      let c = 0;
      for (let i = 0; i < a.length; i++) if (a[i] - b[i] > 1e-12 * (Math.abs(a[i]) + Math.abs(b[i]))) c++;
      return c;
    })();
    expect(set[0].crossings).toBe(direct);
  });

  it('works on a Dataset and rejects tau with taus', () => {
    const ds = Dataset.from(X, y);
    const set = quantile(ds, { taus: [0.2, 0.8] });
    expectRel(set[1].objective, quantile(X, y, { tau: 0.8 }).objective, 1e-12);
    ds.dispose();
    expect(() => quantile(X, y, { taus: [0.2], tau: 0.3 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => quantile(X, y, { taus: [0.2, 1] })).toThrow(/tau/);
  });
});
