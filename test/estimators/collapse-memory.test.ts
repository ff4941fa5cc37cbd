// The duplicate-row check every unpenalised L1 / quantile fit from 10,000 rows starts with
// (src/fit/collapse.ts) does its grouping in the fit's own solver work region, which is allocated with
// the fit and not yet in use: a check that finds too few duplicates (most data) costs no memory, and
// a collapsed fit needs only its distinct rows on top of what an uncollapsed fit needs.
import { describe, expect, it } from 'vitest';
import { Dataset, init, memoryStats, quantile } from '../../src/index.js';
import { twinKernels } from '../../src/backend/twin.js';
import { rng } from '../helpers/close.js';

const BACKENDS = ['wasm', 'js'] as const;
/** Room for the result buffers, alignment and the memory's page granularity (64 KiB). */
const SLACK = 1 << 20;

function data(n: number, p: number, distinct: number, seed: number): { X: Float64Array; y: Float64Array } {
  const r = rng(seed);
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = i % distinct;
    if (s === i) {
      for (let j = 0; j < p; j++) X[i * p + j] = r() * 4 - 2;
      y[i] = X[i * p] - 0.5 * X[i * p + p - 1] + (r() - 0.5) * 3;
    } else {
      X.copyWithin(i * p, s * p, s * p + p);
      y[i] = y[s];
    }
  }
  return { X, y };
}

describe('duplicate-row check: its work lives in the fit’s own work region', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: memory grows by at most the solver work region when the check finds no duplicates, and the collapsed fit by its distinct rows on top`, async () => {
      await init();
      const n = 200000, p = 2;
      const work = twinKernels.l1_work_bytes(n, p);
      const key = backend === 'wasm' ? 'wasm' : 'js';
      const d1 = data(n, p, n, 11);
      const distinct = Dataset.from({ data: d1.X, rows: n, cols: p }, d1.y, { backend });
      const before = memoryStats()[key];
      const a = quantile(distinct, { tau: 0.5 });
      expect(a.status).toBe('optimal');
      expect(a.collapsedRows ?? 0).toBe(0);
      const grown = memoryStats()[key] - before;
      // without the scratch region the check's own ~22 bytes a row (4.4 MB here) came on top
      expect(grown).toBeLessThanOrEqual(work + SLACK);
      distinct.dispose();
      const d2 = data(n, p, 1000, 12);
      const dup = Dataset.from({ data: d2.X, rows: n, cols: p }, d2.y, { backend });
      const b = quantile(dup, { tau: 0.5 });
      expect(b.status).toBe('optimal');
      expect(b.collapsedRows).toBe(1000);
      // the freed regions of the first fit hold the second (same size): no further growth beyond the
      // collapsed problem (1,000 rows)
      expect(memoryStats()[key] - before).toBeLessThanOrEqual(work + SLACK);
      dup.dispose();
    });
  }
});
