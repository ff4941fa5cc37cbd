// csp.html: a Content-Security-Policy without 'wasm-unsafe-eval' blocks WebAssembly. init() resolves
// { backend: 'js', reason }, the page says so, and everything still fits on the TypeScript twin.
import assert from 'node:assert/strict';
import { bigState, noErrors, num, openPage, screenshot, slopes } from './lib.mjs';

// the one console error this page is expected to produce: Chromium reporting the blocked compile
const CSP_WASM = /WebAssembly|wasm-unsafe-eval|Content Security Policy/i;

export default [
  {
    name: 'csp.html: WebAssembly blocked → "using the TypeScript backend", and the plot still fits',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/csp.html`, { allow: [CSP_WASM] });
      const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
      assert.ok(!csp.includes('wasm-unsafe-eval'), csp);
      assert.equal(await page.$eval('#backend', (el) => el.dataset.backend), 'js');
      assert.match(await page.textContent('#backend'), /WebAssembly blocked — using the TypeScript backend/);
      // the browser really refuses WebAssembly here (not just robustreg choosing JS)
      const refused = await page.evaluate(async () => {
        try {
          await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
          return false;
        } catch {
          return true;
        }
      });
      assert.equal(refused, true, 'WebAssembly.compile is refused under this CSP');
      const before = await slopes(page);
      for (const k of ['l2', 'l1', 'q10', 'q90']) assert.ok(Number.isFinite(before[k]), `slope ${k}`);
      assert.match(await page.textContent('#fit-time'), /TypeScript/);
      await page.click('#add-outlier');
      const after = await slopes(page);
      assert.ok(Math.abs(after.l2 - before.l2) > 3 * Math.abs(after.l1 - before.l1));
      await screenshot(ctx, page, 'browser-csp.png');
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'csp.html: fitAsync runs in a blob: Worker on the TypeScript twin',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/csp.html`, { allow: [CSP_WASM] });
      assert.match(await page.textContent('#big-time-wasm'), /blocked/);
      await page.selectOption('#big-n', '100000');
      await page.fill('#big-outliers', '10');
      await page.click('#big-run');
      assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done', await page.textContent('#big-status'));
      assert.ok((await num(page, '#big-time-js')) > 0);
      assert.ok(Math.abs((await num(page, '#big-slope-js')) - 0.5) < 0.06);
      assert.ok(Number(await page.textContent('#big-events')) >= 1);
      noErrors(errors);
      await page.close();
    },
  },
];
