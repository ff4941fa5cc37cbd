// Helpers shared by the browser tests (run by scripts/browser-test.mjs, not by vitest).
import { join } from 'node:path';

/**
 * Open a page and record console errors, uncaught page errors and failed requests. `allow` lists
 * regular expressions for console errors the test expects (e.g. the CSP refusal to compile WASM).
 */
export async function openPage(ctx, url, { allow = [] } = {}) {
  const page = await ctx.context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text()))) errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { page, errors };
}

/** The full-precision number a cell carries in data-value (NaN when the fit failed). */
export async function num(page, selector) {
  const v = await page.$eval(selector, (el) => el.dataset.value ?? el.textContent);
  return Number(v);
}

/** The slopes of the coefficient table. */
export async function slopes(page) {
  const out = {};
  for (const k of ['l2', 'l1', 'huber', 'q10', 'q90', 'mm', 'lts']) out[k] = await num(page, `#slope-${k}`);
  return out;
}

/**
 * The uncertainty table: for 'l2-slope', 'l2-intercept', 'l1-slope', 'l1-intercept' the full-precision
 * estimate, standard error, t statistic, p-value and interval ends (NaN where a cell shows '—').
 */
export async function inference(page) {
  return page.$$eval('#se-table tbody tr', (rows) => Object.fromEntries(rows.map((tr) => {
    const id = tr.id.replace(/^se-row-/, '');
    const v = (sel, key = 'value') => Number(tr.querySelector(sel).dataset[key]);
    return [id, { est: v(`#est-${id}`), se: v(`#se-${id}`), t: v(`#t-${id}`), p: v(`#p-${id}`), lo: v(`#ci-${id}`, 'lo'), hi: v(`#ci-${id}`, 'hi') }];
  })));
}

/** The data points of the scatter plot, read from their accessible labels (x, y with 2 decimals: exact). */
export async function points(page) {
  return page.$$eval('#plot circle.pt', (cs) => cs.map((c) => {
    const m = c.getAttribute('aria-label').match(/x (-?[\d.]+), y (-?[\d.]+)/);
    return { x: Number(m[1]), y: Number(m[2]) };
  }));
}

/** Page coordinates of the data point (x, y) in the scatter plot (read from the plot's own geometry). */
export async function plotXY(page, x, y) {
  return page.evaluate(([x, y]) => {
    const svg = document.querySelector('#plot');
    const [x0, x1, y0, y1] = svg.dataset.domain.split(' ').map(Number);
    const b = document.querySelector('#plot-area').getBoundingClientRect();
    return { x: b.left + ((x - x0) / (x1 - x0)) * b.width, y: b.bottom - ((y - y0) / (y1 - y0)) * b.height };
  }, [x, y]);
}

export async function pointCount(page) {
  return page.$$eval('#plot circle.pt', (els) => els.length);
}

export async function screenshot(ctx, page, name) {
  const path = join(ctx.artifacts, name);
  await page.screenshot({ path, fullPage: true });
  ctx.screenshots.push(path);
  return path;
}

/** Wait until the big-data panel reaches one of `states`; returns the state. */
export async function bigState(page, states, timeout = 40_000) {
  await page.waitForFunction((s) => s.includes(document.querySelector('#big-status').dataset.state), states, { timeout });
  return page.$eval('#big-status', (el) => el.dataset.state);
}

export function noErrors(errors) {
  if (errors.length) throw new Error(`unexpected browser errors:\n  ${errors.join('\n  ')}`);
}

/** Arms a cancel inside the page: the moment #big-status first reads `pattern` (a MutationObserver,
 *  so no test-to-browser round trip lies between the status and the click), records whether Cancel
 *  was enabled and clicks it. The fits got fast enough (10⁶-row L1 on TypeScript ≈ 1.5 s) that a
 *  click sent from the test after polling the status could land after the run had ended on a loaded
 *  machine. Read the record with cancelArmedResult(page). */
export async function armCancel(page, pattern) {
  await page.evaluate((src) => {
    const re = new RegExp(src);
    const status = document.querySelector('#big-status');
    window.__cancelArmed = null;
    const mo = new MutationObserver(() => {
      if (!re.test(status.textContent)) return;
      mo.disconnect();
      const cancel = document.querySelector('#big-cancel');
      window.__cancelArmed = { enabled: !cancel.disabled, status: status.textContent };
      cancel.click();
    });
    mo.observe(status, { childList: true, characterData: true, subtree: true, attributes: true });
  }, pattern.source);
}

export function cancelArmedResult(page) {
  return page.evaluate(() => window.__cancelArmed);
}
