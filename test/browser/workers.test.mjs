// fitAsync's persistent worker in Chromium (issue 23): init() starts it for the background kernel
// warm-up, and the page's big-data panel runs four fitAsync calls per run (L2 and L1, on WebAssembly and on TypeScript). Counting `new Worker(...)` on the page
// (an init script wraps the constructor; no timing involved): two runs start ONE worker; a cancelled
// run terminates it and the next run starts exactly one fresh worker. The last file in the run: the
// counting init script is added to the shared browser context.
import assert from 'node:assert/strict';
import { armCancel, bigState, cancelArmedResult, noErrors, openPage } from './lib.mjs';

const countWorkers = () => {
  const W = window.Worker;
  window.__workersStarted = 0;
  window.Worker = class extends W {
    constructor(...args) {
      super(...args);
      window.__workersStarted++;
    }
  };
};

export default [
  {
    name: 'two runs (8 fitAsync calls) start one worker; after a cancel the next run starts one fresh worker',
    async fn(ctx) {
      await ctx.context.addInitScript(countWorkers);
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const started = () => page.evaluate(() => window.__workersStarted);
      // init() (default warmup) starts the pool's first worker for its background kernel warm-up
      assert.ok((await started()) <= 1, 'at most the warm-up worker before the first fitAsync');
      await page.selectOption('#big-n', '100000');
      await page.fill('#big-outliers', '10');
      for (let run = 0; run < 2; run++) {
        await page.click('#big-run');
        assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done', await page.textContent('#big-status'));
        assert.equal(await started(), 1, `after run ${run + 1}: the worker (init()'s warm-up worker) is reused`);
      }
      // cancel while the slowest fit (L1 on TypeScript, ~1.5 s at 1e6 rows) runs in the worker, from inside the page
      await page.selectOption('#big-n', '1000000');
      await armCancel(page, /Fitting L1 on TypeScript/);
      await page.click('#big-run');
      assert.equal(await bigState(page, ['cancelled', 'done', 'error'], 90_000), 'cancelled', await page.textContent('#big-status'));
      assert.equal((await cancelArmedResult(page))?.enabled, true, 'Cancel enabled during the L1 fit on TypeScript');
      assert.equal(await started(), 1, 'a cancel starts nothing');
      await page.selectOption('#big-n', '100000');
      await page.click('#big-run');
      assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done', await page.textContent('#big-status'));
      assert.equal(await started(), 2, 'the cancelled worker was terminated: the next run started a fresh one');
      noErrors(errors);
      await page.close();
    },
  },
];
