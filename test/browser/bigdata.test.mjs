// The big-data panel: fitAsync in a Worker with progress, WASM vs TypeScript timings, Cancel.
import assert from 'node:assert/strict';
import { armCancel, bigState, cancelArmedResult, noErrors, num, openPage, screenshot } from './lib.mjs';

let shared = null; // one page for both tests: the second run is cancelled on the page of the first

export default [
  {
    name: 'n = 1e5 fits in a Worker on WASM and on TypeScript, with progress events',
    async fn(ctx) {
      shared = await openPage(ctx, `${ctx.base}/`);
      const { page, errors } = shared;
      await page.selectOption('#big-n', '100000');
      await page.fill('#big-outliers', '10');
      await page.click('#big-run');
      assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done', await page.textContent('#big-status'));
      const events = Number(await page.textContent('#big-events'));
      assert.ok(events >= 1, `progress events: ${events}`);
      for (const b of ['wasm', 'js']) {
        const t = await num(page, `#big-time-${b}`);
        const l1 = await num(page, `#big-slope-${b}`);
        const l2 = await num(page, `#big-l2-slope-${b}`);
        assert.ok(t > 0, `${b} L1 time ${t}`);
        // 10 % one-sided gross errors: L2 is dragged far off, L1 stays close (its bias is bounded)
        assert.ok(Math.abs(l1 - 0.5) < 0.06, `${b} L1 slope ${l1} (true 0.5)`);
        assert.ok(Math.abs(l2 - 0.5) > 0.3, `${b} L2 slope ${l2} should be dragged by the gross errors`);
        assert.ok(Math.abs(l1 - 0.5) < 0.2 * Math.abs(l2 - 0.5), `${b} L1 error vs L2 error`);
        assert.ok((await num(page, `#big-gap-${b}`)) <= 1e-6 * 1e5, `${b} certificate gap`);
      }
      assert.equal(await num(page, '#big-slope-wasm'), await num(page, '#big-slope-js'), 'twins agree');
      // every reported time is measured the same way: in a Worker started and warmed up beforehand
      // (the first WASM fit used to pay the Worker's start and looked slower than the twin after it)
      const measures = await page.$$eval('#big-table td[id*="time"]', (tds) => tds.map((td) => `${td.id}=${td.dataset.measure}`));
      assert.deepEqual(measures, ['big-l2-time-wasm', 'big-time-wasm', 'big-l2-time-js', 'big-time-js'].map((id) => `${id}=warm-worker`));
      assert.ok((await num(page, '#big-startup')) > 0, 'start-up shown on its own');
      assert.match(await page.textContent('#big-table caption'), /warm Worker/);
      assert.equal(await page.$eval('#big-progress', (p) => p.value === p.max), true, 'progress bar full');
      console.log(`      L1 n=1e5: wasm ${Math.round(await num(page, '#big-time-wasm'))} ms, js ${Math.round(await num(page, '#big-time-js'))} ms, ${events} progress events`);
      await page.locator('#big').scrollIntoViewIfNeeded();
      await screenshot(ctx, page, 'browser-bigdata.png');
      noErrors(errors);
    },
  },
  {
    name: 'a second run can be cancelled (Cancel → AbortController → UI shows cancelled)',
    async fn(ctx) {
      const { page, errors } = shared ?? (shared = await openPage(ctx, `${ctx.base}/`));
      // 1e6 rows: with the persistent (warm) worker a 1e5 run can finish before the click lands
      await page.selectOption('#big-n', '1000000');
      await page.fill('#big-outliers', '10');
      await armCancel(page, /^Fitting /);
      await page.click('#big-run');
      assert.equal(await bigState(page, ['cancelled', 'done', 'error']), 'cancelled', await page.textContent('#big-status'));
      const armed = await cancelArmedResult(page);
      assert.equal(armed?.enabled, true, `Cancel enabled while running (${armed?.status})`);
      assert.match(await page.textContent('#big-status'), /Cancelled/);
      assert.equal(await page.isEnabled('#big-run'), true, 'Run is enabled again');
      assert.equal(await page.isEnabled('#big-cancel'), false, 'Cancel is disabled again');
      await screenshot(ctx, page, 'browser-cancelled.png');
      // and the panel still works after a cancel
      await page.click('#big-run');
      assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done');
      noErrors(errors);
      await page.close();
      shared = null;
    },
  },
];
