// init({ threads }) again with another count, in Chromium (docs/api.md "Changing the thread count";
// test/api/init-threads.test.ts is the Node side): the built package imported as native ES modules
// (/pkg/ = dist/). On a cross-origin isolated page a first init() (single-threaded build) then
// threads 2 -> 1 -> 'auto' moves to the threaded build and resizes its pool of Web Workers; a Dataset
// built before stays valid and every fit gives the same bits. On a page that is not isolated the
// count stays 1 and threadsReason says why.
import assert from 'node:assert/strict';
import { noErrors, openPage } from './lib.mjs';

/** In the page: fits on a Dataset built after a plain init(), then after each thread count. */
async function cycle(page) {
  return page.evaluate(async () => {
    const L = await import('/pkg/index.js');
    const rt = await import('/pkg/backend/runtime.js');
    const n = 40000, X = [], y = [];
    for (let i = 0; i < n; i++) {
      const a = (i * 7919) % 1000 / 100, b = (i * 104729) % 997 / 97;
      X.push([a, b]);
      y.push(1 + 2 * a - b + ((i * 31) % 17) / 4 + (i % 101 === 0 ? 40 : 0));
    }
    const bits = (r) => Array.from(new Uint32Array(new Float64Array([r.intercept, r.objective, ...r.coef]).buffer)).join(',');
    const fits = (ds) => [L.ols(ds), L.lad(ds), L.quantile(ds, { tau: 0.9 })].map(bits).join(';');
    await L.init({ warmup: false });
    const ds = L.Dataset.from(X, y);
    const ref = fits(ds);
    const steps = [];
    for (const threads of [2, 1, 'auto']) {
      const r = await L.init({ threads, warmup: false });
      steps.push({ asked: threads, threads: r.threads, reason: r.threadsReason ?? null, pool: rt.threadStats().threads, same: fits(ds) === ref });
    }
    ds.dispose();
    return { steps, cores: navigator.hardwareConcurrency, inUse: L.memoryStats().wasmInUse };
  });
}

export default [
  {
    name: 'cross-origin isolated: init() then threads 2 -> 1 -> auto; the Dataset survives, same bits',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.isolatedBase}/`);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
      const out = await cycle(page);
      assert.deepEqual(out.steps.map((s) => [s.threads, s.pool, s.reason, s.same]),
        [[2, 2, null, true], [1, 1, null, true], [out.cores, out.cores, null, true]], JSON.stringify(out));
      assert.equal(out.inUse, 0);
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'not cross-origin isolated: threads stay 1 and threadsReason says why',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const out = await cycle(page);
      for (const s of out.steps) {
        assert.equal(s.threads, 1, JSON.stringify(s));
        assert.equal(s.same, true);
        if (s.asked === 1) assert.equal(s.reason, null);
        else assert.match(s.reason, /not cross-origin isolated.*; running 1 thread$/);
      }
      noErrors(errors);
      await page.close();
    },
  },
];
