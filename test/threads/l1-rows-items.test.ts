// The L1 solver's row maps on smaller problems (assembly/l1-rows.ts itemRows): the globbing driver's
// reduced problems (10k-30k rows at 1e6 x 10) ran their row passes in items of 16384 rows — 16384 :
// 11279 rows on 2 threads at 27,663 rows, and not split at all up to 16384 rows. Now passes over more
// than 8192 rows are split into about 8 items of whole 512-row blocks (at least 2048 rows), fixed by
// the row count alone; the certificate's chunked sums keep their 16384-row chunks (the twin sums by
// those). Checked on the plain simplex over all rows (globbing threshold lowered so the fit has the
// argument region, smallest level = all rows): 1, 2 and 3 threads = the twin, bit for bit, and the
// item counts per pass. (Skipped in the 'debug' project, as the other pool tests.)
// Session 10: a row map is split only when it reads more than 2^19 entries of X (rows x the columns it
// sweeps: q; 2q for the refresh; 1 for the dual keys) — smaller ones lost on two threads (a pool round
// trip against ~0.4 ns an entry). Each split pass call is recorded by kind and rows (ThreadPool.run
// wrapped) and checked against that rule; which passes split never changes a bit (twin = 1, 2, 3 threads).
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, lad, quantile } from '../../src/index.js';
import { passTiming } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { l1Bits as bits, threadsProblem, type L1ThreadFit as Fit } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';
import { ThreadPool } from '../../src/threads/pool.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_L1_ROWS = 40;


describe.skipIf(debug)('L1 row maps in smaller items: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  // Row-map kinds of assembly/l1-rows.ts (0 residuals, 1 gradient, 2 column maxima, 3 edge image,
  // 7 dual keys, 8 refresh) and the columns of X each sweeps per row; 4, 5, 6, 9, 10: the certificate's
  // chunked sums (split by their 16384-row chunks, not by this rule).
  const SWEEP: Record<number, (q: number) => number> = { 0: (q) => q, 1: (q) => q, 2: (q) => q, 3: (q) => q, 7: () => 1, 8: (q) => 2 * q };
  const SPLIT_WORK = 524288;

  /** The PASS_L1_ROWS calls that ran on the pool during f(), as [kind, rows, items]. */
  function splitCalls<T>(f: () => T): [T, [number, number, number][]] {
    const proto = ThreadPool.prototype as unknown as { run: (item: unknown, pass: number, pArgs: number, items: number, parts: number) => void };
    const run = proto.run;
    const calls: [number, number, number][] = [];
    proto.run = function (this: { memory: WebAssembly.Memory }, item: unknown, pass: number, pArgs: number, items: number, parts: number) {
      if (pass === PASS_L1_ROWS) {
        const a = new Float64Array(this.memory.buffer, pArgs, 2);
        calls.push([a[0], a[1], items]);
      }
      return run.call(this, item, pass, pArgs, items, parts);
    };
    try {
      return [f(), calls];
    } finally {
      proto.run = run;
    }
  }

  // (~5% zero weights are dropped: 12000 -> ~11,400 rows, 6 items of 2048; 30000 -> ~28,500 rows, 8 items)
  // p = 48: every row map reads > 2^19 entries and splits; p = 24: only the refresh (2 x 25 columns)
  // does, not the edge images or residuals (25 columns); 30000 x 6 (a reduced problem's size at 1e6 x 10): nothing but
  // the certificate's sums
  const cases = [[12000, 48, true, 6, 'every row map'], [12000, 24, true, 6, 'refresh only'], [30000, 6, false, 8, 'no row map']] as const;
  for (const [n, p, integer, items, what] of cases) {
    it(`plain simplex on n = ${n}, p = ${p} (${integer ? 'integer' : 'continuous'} design): ${what} split, in ${items} items`, () => {
      const d = threadsProblem(rng(n + p), n, p, integer);
      const q = p + 1;
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
            let calls: [number, number, number][];
            try {
              [r, calls] = splitCalls(() => quantile(ds, { tau: 0.4, ...(backend === 'wasm' ? { threads: t } : {}) }) as unknown as Fit);
            } finally {
              passTiming(false);
            }
            expect(r.globRounds, 'no reduced problem was solved').toBe(0);
            expect(r.edgeSteps, 'pivots ran on all rows').toBeGreaterThan(5);
            if (backend === 'wasm' && t > 1) {
              const maps = calls.filter(([kind]) => SWEEP[kind] !== undefined);
              for (const [kind, rows, m] of maps) {
                expect(rows * SWEEP[kind](q), `kind ${kind} on ${rows} rows split below the work rule`).toBeGreaterThan(SPLIT_WORK);
                expect(m, `kind ${kind} on ${rows} rows`).toBe(items);
              }
              const kinds = new Set(maps.map(([kind]) => kind));
              if (what === 'every row map') {
                expect(kinds.has(8) && kinds.has(0) && kinds.has(3), 'refresh, residuals and edge images split').toBe(true);
              } else if (what === 'refresh only') {
                expect([...kinds], 'only the refresh splits').toEqual([8]);
              } else {
                expect(maps.length, 'no row map splits').toBe(0);
              }
              // the certificate's sums: by 16384-row chunks (one chunk: not split)
              for (const [kind, rows, m] of calls) if (SWEEP[kind] === undefined) expect(m).toBe(Math.ceil(rows / 16384));
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
