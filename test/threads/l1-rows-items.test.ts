// The L1 solver's row maps on smaller problems (assembly/l1-rows.ts itemRows): the globbing driver's
// reduced problems (10k-30k rows at 1e6 x 10) ran their row passes in items of 16384 rows — 16384 :
// 11279 rows on 2 threads at 27,663 rows, and not split at all up to 16384 rows. Now passes over more
// than 8192 rows are split into about 8 items of whole 512-row blocks (at least 2048 rows), fixed by
// the row count alone; the certificate's chunked sums keep their 16384-row chunks (the twin sums by
// those). Checked on the plain simplex over all rows (globbing threshold lowered so the fit has the
// argument region, smallest level = all rows): 1, 2 and 3 threads = the twin, bit for bit, and the
// item counts per pass. (Skipped in the 'debug' project, as the other pool tests.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, lad, quantile } from '../../src/index.js';
import { passTiming } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { l1Bits as bits, threadsProblem, type L1ThreadFit as Fit } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_L1_ROWS = 40;


describe.skipIf(debug)('L1 row maps in smaller items: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  // rows -> items of each row map: 12000 -> 6 x 2048 (was one loop), 40000 -> 8 x 5120 (was 3 x 16384)
  for (const [n, p, integer, items] of [[12000, 4, true, 6], [40000, 6, false, 8]] as const) {
    it(`plain simplex on n = ${n}, p = ${p} (${integer ? 'integer' : 'continuous'} design): ${items} items per row map`, () => {
      const d = threadsProblem(rng(n + p), n, p, integer);
      const out: Record<string, number[][]> = {};
      for (const backend of ['js', 'wasm'] as const) {
        const ds = Dataset.from(d.X, d.y, { backend, weights: d.weights });
        const k = ds.slot.backend.kernels;
        const old = k.l1_glob(5000, n); // the globbing area (and the passes' argument region), no level below
        try {
          out[backend] = [];
          for (const t of backend === 'js' ? [1] : [1, 2, 3]) {
            passTiming(true);
            let r: Fit;
            let passes: Record<number, { calls: number; items: number }>;
            try {
              r = quantile(ds, { tau: 0.4, ...(backend === 'wasm' ? { threads: t } : {}) }) as unknown as Fit;
            } finally {
              passes = passTiming(false);
            }
            expect(r.globRounds, 'no reduced problem was solved').toBe(0);
            expect(r.edgeSteps, 'pivots ran on all rows').toBeGreaterThan(5);
            if (backend === 'wasm') {
              const rows = passes[PASS_L1_ROWS];
              expect(rows?.calls ?? 0, 'row maps ran as items').toBeGreaterThan(0);
              // row maps in `items` items; the certificate's sums (over more than 16384 rows) in ceil(n / 16384)
              const cert = Math.ceil(n / 16384);
              if (cert === 1) expect(rows.items, 'every split pass in itemRows(n) items').toBe(items * rows.calls);
              else {
                expect(rows.items, 'row maps in more items than 16384-row chunks').toBeGreaterThan(cert * rows.calls);
                expect(rows.items).toBeLessThanOrEqual(items * rows.calls);
              }
            }
            out[backend].push(bits(r));
          }
        } finally {
          k.l1_glob(old, 0);
          ds.dispose();
        }
      }
      for (let t = 0; t < 3; t++) same(out.wasm[t], out.js[0], `n ${n} threads ${t + 1}`);
      const l = lad(d.X, d.y, { threads: 2 });
      expect(l.certificate.gap).toBeLessThanOrEqual(1e-9 * Math.max(1, l.objective));
    });
  }
});
