// The same page bundled by esbuild with nothing but { entryPoints, bundle: true, format: 'esm', outdir }
// (see scripts/browser-test.mjs): backs the "no bundler configuration" claim a second time.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigState, noErrors, num, openPage, screenshot, slopes } from './lib.mjs';

export default [
  {
    name: 'neither bundle needs a .wasm or worker file: the Vite and esbuild outputs are HTML, JS, CSS (+ favicon)',
    async fn(ctx) {
      const list = (d) => readdirSync(d, { recursive: true }).filter((f) => /\.[a-z]+$/.test(f)).sort();
      const vite = list(join(ctx.web, 'dist'));
      const es = list(join(ctx.web, 'dist-esbuild'));
      for (const f of [...vite, ...es]) assert.match(f, /\.(html|js|css|svg)$/, `unexpected build output ${f}`);
      assert.deepEqual(es, ['index.html', 'main.css', 'main.js']);
      assert.ok(vite.includes('index.html') && vite.includes('csp.html'), vite.join(', '));
      const pkg = JSON.parse(readFileSync(join(ctx.web, 'node_modules', 'robustreg', 'package.json'), 'utf8'));
      assert.equal(pkg.name, 'robustreg', 'robustreg is installed in web/node_modules like a user install');
    },
  },
  {
    name: 'esbuild bundle loads in Chromium, compiles the WASM and fits (sync and in a Worker)',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, ctx.esbuildBase);
      assert.equal(await page.$eval('#backend', (el) => el.dataset.backend), 'wasm');
      const before = await slopes(page);
      for (const k of ['l2', 'l1', 'q10', 'q90']) assert.ok(Number.isFinite(before[k]), `slope ${k}`);
      await page.click('#add-outlier');
      const after = await slopes(page);
      assert.ok(Math.abs(after.l2 - before.l2) > 3 * Math.abs(after.l1 - before.l1));
      await page.selectOption('#big-n', '100000');
      await page.fill('#big-outliers', '10');
      await page.click('#big-run');
      assert.equal(await bigState(page, ['done', 'error', 'cancelled']), 'done', await page.textContent('#big-status'));
      assert.ok(Math.abs((await num(page, '#big-slope-wasm')) - 0.5) < 0.06);
      await screenshot(ctx, page, 'browser-esbuild.png');
      noErrors(errors);
      await page.close();
    },
  },
];
