// The L1 rank check off the critical path (assembly/l1-rank.ts): on the globbing path without a start the
// smallest level starts from the least-squares fit of its own rows, and the full design's check (l2Solve
// inner mode, its Gram pass in item ranges) runs in the background during the later reduced solves and
// decides before the full data's re-price. Checked: 1, 2, 3 threads = the twin bit for bit on problems
// where the fused Gram pass applies (unweighted f64, with and without intercept) and where it does not
// (weights, an f32 Dataset: the standardisation pass first), tau 0.1 / 0.5 / 0.9, with the Gram ranges
// really in the background on 2 and 3 threads; a design whose smallest level is rank deficient but whose
// full data is not (the old order: the full check first, no Gram ranges; certified); a full design that
// the check finds rank deficient only on all rows (RANK_DEFICIENT naming the column, as the check up front
// did; no job left pending, memory as before, the pool usable with the same bits after); the iteration
// budget spent inside the globbing solve (the check still decides); a fit cancelled, and a worker
// failing, while a Gram range runs in the background. (Skipped in the 'debug' project.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, RobustRegError } from '../../src/index.js';
import { injectThreadFault, memoryStats, threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { l1Bits as bits, type L1ThreadFit as Fit } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';
import { watched } from '../helpers/pool-watch.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_L1_GLOB = 11;
const PASS_L2_GRAM = 1;
const KIND_MARK = 3;

/** assembly/l1-glob.ts rowHash: row i belongs to the level of share 8^-k when rowHash(i) < 2^32 8^-k. */
function rowHash(i: number): number {
  let h = (Math.imul(i, 0x85ebca6b) + 0x9e3779b9) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0; h = Math.imul(h, 0x7feb352d) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0; h = Math.imul(h, 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
/** Rows of the smallest level with two levels above it (share 1/64). */
const inSample = (i: number): boolean => rowHash(i) < 2 ** 32 / 64;

type Data = { X: { data: Float64Array; rows: number; cols: number }; y: Float64Array; weights?: Float64Array };

/** n × p, row-major: x_j uniform on [-2, 2) + j, y = 1 + x . (1, -1, 0.5, ...) + Cauchy noise; `col`
 *  overrides column p - 1 (from row i and the row's other entries). */
function problem(n: number, p: number, seed: number, col?: (i: number, row: Float64Array) => number): Data {
  const rand = rng(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = rand() * 4 - 2 + j;
    if (col) row[p - 1] = col(i, row);
    let f = 1;
    for (let j = 0; j < p; j++) { X[i * p + j] = row[j]; f += row[j] * (j % 2 === 0 ? 1 : -0.5); }
    y[i] = f + Math.tan(Math.PI * (rand() - 0.5));
  }
  return { X: { data: X, rows: n, cols: p }, y, weights: Float64Array.from({ length: n }, () => (rand() < 0.05 ? 0 : 0.5 + rand())) };
}

type Opts = Record<string, unknown> & { precision?: 'f64' | 'f32'; weighted?: boolean; onStart?: (pass: number, word0: number) => void };

/** One quantile fit on a Dataset of `backend` with the globbing threshold at 20,000 rows and levels of at
 *  least 600 rows (two levels above the smallest at these sizes); the pool's background starts watched. */
function fit(d: Data, backend: 'js' | 'wasm', threads: number, o: Opts = {}): ReturnType<typeof watched<Fit>> {
  const { precision = 'f64', weighted = false, onStart, ...opts } = o;
  const ds = Dataset.from(d.X, d.y, { backend, precision, ...(weighted ? { weights: d.weights } : {}) });
  const k = ds.slot.backend.kernels;
  const old = k.l1_glob(20000, 600);
  try {
    return watched(() => quantile(ds, { ...(backend === 'wasm' ? { threads } : {}), ...opts }) as unknown as Fit, onStart);
  } finally {
    k.l1_glob(old, 0);
    ds.dispose();
  }
}

const gramStarts = (s: [number, number][]): number => s.filter(([pass]) => pass === PASS_L2_GRAM).length;

describe.skipIf(debug)('L1: the rank check in the background, the smallest level\'s own least-squares start', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  // 110,000 x 9: n (p + 1) >= 2^20, so the unweighted f64 check takes the fused Gram pass
  const n = 110000, p = 9;
  const d = problem(n, p, 2323);
  const variants: Array<[string, Opts]> = [
    ['fused, tau 0.5', { tau: 0.5 }],
    ['fused, no intercept, tau 0.1', { tau: 0.1, intercept: false }],
    ['weights (two passes), tau 0.9', { tau: 0.9, weighted: true }],
    ['f32 Dataset (two passes), tau 0.5', { tau: 0.5, precision: 'f32' }],
  ];
  for (const [what, o] of variants) {
    it(`${what}: 1, 2, 3 threads = twin bit for bit, the Gram ranges in the background, certified`, () => {
      const js = fit(d, 'js', 1, o);
      expect(js.err).toBeUndefined();
      const ref = bits(js.r!);
      expect(js.r!.globRounds, 'three levels solved').toBeGreaterThanOrEqual(3);
      expect(js.r!.certificate.gap).toBeLessThanOrEqual(1e-9 * Math.max(1, js.r!.objective));
      for (const t of [1, 2, 3]) {
        const w = fit(d, 'wasm', t, o);
        expect(w.err).toBeUndefined();
        // the marks during the smallest level's solve, then one Gram range per later solve that had items left
        expect(w.starts[0], `threads ${t}`).toEqual(t === 1 ? undefined : [PASS_L1_GLOB, KIND_MARK]);
        expect(gramStarts(w.starts), `threads ${t}: Gram ranges in the background`).toBe(t === 1 ? 0 : 2);
        expect(w.starts.filter(([pass, w0]) => pass === PASS_L2_GRAM && w0 !== n)).toEqual([]);
        expect(w.leftBusy).toBe(false);
        same(bits(w.r!), ref, `${what} threads ${t}`);
      }
    });
  }

  it('the smallest level rank deficient, the full design not (a dummy on 5 rows outside it): the old order, certified', () => {
    const rows = new Set<number>();
    for (let i = 1000; rows.size < 5; i += 7919) if (!inSample(i)) rows.add(i);
    const dd = problem(n, 3, 77, (i) => (rows.has(i) ? 1 : 0));
    const js = fit(dd, 'js', 1, { tau: 0.5 });
    expect(js.err).toBeUndefined();
    const ref = bits(js.r!);
    expect(js.r!.certificate.gap).toBeLessThanOrEqual(1e-9 * Math.max(1, js.r!.objective));
    for (const t of [1, 2, 3]) {
      const w = fit(dd, 'wasm', t, { tau: 0.5 });
      expect(w.err).toBeUndefined();
      // the full check ran first, synchronously: no Gram range in the background
      expect(w.starts, `threads ${t}`).toEqual(t === 1 ? [] : [[PASS_L1_GLOB, KIND_MARK]]);
      same(bits(w.r!), ref, `dummy threads ${t}`);
    }
  });

  it('a full design rank deficient only on all rows: RANK_DEFICIENT naming the column, nothing pending, memory as before', () => {
    // x3 = x1 + x2 + d, d = +-c on the smallest level's rows only: there the aliasing test sees
    // |R_33| ~ 4e-10 (> 1e-10: full rank), on all rows 8x less (rank deficient). 270,000 x 3: fused pass.
    const m = 270000;
    const r2 = rng(5);
    const dd = problem(m, 3, 31, (i, row) => row[0] + row[1] + (inSample(i) ? (r2() < 0.5 ? -6.5e-10 : 6.5e-10) : 0));
    const mem = memoryStats().wasmInUse;
    const ok = problem(40000, 3, 32);
    const before = bits(fit(ok, 'wasm', 2, { tau: 0.3 }).r!);
    for (const [backend, t] of [['js', 1], ['wasm', 1], ['wasm', 2], ['wasm', 3]] as const) {
      const w = fit(dd, backend, t, { tau: 0.5 });
      expect(w.err, `${backend} ${t}`).toBeInstanceOf(RobustRegError);
      const err = w.err as RobustRegError;
      expect(err.code).toBe('RANK_DEFICIENT');
      expect(err.details).toMatchObject({ columns: [2] });
      if (backend === 'wasm') {
        // (a range per later solve: how many depends on where the globbing of this near-aliased design ends)
        expect(gramStarts(w.starts) > 0, `threads ${t}: the check ran in the background`).toBe(t > 1);
        expect(w.leftBusy).toBe(false);
        expect(memoryStats().wasmInUse).toBe(mem);
      }
    }
    expect(threadStats().usable).toBe(true);
    same(bits(fit(ok, 'wasm', 2, { tau: 0.3 }).r!), before, 'a fit after');
  });

  it('the iteration budget spent inside the globbing solve: the check still decides (RANK_DEFICIENT, or max-iterations = twin)', () => {
    const r2 = rng(6);
    const aliased = problem(270000, 3, 41, (i, row) => row[0] + row[1] + (inSample(i) ? (r2() < 0.5 ? -6.5e-10 : 6.5e-10) : 0));
    const full = problem(270000, 3, 42);
    for (const maxIter of [5, 60]) {
      const ref = fit(full, 'js', 1, { tau: 0.5, maxIter });
      expect(ref.err).toBeUndefined();
      expect((ref.r as unknown as { status: string }).status, `maxIter ${maxIter}`).toBe('max-iterations');
      for (const t of [1, 2, 3]) {
        const w = fit(full, 'wasm', t, { tau: 0.5, maxIter });
        // 5: spent in the smallest level's solve (no range started: the check runs whole at the end); 60:
        // in level 0's, after both ranges
        expect(gramStarts(w.starts), `maxIter ${maxIter} threads ${t}`).toBe(t === 1 || maxIter === 5 ? 0 : 2);
        expect(w.leftBusy).toBe(false);
        same(bits(w.r!), bits(ref.r!), `maxIter ${maxIter} threads ${t}`);
      }
      for (const [backend, t] of [['js', 1], ['wasm', 2]] as const) {
        const w = fit(aliased, backend, t, { tau: 0.5, maxIter });
        expect((w.err as RobustRegError)?.code, `aliased, maxIter ${maxIter}, ${backend} ${t}`).toBe('RANK_DEFICIENT');
        expect(w.leftBusy).toBe(false);
      }
    }
  });

  it('a fit cancelled while a Gram range runs in the background: CANCELLED, joined, same bits after', () => {
    const ref = bits(fit(d, 'wasm', 2, { tau: 0.5 }).r!);
    const ac = new AbortController();
    let started = false;
    // aborted as the first Gram range starts: the kernel's next progress call, in the solve it overlaps, stops
    const w = fit(d, 'wasm', 2, {
      tau: 0.5, signal: ac.signal,
      onStart: (pass: number) => { if (pass === PASS_L2_GRAM && !started) { started = true; ac.abort(); } },
    });
    expect(started).toBe(true);
    expect(gramStarts(w.starts), 'no range after the cancelled solve').toBe(1);
    expect(String((w.err as Error)?.message ?? w.r), 'cancelled').toMatch(/cancel/i);
    expect(w.leftBusy).toBe(false);
    expect(threadStats().usable).toBe(true);
    same(bits(fit(d, 'wasm', 2, { tau: 0.5 }).r!), ref, 'after a cancelled fit');
  });

  it('worker 1 throwing in a Gram range\'s item: INTERNAL naming it and the pass, the pool usable, same bits after', () => {
    const ref = bits(fit(d, 'wasm', 3, { tau: 0.5 }).r!);
    const mem = memoryStats().wasmInUse;
    let pending: (() => boolean) | null = null;
    const w = fit(d, 'wasm', 3, { tau: 0.5, onStart: (pass: number) => { if (pass === PASS_L2_GRAM) pending ??= injectThreadFault('throw', 1); } });
    expect(pending, 'a Gram range started').not.toBeNull();
    expect(pending!(), 'the worker acted on the fault').toBe(false);
    expect(w.err).toBeInstanceOf(RobustRegError);
    const err = w.err as RobustRegError;
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toMatch(/^thread 1 of the pool failed in a block pass \(Error: injected fault \(test\)\)/);
    expect(err.details).toMatchObject({ thread: 1, pass: PASS_L2_GRAM, cause: 'error' });
    expect(w.leftBusy).toBe(false);
    expect(memoryStats().wasmInUse).toBe(mem);
    expect(threadStats().usable).toBe(true);
    same(bits(fit(d, 'wasm', 3, { tau: 0.5 }).r!), ref, 'after the fault');
  });
});
