// init({ threads }) with the default warm-up: the threaded build is warmed in the background (the
// first worker of fitAsync's pool instantiates it on a shared memory of its own; V8's optimized code
// is the module's), so init() spends nothing on this thread; fits are bit-identical before and after
// the warm-up lands, and that worker then serves fitAsync. (Skipped in the 'debug' project: init() is
// once per process.)
import { describe, expect, it } from 'vitest';
import { fitAsync, init, ols, terminateWorkers, workerStats } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

describe.skipIf(debug)('init({ threads: 2 }) warms in the background', () => {
  it('warmup background, no in-thread time; same bits as the twin before and after it lands; its worker serves fitAsync', async () => {
    const r = await init({ threads: 2 });
    expect(r).toMatchObject({ backend: 'wasm', threads: 2, warmup: 'background' });
    expect(r.warmupMs).toBeUndefined();
    expect(workerStats().warmups).toBe(1);
    const rand = rng(3);
    const n = 40_000, p = 4;
    const X = { data: Float64Array.from({ length: n * p }, () => rand() * 4 - 2), rows: n, cols: p, layout: 'column-major' as const };
    const y = Float64Array.from({ length: n }, (_, i) => X.data[i] - 2 * X.data[n + i] + rand());
    const ref = ols(X, y, { backend: 'js' });
    const jobs = threadStats().jobs;
    expect(ols(X, y).coef).toEqual(ref.coef);
    expect(threadStats().jobs).toBeGreaterThan(jobs);
    const t0 = Date.now();
    while (workerStats().warmed < 1 && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 20));
    expect(workerStats().warmed).toBe(1);
    expect(ols(X, y).coef).toEqual(ref.coef);
    const a = await fitAsync(X, y, { loss: 'l2' });
    expect(a.coef).toEqual(ref.coef);
    expect(workerStats().started).toBe(1);
    terminateWorkers();
  });
});
