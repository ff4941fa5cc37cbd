// init({ threads: 'auto' }) in Chromium (issue 21): the demo page asks for every core. Served
// cross-origin isolated (COOP: same-origin + COEP: require-corp) it gets navigator.hardwareConcurrency
// threads — a pool of Web Workers on one shared memory — and its self-check (an ols on 60,000 rows,
// split across the pool, on the main thread: no Atomics.wait there, the pool spins) returns the same
// bits as on 1 thread. Served without those headers it falls back to 1 thread and says why. The
// demo's fits give the same slopes either way.
import assert from 'node:assert/strict';
import { noErrors, openPage, slopes } from './lib.mjs';

export default [
  {
    name: 'not cross-origin isolated: 1 thread, and the badge says why',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
      assert.equal(await page.$eval('#threads', (el) => el.dataset.threads), '1');
      assert.match(await page.textContent('#threads'), /1 thread .*not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'cross-origin isolated (COOP/COEP): one thread per core, split fits give the same bits, same demo slopes',
    async fn(ctx) {
      const plain = await openPage(ctx, `${ctx.base}/`);
      const ref = await slopes(plain.page);
      await plain.page.close();
      const { page, errors } = await openPage(ctx, `${ctx.isolatedBase}/`);
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      assert.equal(await page.$eval('#threads', (el) => el.dataset.threads), String(cores));
      if (cores > 1) {
        assert.equal(await page.$eval('#threads', (el) => el.dataset.identical), 'true', await page.textContent('#threads'));
        assert.match(await page.textContent('#threads'), new RegExp(`^${cores} threads — ols on 60,000 rows: .* same bits$`));
      }
      assert.deepEqual(await slopes(page), ref);
      noErrors(errors);
      await page.close();
    },
  },
];
