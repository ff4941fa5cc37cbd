// The main page (Vite build): loads clean on the WASM backend, refits live, outlier → L2 moves, L1 doesn't;
// the uncertainty table shows SE, t, p and intervals of the L2 and L1 fits (summary()).
import assert from 'node:assert/strict';
import { inference, noErrors, num, openPage, plotXY, pointCount, points, screenshot, slopes } from './lib.mjs';

const OUTLIER = { x: 9.4, y: 0.6 }; // far below the trend y ≈ 1.4 + 0.6x (≈ 7.0 at x = 9.4)

/** The across-quantiles panel: per coefficient, the points' tau, estimate and interval, and the least-squares lines. */
async function tauPanel(page) {
  return page.$$eval('#tau-plot g.tau-panel', (gs) => Object.fromEntries(gs.map((g) => [g.dataset.name, {
    pts: [...g.querySelectorAll('circle.tau-pt')].map((c) => ({ tau: Number(c.dataset.tau), est: Number(c.dataset.est), lo: Number(c.dataset.lo), hi: Number(c.dataset.hi) })),
    ols: Number(g.querySelector('line.ols')?.dataset.value),
    olsCi: [...g.querySelectorAll('line.ols-ci')].map((l) => Number(l.dataset.value)),
    band: g.querySelectorAll('polygon.band').length,
  }])));
}

export default [
  {
    name: 'across-quantiles panel: slope and intercept at tau 0.1…0.9 with rank intervals and the least-squares reference, live',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      await page.waitForSelector('#tau-plot circle.tau-pt');
      const before = await tauPanel(page);
      assert.deepEqual(Object.keys(before).sort(), ['intercept', 'slope']);
      for (const [name, p] of Object.entries(before)) {
        assert.deepEqual(p.pts.map((q) => q.tau), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], name);
        assert.equal(p.band, 1, `${name}: one band`);
        assert.equal(p.olsCi.length, 2, `${name}: the least-squares interval`);
        for (const q of p.pts) {
          assert.ok(Number.isFinite(q.est), `${name} tau ${q.tau}: estimate ${q.est}`);
          assert.ok(!(q.lo > q.est) && !(q.hi < q.est), `${name} tau ${q.tau}: ${q.lo} ≤ ${q.est} ≤ ${q.hi}`);
        }
      }
      // the panel's tau = 0.1 and 0.9 fits are the plotted quantile lines; its reference is the L2 line
      assert.equal(before.slope.pts[0].est, await num(page, '#slope-q10'));
      assert.equal(before.slope.pts[8].est, await num(page, '#slope-q90'));
      assert.equal(before.intercept.pts[0].est, await num(page, '#intercept-q10'));
      assert.equal(before.slope.ols, await num(page, '#slope-l2'));
      const l2 = await inference(page);
      assert.equal(before.slope.olsCi[0], l2['l2-slope'].lo);
      assert.equal(before.slope.olsCi[1], l2['l2-slope'].hi);
      // the middle of the band: the tau = 0.5 row of the uncertainty table is the L1 fit's rank interval
      await page.click('#add-outlier');
      await page.waitForFunction((old) => Number(document.querySelector('#tau-plot g[data-name="slope"] line.ols').dataset.value) !== old, before.slope.ols);
      const after = await tauPanel(page);
      assert.equal(after.slope.ols, await num(page, '#slope-l2'));
      assert.ok(Math.abs(after.slope.ols - before.slope.ols) > Math.abs(after.slope.pts[4].est - before.slope.pts[4].est), 'least squares moves more than the median fit');
      await screenshot(ctx, page, 'browser-tau-panel.png');
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'main page loads on the WASM backend with no console errors and fits every line',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      assert.equal(await page.$eval('#backend', (el) => el.dataset.backend), 'wasm');
      assert.match(await page.textContent('#backend'), /WebAssembly backend/);
      const s = await slopes(page);
      for (const k of ['l2', 'l1', 'q10', 'q90']) assert.ok(Number.isFinite(s[k]), `slope ${k} = ${s[k]}`);
      // clean data: every estimator finds the trend (true slope 0.6)
      assert.ok(Math.abs(s.l2 - 0.6) < 0.15 && Math.abs(s.l1 - 0.6) < 0.2, JSON.stringify(s));
      assert.ok((await num(page, '#intercept-q10')) < (await num(page, '#intercept-q90')));
      assert.match(await page.textContent('#note-l1'), /optimal/);
      assert.match(await page.textContent('#fit-time'), /WebAssembly/);
      assert.equal(await page.$$eval('#votes rect.vote-bar-l2', (e) => e.length), await pointCount(page));
      await screenshot(ctx, page, 'browser-main.png');
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'clicking an outlier far from the trend moves the L2 slope more than the L1 slope',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const before = await slopes(page);
      const n0 = await pointCount(page);
      const at = await plotXY(page, OUTLIER.x, OUTLIER.y);
      await page.mouse.click(at.x, at.y);
      assert.equal(await pointCount(page), n0 + 1, 'the click added a point');
      const after = await slopes(page);
      const d2 = Math.abs(after.l2 - before.l2);
      const d1 = Math.abs(after.l1 - before.l1);
      assert.ok(d2 > 0.05, `L2 slope moved by only ${d2}`);
      assert.ok(d2 > 3 * d1, `L2 moved ${d2}, L1 moved ${d1}`);
      // the votes view tells the same story: the outlier dominates L2's pull, not L1's
      const shareL2 = await num(page, '#share-l2');
      const shareL1 = await num(page, '#share-l1');
      assert.ok(shareL2 > 1.5 * shareL1, `largest vote share L2 ${shareL2} vs L1 ${shareL1}`);
      await page.mouse.move(at.x, at.y); // highlight the outlier (its bars and residual stems)
      await screenshot(ctx, page, 'browser-outlier.png');
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'Huber (fit loss "huber") is fitted and resists the outlier',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const before = await slopes(page);
      assert.ok(Number.isFinite(before.huber), `#slope-huber = ${await page.textContent('#slope-huber')} (${await page.textContent('#note-huber')})`);
      assert.ok(Math.abs(before.huber - 0.6) < 0.2, `Huber slope ${before.huber} on clean data`);
      await page.click('#add-outlier');
      const after = await slopes(page);
      assert.ok(Math.abs(after.huber - before.huber) < Math.abs(after.l2 - before.l2) / 2,
        `Huber moved ${after.huber - before.huber}, L2 moved ${after.l2 - before.l2}`);
      assert.ok(Number.isFinite(await num(page, '#share-huber')));
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'uncertainty table: SE, t, p-value and 95% CI of the L2 and L1 fits, finite and consistent',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const head = await page.$$eval('#se-table thead th', (th) => th.map((t) => t.textContent.trim()));
      assert.deepEqual(head, ['Coefficient', 'Estimate', 'Std. error', 't', 'p-value', '95% CI']);
      assert.equal(await page.$eval('#se-row-l2-slope', (r) => r.dataset.method), 'classical');
      // L1 follows summary()'s default, rank-inversion intervals below 1001 points (quantreg): an
      // interval without a standard error, t or p (those cells show '—').
      assert.equal(await page.$eval('#se-row-l1-slope', (r) => r.dataset.method), 'rank');
      const before = await inference(page);
      for (const [k, row] of Object.entries(before)) {
        if (k.startsWith('l1-')) {
          for (const f of ['se', 't', 'p']) assert.ok(Number.isNaN(row[f]), `${k}.${f} = ${row[f]} (rank: none)`);
          assert.match(await page.textContent(`#se-${k}`), /^—$/);
          assert.ok(row.lo <= row.est && row.est <= row.hi && row.lo < row.hi, `${k}: ${row.lo} ≤ ${row.est} ≤ ${row.hi}`);
          assert.match(await page.textContent(`#ci-${k}`), /^\[−?[\d.]+, −?[\d.]+\]$/);
          continue;
        }
        for (const f of ['est', 'se', 't', 'p', 'lo', 'hi']) assert.ok(Number.isFinite(row[f]), `${k}.${f} = ${row[f]}`);
        assert.ok(row.se > 0, `${k}: SE ${row.se}`);
        assert.ok(row.p >= 0 && row.p <= 1, `${k}: p ${row.p}`);
        assert.ok(row.lo < row.est && row.est < row.hi, `${k}: ${row.lo} < ${row.est} < ${row.hi}`);
        assert.ok(Math.abs(row.t - row.est / row.se) <= 1e-12 * Math.abs(row.t), `${k}: t = est / SE`);
        // the text shows the same numbers, rounded
        assert.match(await page.textContent(`#ci-${k}`), /^\[−?[\d.]+, −?[\d.]+\]$/);
        assert.match(await page.textContent(`#se-${k}`), /^[\d.]+$/);
      }
      // the table's estimates are the plotted fits
      assert.equal(before['l2-slope'].est, await num(page, '#slope-l2'));
      assert.equal(before['l1-intercept'].est, await num(page, '#intercept-l1'));
      // L2 against the textbook formulas on the page's own points: SE(b) = s/√Sxx,
      // SE(a) = s·√(1/n + x̄²/Sxx), intervals ± t(0.975, n − 2)·SE (n = 16: qt(0.975, 14) = 2.144786687917804)
      const pts = await points(page);
      const n = pts.length;
      assert.equal(n, 16);
      const xbar = pts.reduce((s, p) => s + p.x, 0) / n;
      const ybar = pts.reduce((s, p) => s + p.y, 0) / n;
      const sxx = pts.reduce((s, p) => s + (p.x - xbar) ** 2, 0);
      const b = pts.reduce((s, p) => s + (p.x - xbar) * (p.y - ybar), 0) / sxx;
      const a = ybar - b * xbar;
      const s2 = pts.reduce((s, p) => s + (p.y - a - b * p.x) ** 2, 0) / (n - 2);
      const close = (u, v, what) => assert.ok(Math.abs(u - v) <= 1e-9 * Math.abs(v), `${what}: page ${u}, formula ${v}`);
      close(before['l2-slope'].se, Math.sqrt(s2 / sxx), 'SE(slope)');
      close(before['l2-intercept'].se, Math.sqrt(s2 * (1 / n + (xbar * xbar) / sxx)), 'SE(intercept)');
      close(before['l2-slope'].hi - before['l2-slope'].est, 2.144786687917804 * before['l2-slope'].se, 'CI half-width');
      // an outlier far from the trend inflates the least-squares residual variance, so its SE
      await page.click('#add-outlier');
      const after = await inference(page);
      assert.ok(after['l2-slope'].se > 2 * before['l2-slope'].se, `L2 slope SE ${before['l2-slope'].se} → ${after['l2-slope'].se}`);
      for (const [k, row] of Object.entries(after)) assert.ok((k.startsWith('l1-') || Number.isFinite(row.se)) && row.lo < row.hi);
      await screenshot(ctx, page, 'browser-inference.png');
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'a point can be dragged with the pointer and the lines follow',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const before = await slopes(page);
      const c = page.locator('#plot circle.pt').last();
      const box = await c.boundingBox();
      const to = await plotXY(page, 9.5, 9.8);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      for (let k = 1; k <= 8; k++) {
        await page.mouse.move(box.x + box.width / 2 + ((to.x - box.x - box.width / 2) * k) / 8, box.y + box.height / 2 + ((to.y - box.y - box.height / 2) * k) / 8);
      }
      await page.mouse.up();
      const [, px, py] = (await c.getAttribute('aria-label')).match(/x ([\d.]+), y ([\d.]+)/).map(Number);
      assert.ok(Math.abs(px - 9.5) < 0.1 && Math.abs(py - 9.8) < 0.1, `the point followed the pointer to (${px}, ${py})`);
      const after = await slopes(page);
      assert.ok(after.l2 > before.l2 + 0.02, `L2 slope ${before.l2} → ${after.l2}`);
      noErrors(errors);
      await page.close();
    },
  },
  {
    name: 'keyboard: Tab reaches the points, arrow keys move one, Delete removes it; toggles hide lines',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const n0 = await pointCount(page);
      // Tab from the top of the page lands on the first point (the plot's points come first in tab order)
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('class')), 'pt hl');
      const before = await slopes(page);
      for (let k = 0; k < 4; k++) await page.keyboard.press('Shift+ArrowUp');
      const after = await slopes(page);
      assert.notEqual(after.l2, before.l2, 'moving the first point up changes the L2 slope');
      assert.match(await page.$eval('#plot circle.pt', (c) => c.getAttribute('aria-label')), /Point 1 of \d+: x [\d.]+, y [\d.]+/);
      await page.keyboard.press('Delete');
      assert.equal(await pointCount(page), n0 - 1);
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'circle', 'focus moves to the next point');
      // line toggles are labelled checkboxes
      await page.getByLabel('Quantile τ = 0.1').uncheck();
      assert.equal(await page.$eval('.fit-q10', (l) => l.getAttribute('visibility')), 'hidden');
      await page.getByLabel('Quantile τ = 0.1').check();
      assert.equal(await page.$eval('.fit-q10', (l) => l.getAttribute('visibility')), 'visible');
      // buttons work from the keyboard
      await page.focus('#add-outlier');
      await page.keyboard.press('Enter');
      assert.equal(await pointCount(page), n0);
      noErrors(errors);
      await page.close();
    },
  },
];
