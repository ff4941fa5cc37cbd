// summary(fit, dataset, { se: 'nid' }) on tied data solves a refit whose answer the fit's face decides
// on that face (src/inference/quantile-dataset.ts faceRefits) instead of refitting on all rows. The
// answer must be the full refit's — the same vertex, so the standard errors agree with the array
// path's (which refits on all rows) to rounding — for plain, weighted (some weights 0), float32 and
// collapsed (duplicated rows: multiplicities) Datasets, on the WASM kernel and the twin (bit for bit
// the same as each other). The face path must actually run (a face solve with fewer rows) and a side
// whose optimum leaves the face must still be refitted on all rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, summary } from '../../src/index.js';
import { l1Rows } from '../helpers/nid-calls.js';

beforeAll(async () => {
  await init({ warmup: false });
});

/** X uniform on {-2..2} (p columns), y = 1 + x1 − x2 + round(2 N(0,1)) — thousands of ties at any fit. */
function intData(n: number, p: number, seed: number): { X: Float64Array; y: Float64Array } {
  let s = seed >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X[j * n + i] = Math.floor(rnd() * 5) - 2;
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    y[i] = 1 + X[i] - X[n + i] + Math.round(2 * z);
  }
  return { X, y };
}

const ses = (s: ReturnType<typeof summary>) => s.coefficients.map((c) => c.stdError);

describe('nid refits on the fit\'s face (tied data)', () => {
  const kinds = [
    { name: 'plain', n: 6000, p: 3, weights: false, f32: false },
    { name: 'weighted, some weights 0', n: 6000, p: 3, weights: true, f32: false },
    { name: 'float32 X', n: 6000, p: 3, weights: false, f32: true },
    { name: 'collapsed (duplicated rows)', n: 30000, p: 2, weights: false, f32: false },
  ];
  for (const kind of kinds) {
    for (const tau of [0.1, 0.9]) {
      it(`${kind.name}, tau ${tau}: the face side is solved on the face, the SEs are the full refits' (array path) to rounding; wasm = twin`, () => {
        const { X, y } = intData(kind.n, kind.p, 17 + kind.n + kind.p);
        const w = kind.weights ? Float64Array.from({ length: kind.n }, (_, i) => (i % 17 === 0 ? 0 : 1 + (i % 3))) : undefined;
        const mat = { data: X, rows: kind.n, cols: kind.p, layout: 'column-major' as const };
        const bits: string[] = [];
        for (const backend of ['wasm', 'js'] as const) {
          const ds = Dataset.from(mat, y, { backend, ...(w ? { weights: w } : {}), ...(kind.f32 ? { precision: 'f32' as const } : {}) });
          try {
            const fit = quantile(ds, { tau });
            if (kind.name.startsWith('collapsed')) expect(fit.collapsedRows).toBeGreaterThan(0);
            const rows = fit.collapsedRows || kind.n;
            let s!: ReturnType<typeof summary>;
            const calls = l1Rows(ds, () => { s = summary(fit, ds, { se: 'nid' }); });
            expect(s.method).toBe('nid');
            // one face solve (fewer rows); the other side fails the necessary condition (no face
            // solve) and is refitted on all rows. Weighted, tau 0.1: the face solve's optimum moves
            // farther than the other rows allow (the condition is necessary, not sufficient), so
            // that side is refitted on all rows too
            const refitted = kind.weights && tau === 0.1 ? 2 : 1;
            expect(calls.filter((m) => m < rows).length, `calls ${calls}`).toBe(1);
            expect(calls.filter((m) => m === rows).length, `calls ${calls}`).toBe(refitted);
            // the array path refits both sides on all rows (from a copy of the stored values)
            const Xa = kind.f32 ? Float64Array.from(Float32Array.from(X)) : X;
            const ref = summary(fit, { ...mat, data: Xa }, y, { se: 'nid', ...(w ? { weights: w } : {}), backend });
            const a = ses(s), b = ses(ref);
            for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - b[j]) / b[j], `coefficient ${j}`).toBeLessThan(1e-11);
            bits.push(Buffer.from(Float64Array.from(a).buffer).toString('hex'));
          } finally {
            ds.dispose();
          }
        }
        expect(bits[1], 'twin = kernel, bit for bit').toBe(bits[0]);
      });
    }
  }
});
