// The full level's reduced-problem build and classify on the thread pool (assembly/l1-glob.ts
// gatherDense / kSums, kSample, the sides pass's counts): the globs' sums are per 16384-row chunk (four
// partial sums per glob, row i into sum i mod 4) added in chunk order, so their bits depend on that
// fixed decomposition only — 1, 2 and 3 threads and the twin agree bit for bit. Data sizes put a
// last chunk of 1 to 3 rows past a multiple of 4 (the partial sums' tail); weights with zeros (the glob
// weights summed the same way), f32 Datasets, tau 0.1 / 0.5 / 0.9, no intercept, a column whose mean is
// ~1e3 times its spread, a lasso penalty (pseudo-rows), warm-started tau paths (the full level first:
// kSample) and a cold fit with two levels below the full one. The recorded pool passes show that the
// dense path (kinds 9, 10) and the list path (kind 2, smaller levels) both ran. (Skipped in the 'debug'
// project: there init() loaded the debug build first, and init() is once per process.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, solvePath, type QuantileOptions } from '../../src/index.js';
import { ThreadPool } from '../../src/threads/pool.js';
import { rng } from '../helpers/close.js';
import { same } from '../helpers/robust-chunks.js';
import { threadsProblem } from '../helpers/l1-problem.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

type Fit = { coef: Float64Array; intercept: number; objective: number; iterations: number; globRounds: number;
  globFixups: number; certificate: { gap: number } };
const bits = (r: Fit) => [r.intercept, ...r.coef, r.objective, r.iterations, r.globRounds, r.globFixups];

/** PASS_L1_GLOB (assembly/par.ts) and its item kinds read here: the list gather, the dense sums, the
 *  full level's sample. */
const PASS_L1_GLOB = 11;
const K_GATHER = 2, K_SUMS = 9, K_SAMPLE = 10;

const seen = new Set<number>();
const proto = ThreadPool.prototype as unknown as {
  run: (...a: unknown[]) => void; start: (...a: unknown[]) => void; memory: WebAssembly.Memory;
};
const { run: run0, start: start0 } = proto;
function record(this: typeof proto, a: unknown[]): void {
  const [, pass, pArgs] = a as [unknown, number, number];
  if (pass === PASS_L1_GLOB) seen.add(new Float64Array(this.memory.buffer, pArgs, 1)[0]);
}

/** threadsProblem with column 0 moved by 1e3 (its spread ~1.2: |mean| >> sd) when `offset`. (At 1e6
 *  main's fits already fail or return an uncertified gap on this data, globbing or not: conditioning.) */
function data(n: number, p: number, seed: number, offset = false) {
  const d = threadsProblem(rng(seed), n, p);
  if (offset) for (let i = 0; i < n; i++) d.X.data[i * p] += 1e3;
  return d;
}

describe.skipIf(debug)('dense glob sums on the thread pool: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
    proto.run = function (this: typeof proto, ...a: unknown[]) { record.call(this, a); run0.apply(this, a); };
    proto.start = function (this: typeof proto, ...a: unknown[]) { record.call(this, a); start0.apply(this, a); };
  });
  afterAll(() => { proto.run = run0; proto.start = start0; });

  const check = (what: string, fit: (backend: 'wasm' | 'js', threads: number) => Fit) => {
    const ref = fit('js', 1);
    expect(ref.globRounds, `${what}: globbed`).toBeGreaterThan(0);
    expect(ref.certificate.gap, `${what}: certified`).toBeLessThanOrEqual(1e-9 * Math.max(1, ref.objective));
    for (const t of [1, 2, 3]) same(bits(fit('wasm', t)), bits(ref), `${what} threads ${t}`);
  };

  for (const [n, p] of [[50003, 5], [65537, 3], [40002, 4]] as [number, number][]) {
    it(`n = ${n} (last chunk ${n % 16384} rows), p = ${p}: tau 0.1 / 0.5 / 0.9, weights, no intercept, offset column, lambda`, () => {
      const d = data(n, p, n + p), o = data(n, p, n + p, true);
      const variants: Array<[string, typeof d, QuantileOptions]> = [
        ['tau 0.5', d, { tau: 0.5 }], ['tau 0.1 weights', d, { tau: 0.1, weights: d.weights }],
        ['tau 0.9 no intercept', d, { tau: 0.9, intercept: false }], ['offset column', o, { tau: 0.5 }],
        ['offset column, weights, tau 0.9', o, { tau: 0.9, weights: o.weights }], ['lambda', d, { tau: 0.5, lambda: 3 }],
      ];
      for (const [what, dd, opt] of variants) {
        check(`n ${n} ${what}`, (backend, threads) =>
          quantile(dd.X, dd.y, { ...opt, backend, ...(backend === 'wasm' ? { threads } : {}) }) as unknown as Fit);
      }
    });
  }

  it('f32 Datasets (values exact in f32), weights, tau 0.3: the X sums in the storage precision', () => {
    const n = 45001, p = 4;
    const d = data(n, p, 7);
    for (let k = 0; k < d.X.data.length; k++) d.X.data[k] = Math.fround(d.X.data[k]);
    for (const [tau, weights] of [[0.3, undefined], [0.5, d.weights]] as const) {
      check(`f32 tau ${tau}${weights ? ' weights' : ''}`, (backend, threads) => {
        const ds = Dataset.from(d.X, d.y, backend === 'wasm' ? { backend, precision: 'f32', weights } : { backend, weights });
        try {
          return quantile(ds, { tau, ...(backend === 'wasm' ? { threads } : {}) }) as unknown as Fit;
        } finally {
          ds.dispose?.();
        }
      });
    }
  });

  it('a warm-started tau path and a cold fit with two levels below the full one', () => {
    const d = data(30002, 4, 31);
    const path = (backend: 'wasm' | 'js', threads: number) => solvePath('tau', [0.1, 0.5, 0.9], d.X, d.y,
      { weights: d.weights, backend, ...(backend === 'wasm' ? { threads } : {}) }).flatMap((r) => bits(r as unknown as Fit));
    const ref = path('js', 1);
    for (const t of [1, 2, 3]) same(path('wasm', t), ref, `tau path threads ${t}`);
    const big = data(170001, 3, 41);
    check('cold n 170001', (backend, threads) =>
      quantile(big.X, big.y, { tau: 0.5, backend, ...(backend === 'wasm' ? { threads } : {}) }) as unknown as Fit);
    // both gathers and the full level's sample pass ran on the pool
    for (const k of [K_GATHER, K_SUMS, K_SAMPLE]) expect(seen.has(k), `pass kind ${k} ran`).toBe(true);
  });
});
