// summary(..., { se: 'nid' }) on integer designs against quantreg summary.rq (issue 18): every
// conditional distribution is discrete, so conditional quantiles are flat between jumps. Where the
// fits at tau ± h differ, the standard errors are R's; where they coincide (tau 0.5 here) every
// density estimate is 0 and R stops ("singular matrix in 'backsolve'"): we throw RANK_DEFICIENT with
// the count of positive densities — the same error from the Dataset path (which must not fall back
// to the array path and refit) as from the array path. Fixture: scripts/nid-intx-fixtures.mjs.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, RobustRegError, summary } from '../../src/index.js';

interface Fixture {
  data: Record<string, { n: number; p: number; X: string; y: string }>;
  results: { name: string; tau: number; se?: number[]; error?: string }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/inference/nid-intx.json', import.meta.url), 'utf8')) as Fixture;

function load(name: string): { n: number; p: number; X: Float64Array; y: Float64Array } {
  const d = fx.data[name];
  const int8 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return Float64Array.from(new Int8Array(b.buffer, b.byteOffset, b.length)); };
  return { n: d.n, p: d.p, X: int8(d.X), y: int8(d.y) };
}

function thrown(f: () => unknown): RobustRegError {
  try {
    f();
  } catch (e) {
    if (e instanceof RobustRegError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

beforeAll(async () => {
  await init();
});

describe('nid on integer designs, as quantreg summary.rq', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`standard errors where the fits at tau ± h differ, R's error where they coincide (${backend})`, () => {
      let compared = 0, errors = 0;
      for (const name of Object.keys(fx.data)) {
        const { n, p, X, y } = load(name);
        const mat = { data: X, rows: n, cols: p };
        const ds = Dataset.from(mat, y, { backend });
        try {
          for (const r of fx.results.filter((x) => x.name === name)) {
            const fit = quantile(ds, { tau: r.tau });
            expect(fit.converged).toBe(true);
            if (r.se) {
              for (const s of [summary(fit, ds, { se: 'nid' }), summary(fit, mat, y, { se: 'nid', backend })]) {
                expect(s.method).toBe('nid');
                s.coefficients.forEach((c, j) => expect(Math.abs(c.stdError - r.se![j])).toBeLessThanOrEqual(1e-9 * r.se![j]));
                compared++;
              }
            } else {
              expect(r.error).toMatch(/singular matrix in 'backsolve'/);
              const a = thrown(() => summary(fit, ds, { se: 'nid' }));
              const b = thrown(() => summary(fit, mat, y, { se: 'nid', backend }));
              expect(a.code).toBe('RANK_DEFICIENT');
              expect(a.message).toMatch(/local density estimate is positive at only 0 of \d+ observations/);
              expect(a.message).toBe(b.message);
              expect(a.details).toEqual({ positive: 0, observations: n, parameters: p + 1 });
              expect(b.details).toEqual(a.details);
              errors++;
            }
          }
        } finally {
          ds.dispose();
        }
      }
      expect(compared).toBe(2 * fx.results.filter((r) => r.se).length);
      expect(errors).toBe(2);
    });
  }
});
