// The globbing solve's fix-up round on the thread pool (assembly/l1-glob.ts "the fix-up round", issue
// 21): the full verification lists its violators per item (verifyRows), the near verification after a
// fix-up round is a pass of its own (kNear items: each row alone), and the violators are grown into
// the reduced problem in place (serial, row order) — so 1, 2 and 3 threads give the twin's bits. Data
// (default thresholds) whose full level needs a fix-up round, found by a scan with the twin's probe:
// uniform design 70,000 x 6 tau 0.5, 30,001 x 4 tau 0.9, and a weighted tau path (warm starts glob from
// the previous fit). (Skipped in the 'debug'
// project: there init() loaded the debug build first, and init() is once per process.)
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { init, quantile, solvePath } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { globFixupProbe as probe } from '../../src/twin/l1-glob.js';
import { rng } from '../helpers/close.js';
import { same } from '../helpers/robust-chunks.js';
import { threadsProblem } from '../helpers/l1-problem.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

type Fit = { coef: Float64Array; intercept: number; objective: number; iterations: number; globRounds: number;
  globFixups: number; certificate: { gap: number } };
const bits = (r: Fit) => [r.intercept, ...r.coef, r.objective, r.iterations, r.globRounds, r.globFixups];

describe.skipIf(debug)('the glob fix-up round on the thread pool: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });
  afterEach(() => { probe.fullVerify = false; probe.rebuild = false; });

  it('single fits and a weighted tau path with fix-up rounds at the full level', () => {
    probe.near = 0; probe.nearRows = 0; probe.grown = 0;
    const cases: Array<[number, number, boolean, number]> = [[70000, 6, false, 0.5], [30001, 4, false, 0.9]];
    let fixups = 0;
    for (const [n, p, integer, tau] of cases) {
      const d = threadsProblem(rng(n + p), n, p, integer);
      const what = `n ${n} p ${p}${integer ? ' integer' : ''} tau ${tau}`;
      const run = (backend: 'wasm' | 'js', threads = 1) =>
        quantile(d.X, d.y, { tau, backend, ...(backend === 'wasm' ? { threads } : {}) }) as unknown as Fit;
      const ref = run('js');
      expect(ref.globFixups, `${what}: a fix-up round`).toBeGreaterThan(0);
      expect(ref.certificate.gap).toBeLessThanOrEqual(1e-10 * Math.max(1, ref.objective));
      fixups += ref.globFixups;
      const jobs = threadStats().jobs;
      for (const t of [1, 2, 3]) same(bits(run('wasm', t)), bits(ref), `${what} threads ${t}`);
      expect(threadStats().jobs, `${what}: the 2- and 3-thread fits used the pool`).toBeGreaterThan(jobs);
    }
    const d = threadsProblem(rng(70006), 70000, 6);
    const path = (backend: 'wasm' | 'js', threads = 1) => solvePath('tau', [0.1, 0.25, 0.5, 0.9], d.X, d.y,
      { weights: d.weights, backend, ...(backend === 'wasm' ? { threads } : {}) }).flatMap((r) => bits(r as unknown as Fit));
    const ref = path('js');
    for (const t of [1, 2, 3]) same(path('wasm', t), ref, `tau path threads ${t}`);
    // the twin's reference fits went through both new steps, with rows inside the margin recomputed
    expect(fixups).toBeGreaterThan(0);
    expect(probe.near, 'near verifications').toBeGreaterThanOrEqual(3);
    expect(probe.nearRows, 'rows recomputed inside the margin').toBeGreaterThan(0);
    expect(probe.grown, 'rounds grown in place').toBeGreaterThanOrEqual(3);
  });
});
