// The interactive part of the page: a scatter plot whose L2, L1, Huber and quantile lines refit on
// every change (synchronously — fit() needs no await once init() has resolved), the coefficient
// table with the standard errors and confidence intervals of the L2 and L1 fits (summary()), and
// the "gradient votes" view. The big-data panel lives in big.js.
import { init, fit, ols, summary } from 'robustreg';
import { DOMAIN, initialPoints, leveragePoints } from './data.js';
import { setupBig } from './big.js';
import { fmt, svgEl } from './util.js';
import { TH, TW, renderTau, tauData } from './tau.js';

/** The fitted lines, in drawing order (quantile band first, so the main lines sit on top). */
export const LINES = [
  { key: 'q10', name: 'Quantile τ = 0.1', options: { loss: 'quantile', tau: 0.1 }, on: true },
  { key: 'q90', name: 'Quantile τ = 0.9', options: { loss: 'quantile', tau: 0.9 }, on: true },
  { key: 'l2', name: 'L2 · least squares', options: { loss: 'l2' }, on: true },
  { key: 'huber', name: 'Huber · δ = 1.345', options: { loss: 'huber' }, on: true },
  { key: 'l1', name: 'L1 · least absolute', options: { loss: 'l1' }, on: true },
  { key: 'lts', name: 'LTS · trimmed squares', options: { loss: 'lts' }, on: true },
  { key: 'mm', name: 'MM · high breakdown', options: { loss: 'mm' }, on: true },
];
const TABLE_ORDER = ['l2', 'l1', 'huber', 'mm', 'lts', 'q10', 'q90'];
/**
 * Fits whose uncertainty is shown (summary() defaults: L2 classical; L1 rank-inversion intervals,
 * which have no standard error, t or p: quantreg's default below 1001 points).
 */
const SE_FITS = [
  { key: 'l2', label: 'L2' },
  { key: 'l1', label: 'L1' },
];
const SE_LEVEL = 0.95;

// plot geometry (SVG user units)
const W = 640;
const H = 420;
const M = { l: 46, r: 14, t: 12, b: 38 };
const sx = (x) => M.l + ((x - DOMAIN.x0) / (DOMAIN.x1 - DOMAIN.x0)) * (W - M.l - M.r);
const sy = (y) => H - M.b - ((y - DOMAIN.y0) / (DOMAIN.y1 - DOMAIN.y0)) * (H - M.t - M.b);
const ix = (px) => DOMAIN.x0 + ((px - M.l) / (W - M.l - M.r)) * (DOMAIN.x1 - DOMAIN.x0);
const iy = (py) => DOMAIN.y0 + ((H - M.b - py) / (H - M.t - M.b)) * (DOMAIN.y1 - DOMAIN.y0);
const clampX = (x) => Math.min(DOMAIN.x1, Math.max(DOMAIN.x0, x));
const clampY = (y) => Math.min(DOMAIN.y1, Math.max(DOMAIN.y0, y));

const OUTLIER = { x: 9.3, y: 0.8 };

function markup(page) {
  const row = (key) => {
    const l = LINES.find((d) => d.key === key);
    return `<tr id="row-${key}" class="row-${key}">
      <th scope="row"><label class="toggle"><input type="checkbox" id="show-${key}" ${l.on ? 'checked' : ''} />
        <span class="swatch swatch-${key}" aria-hidden="true"></span>${l.name}</label></th>
      <td class="num" id="slope-${key}">—</td>
      <td class="num" id="intercept-${key}">—</td>
      <td class="note" id="note-${key}"></td>
    </tr>`;
  };
  const other = page === 'csp'
    ? '<a href="index.html">Back to the page with WebAssembly</a>'
    : '<a href="csp.html">Open this page with WebAssembly blocked by a Content-Security-Policy</a>';
  return `
  <header class="top">
    <div>
      <h1>Why L1 ignores the outlier</h1>
      <p class="lede">Least squares lets every point pull on the line with a force that grows with its
        error, so one bad point can drag it anywhere. Absolute error gives every point the same bounded
        vote. Drag the points and watch <strong>robustreg</strong> refit seven lines on every move —
        and press <em>Leverage points</em> to see which of them survive bad points far out in x.</p>
    </div>
    <div id="backend" class="badge" role="status" aria-live="polite">Compiling WebAssembly…</div>
    <div id="threads" class="badge" role="status"></div>
  </header>

  <main>
    <section class="card" aria-labelledby="h-plot">
      <h2 id="h-plot"><span class="step">1</span> Drag the points</h2>
      <div class="plot-grid">
        <figure class="plot-wrap">
          <svg id="plot" viewBox="0 0 ${W} ${H}" role="group" data-domain="${DOMAIN.x0} ${DOMAIN.x1} ${DOMAIN.y0} ${DOMAIN.y1}"
            aria-labelledby="plot-help"></svg>
          <figcaption id="plot-help">Click empty space to add a point; drag a point to move it.
            Keyboard: <kbd>Tab</kbd> to a point, arrow keys move it (<kbd>Shift</kbd> for bigger steps),
            <kbd>Delete</kbd> removes it.</figcaption>
        </figure>
        <div class="side">
          <table id="coef-table" class="coef">
            <caption>Fitted lines <span id="fit-time" class="muted"></span></caption>
            <thead><tr><th scope="col">Line (show)</th><th scope="col">Slope</th><th scope="col">Intercept</th>
              <th scope="col">Notes</th></tr></thead>
            <tbody>${TABLE_ORDER.map(row).join('')}</tbody>
          </table>
          <div class="buttons">
            <button type="button" id="add-outlier">Add an outlier</button>
            <button type="button" id="add-point" class="secondary">Add a point</button>
            <button type="button" id="leverage" class="secondary" title="Compress the data to the left and put four bad points far out in x">Leverage points</button>
            <button type="button" id="reset" class="secondary">Reset</button>
          </div>
          <p id="summary" class="summary" aria-live="polite"></p>
        </div>
      </div>
      <div class="se-wrap">
        <table id="se-table" class="coef se">
          <caption>Uncertainty <span class="muted">· standard errors, t tests and ${Math.round(SE_LEVEL * 100)}% confidence
            intervals (L2: classical; L1: rank-inversion interval, no standard error)</span></caption>
          <thead><tr><th scope="col">Coefficient</th><th scope="col">Estimate</th><th scope="col">Std. error</th>
            <th scope="col">t</th><th scope="col">p-value</th><th scope="col">${Math.round(SE_LEVEL * 100)}% CI</th></tr></thead>
          <tbody>${SE_FITS.flatMap((f) => ['slope', 'intercept'].map((c) => seRow(f, c))).join('')}</tbody>
        </table>
        <p id="se-note" class="note-line muted"></p>
      </div>
      <figure class="tau-wrap">
        <figcaption><strong>Across quantiles.</strong> Quantile fits at τ = 0.1 … 0.9 of the points above with
          their ${Math.round(SE_LEVEL * 100)}% rank-inversion intervals (band); the red line is least squares, dashed its
          ${Math.round(SE_LEVEL * 100)}% interval. Slopes that move with τ mean the spread of y changes with x.</figcaption>
        <svg id="tau-plot" viewBox="0 0 ${TW} ${TH}" role="img" aria-label="Quantile regression slope and intercept against tau, with confidence bands and the least-squares reference"></svg>
        <p id="tau-note" class="note-line muted"></p>
      </figure>
    </section>

    <section class="card" aria-labelledby="h-votes">
      <h2 id="h-votes"><span class="step">2</span> Who pulls the slope: gradient votes</h2>
      <p class="explain">A fitted line sits where the points' pulls on its slope balance. Under L2 point
        <i>i</i> pulls with <code>rᵢ·(xᵢ − x̄)</code> — the further it is from the line, the harder it
        pulls, so a single outlier can outvote everyone else. Under L1 it pulls with
        <code>sign(rᵢ)·(xᵢ − x̄)</code>: how far away it is does not matter. Huber is L2 near the line
        and L1 in the tails. Bars are ordered by <i>x</i>, each row scaled to its largest vote, each
        evaluated at its own fit.</p>
      <svg id="votes" viewBox="0 0 ${VW} ${VH}" role="img" aria-labelledby="votes-desc"></svg>
      <p id="votes-desc" class="shares">Largest single point's share of the total pull:
        L2 <strong id="share-l2">—</strong>, Huber <strong id="share-huber">—</strong>,
        L1 <strong id="share-l1">—</strong>.</p>
    </section>

    <section class="card" aria-labelledby="h-big" id="big">
      <h2 id="h-big"><span class="step">3</span> Big data in a Worker</h2>
      <p class="explain">Generate up to a million rows (<code>y = 2 + 0.5x</code> plus noise) with a
        share of gross errors — readings stuck low at the right end — then fit least squares and the
        exact L1 line with <code>fitAsync()</code> in a Web Worker, once on the WebAssembly kernels and
        once on the pure-TypeScript twin. Least squares is dragged by every bad row; L1 moves only a
        little as the share of one-sided errors grows (bounded influence, not zero influence).</p>
      <form id="big-form" class="big-controls" novalidate>
        <label>Rows
          <select id="big-n">
            <option value="100000" selected>100 000</option>
            <option value="200000">200 000</option>
            <option value="500000">500 000</option>
            <option value="1000000">1 000 000</option>
          </select>
        </label>
        <label>Gross errors
          <input id="big-outliers" type="range" min="0" max="30" step="1" value="10" aria-describedby="big-outliers-value" />
          <output id="big-outliers-value" for="big-outliers">10 %</output>
        </label>
        <button type="submit" id="big-run">Generate &amp; fit</button>
        <button type="button" id="big-cancel" class="secondary" disabled>Cancel</button>
      </form>
      <div class="progress-row">
        <label for="big-progress" class="sr-only">Fit progress</label>
        <progress id="big-progress" max="1" value="0"></progress>
        <p id="big-status" data-state="idle" role="status" aria-live="polite">Idle.</p>
      </div>
      <div class="big-grid">
        <div>
          <table class="coef big-table" id="big-table">
            <caption>Time per fit in a warm Worker (started and warmed up first), wall clock incl. the copy <span class="muted">· progress updates: <span id="big-events">0</span></span></caption>
            <thead><tr><th scope="col">Backend</th><th scope="col">L2 time</th><th scope="col">L2 slope</th>
              <th scope="col">L1 time</th><th scope="col">L1 slope</th><th scope="col">L1 gap</th></tr></thead>
            <tbody>
              <tr id="big-row-wasm"><th scope="row">WebAssembly</th><td class="num" id="big-l2-time-wasm">—</td><td class="num" id="big-l2-slope-wasm">—</td>
                <td class="num" id="big-time-wasm">—</td><td class="num" id="big-slope-wasm">—</td><td class="num" id="big-gap-wasm">—</td></tr>
              <tr id="big-row-js"><th scope="row">TypeScript</th><td class="num" id="big-l2-time-js">—</td><td class="num" id="big-l2-slope-js">—</td>
                <td class="num" id="big-time-js">—</td><td class="num" id="big-slope-js">—</td><td class="num" id="big-gap-js">—</td></tr>
            </tbody>
          </table>
          <p class="muted" id="big-startup-line">Worker start-up and warm-up (2 000-row fits on each backend, not in the times above):
            <span class="num" id="big-startup">—</span></p>
          <p id="big-speedup" class="speedup"></p>
        </div>
        <figure class="big-plot">
          <canvas id="big-canvas" width="640" height="300" role="img" aria-label="A sample of the generated rows with the true, L2 and L1 lines"></canvas>
          <figcaption class="legend"><span class="key key-truth"></span>true line
            <span class="key key-l2"></span>L2 <span class="key key-l1"></span>L1</figcaption>
        </figure>
      </div>
    </section>
  </main>
  <footer class="foot">${other} · robustreg: exact L1/quantile with an optimality certificate, Huber,
    least squares; AssemblyScript → WebAssembly with a pure-TypeScript twin.</footer>`;
}

function seRow(f, coef) {
  const id = `${f.key}-${coef}`;
  return `<tr id="se-row-${id}" class="row-${f.key}">
      <th scope="row"><span class="swatch swatch-${f.key}" aria-hidden="true"></span>${f.label} ${coef}</th>
      <td class="num" id="est-${id}">—</td><td class="num" id="se-${id}">—</td><td class="num" id="t-${id}">—</td>
      <td class="num" id="p-${id}">—</td><td class="num" id="ci-${id}">—</td>
    </tr>`;
}

export async function start(app) {
  const page = app.dataset.page ?? 'main';
  app.innerHTML = markup(page);
  // threads: 'auto' — every core when the page is cross-origin isolated (COOP/COEP headers), else one
  // thread and init() says why; results are the same bits either way.
  const info = await init({ threads: 'auto' });
  showBackend(info);
  showThreads(info);
  const demo = setupScatter(app);
  setupBig(app, info);
  demo.update();
  document.body.dataset.ready = 'true';
}

function showThreads(info) {
  const el = document.getElementById('threads');
  el.dataset.threads = String(info.threads);
  el.className = info.threads > 1 ? 'badge ok' : 'badge';
  el.textContent = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  if (info.threadsReason) {
    el.title = info.threadsReason;
    const small = document.createElement('small');
    small.textContent = ` (${info.threadsReason})`;
    el.append(small);
  }
  if (info.threads > 1) {
    // A least-squares fit large enough to be split across the pool (60,000 rows: 15 row chunks), on
    // 1 thread and on all of them: the coefficients must be the same bits.
    const n = 60000, p = 4;
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    let s = 12345;
    const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < n; i++) {
      let v = 1;
      for (let j = 0; j < p; j++) v += (j + 1) * (X[i * p + j] = u() * 10 - 5);
      y[i] = v + u() - 0.5;
    }
    const M = { data: X, rows: n, cols: p };
    const t0 = performance.now();
    const one = ols(M, y, { threads: 1 });
    const t1 = performance.now();
    const all = ols(M, y);
    const t2 = performance.now();
    const same = one.intercept === all.intercept && one.coef.every((c, j) => Object.is(c, all.coef[j]));
    el.dataset.identical = String(same);
    el.append(` — ols on ${n.toLocaleString('en')} rows: ${(t1 - t0).toFixed(1)} ms on 1 thread, ${(t2 - t1).toFixed(1)} ms on ${info.threads}, ${same ? 'same bits' : 'DIFFERENT bits'}`);
  }
}

function showBackend(info) {
  const el = document.getElementById('backend');
  if (info.backend === 'wasm') {
    el.className = 'badge ok';
    el.textContent = 'WebAssembly backend';
  } else {
    el.className = 'badge warn';
    const what = typeof WebAssembly === 'undefined' ? 'WebAssembly unavailable' : 'WebAssembly blocked';
    el.textContent = `${what} — using the TypeScript backend`;
    if (info.reason) {
      const why = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'Why?';
      const text = document.createElement('small');
      text.textContent = info.reason;
      why.append(summary, text);
      el.append(why);
    }
  }
  el.dataset.backend = info.backend;
}

// ------------------------------------------------------------------------------------ scatter plot

function setupScatter(app) {
  const svg = app.querySelector('#plot');
  let points = [];
  let nextId = 1;
  let highlight = null;
  let results = {};
  const visible = Object.fromEntries(LINES.map((l) => [l.key, l.on]));
  const setPoints = (list) => {
    points = list.map((p) => ({ id: nextId++, x: p.x, y: p.y }));
  };
  setPoints(initialPoints());

  // static layers
  const defs = svgEl('defs');
  const clip = svgEl('clipPath', { id: 'plot-clip' });
  clip.append(svgEl('rect', { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }));
  defs.append(clip);
  const area = svgEl('rect', { id: 'plot-area', class: 'plot-area', x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b });
  const grid = svgEl('g', { class: 'grid', 'aria-hidden': 'true' });
  for (let v = 0; v <= 10; v += 2) {
    grid.append(svgEl('line', { x1: sx(v), x2: sx(v), y1: M.t, y2: H - M.b }));
    grid.append(svgEl('line', { x1: M.l, x2: W - M.r, y1: sy(v), y2: sy(v) }));
    const tx = svgEl('text', { x: sx(v), y: H - M.b + 18, class: 'tick', 'text-anchor': 'middle' });
    tx.textContent = String(v);
    const ty = svgEl('text', { x: M.l - 8, y: sy(v) + 4, class: 'tick', 'text-anchor': 'end' });
    ty.textContent = String(v);
    grid.append(tx, ty);
  }
  const xl = svgEl('text', { x: W - M.r, y: H - 4, class: 'axis-label', 'text-anchor': 'end' });
  xl.textContent = 'x';
  const yl = svgEl('text', { x: M.l + 6, y: M.t + 14, class: 'axis-label' });
  yl.textContent = 'y';
  grid.append(xl, yl);
  const residuals = svgEl('g', { class: 'residuals', 'clip-path': 'url(#plot-clip)', 'aria-hidden': 'true' });
  const lineLayer = svgEl('g', { class: 'lines', 'clip-path': 'url(#plot-clip)', 'aria-hidden': 'true' });
  const lineEls = {};
  for (const l of LINES) {
    lineEls[l.key] = svgEl('line', { class: `fit fit-${l.key}` });
    lineLayer.append(lineEls[l.key]);
  }
  const pointLayer = svgEl('g', { class: 'points' });
  svg.append(defs, area, grid, residuals, lineLayer, pointLayer);
  const circles = new Map();

  function fitAll() {
    const X = points.map((p) => [p.x]);
    const y = points.map((p) => p.y);
    const out = {};
    const t0 = performance.now();
    for (const l of LINES) {
      try {
        out[l.key] = { ok: true, r: fit(X, y, l.options) };
      } catch (e) {
        out[l.key] = { ok: false, error: e };
      }
    }
    return { out, ms: performance.now() - t0 };
  }

  function update() {
    const { out, ms } = fitAll();
    results = out;
    renderPoints();
    renderLines();
    renderTable(ms);
    renderInference();
    const td = tauData(points, SE_LEVEL, results.l2);
    renderTau(app.querySelector('#tau-plot'), td);
    app.querySelector('#tau-note').textContent = td.problems.join(' ');
    renderVotes(app, points, results, highlight);
  }

  /** summary() of the L2 and L1 fits: SE, t, p and the interval for the slope and the intercept. */
  function renderInference() {
    const X = points.map((p) => [p.x]);
    const y = points.map((p) => p.y);
    const problems = [];
    for (const f of SE_FITS) {
      const res = results[f.key];
      let s = null;
      if (res?.ok) {
        try {
          s = summary(res.r, X, y, { names: ['x'], level: SE_LEVEL });
          for (const w of s.warnings) problems.push(`${f.label}: ${w}`);
        } catch (e) {
          problems.push(`${f.label}: ${e?.message ?? e}`);
        }
      }
      for (const [coef, idx] of [['slope', 1], ['intercept', 0]]) {
        const row = s?.coefficients[idx];
        const id = `${f.key}-${coef}`;
        setNum(`#est-${id}`, row?.estimate, 3);
        setNum(`#se-${id}`, row?.stdError, 3);
        setNum(`#t-${id}`, row?.statistic, 2);
        const p = app.querySelector(`#p-${id}`);
        p.dataset.value = String(row ? row.pValue : NaN);
        p.textContent = row && Number.isFinite(row.pValue) ? (row.pValue < 1e-4 ? '< 0.0001' : row.pValue.toFixed(4)) : '—';
        const ci = app.querySelector(`#ci-${id}`);
        ci.dataset.lo = String(row ? row.ciLower : NaN);
        ci.dataset.hi = String(row ? row.ciUpper : NaN);
        ci.textContent = row && Number.isFinite(row.ciLower) && Number.isFinite(row.ciUpper) ? `[${fmt(row.ciLower, 3)}, ${fmt(row.ciUpper, 3)}]` : '—';
      }
      const tr = app.querySelector(`#se-row-${f.key}-slope`);
      tr.dataset.method = s ? s.method : '';
      tr.dataset.df = s ? String(s.df) : '';
    }
    app.querySelector('#se-note').textContent = problems.length ? problems.join(' ') : '';
  }

  function setNum(sel, v, digits) {
    const el = app.querySelector(sel);
    el.dataset.value = String(typeof v === 'number' ? v : NaN);
    el.textContent = typeof v === 'number' ? fmt(v, digits) : '—';
  }

  function renderPoints() {
    const live = new Set(points.map((p) => p.id));
    for (const [id, c] of circles) {
      if (!live.has(id)) {
        c.remove();
        circles.delete(id);
      }
    }
    points.forEach((p, i) => {
      let c = circles.get(p.id);
      if (!c) {
        c = svgEl('circle', { class: 'pt', r: 7, tabindex: 0, role: 'button', 'aria-roledescription': 'draggable point' });
        c.dataset.id = String(p.id);
        c.addEventListener('keydown', onKey);
        c.addEventListener('focus', () => setHighlight(p.id));
        c.addEventListener('blur', () => setHighlight(null));
        c.addEventListener('pointerenter', () => setHighlight(p.id));
        c.addEventListener('pointerleave', () => dragging || setHighlight(null));
        pointLayer.append(c);
        circles.set(p.id, c);
      }
      c.setAttribute('cx', sx(p.x).toFixed(2));
      c.setAttribute('cy', sy(p.y).toFixed(2));
      c.classList.toggle('hl', p.id === highlight);
      c.setAttribute('aria-label', `Point ${i + 1} of ${points.length}: x ${p.x.toFixed(2)}, y ${p.y.toFixed(2)}`);
    });
    // residual stems to the L1 line for the highlighted point only
    residuals.replaceChildren();
    const hp = points.find((p) => p.id === highlight);
    for (const key of ['l2', 'l1']) {
      const res = results[key];
      if (!hp || !res?.ok || !visible[key]) continue;
      const yhat = res.r.intercept + res.r.coef[0] * hp.x;
      residuals.append(svgEl('line', { class: `stem stem-${key}`, x1: sx(hp.x), x2: sx(hp.x), y1: sy(hp.y), y2: sy(yhat) }));
    }
  }

  function renderLines() {
    for (const l of LINES) {
      const el = lineEls[l.key];
      const res = results[l.key];
      if (!res?.ok || !visible[l.key]) {
        el.setAttribute('visibility', 'hidden');
        continue;
      }
      const { intercept: a, coef } = res.r;
      const b = coef[0];
      el.setAttribute('visibility', 'visible');
      el.setAttribute('x1', sx(DOMAIN.x0).toFixed(2));
      el.setAttribute('x2', sx(DOMAIN.x1).toFixed(2));
      el.setAttribute('y1', sy(a + b * DOMAIN.x0).toFixed(2));
      el.setAttribute('y2', sy(a + b * DOMAIN.x1).toFixed(2));
    }
  }

  function renderTable(ms) {
    let backend = '';
    for (const l of LINES) {
      const res = results[l.key];
      const slope = app.querySelector(`#slope-${l.key}`);
      const icpt = app.querySelector(`#intercept-${l.key}`);
      const note = app.querySelector(`#note-${l.key}`);
      if (!res.ok) {
        slope.textContent = icpt.textContent = '—';
        slope.dataset.value = icpt.dataset.value = 'NaN';
        note.textContent = errorNote(res.error);
        note.title = res.error?.message ?? String(res.error);
        note.classList.add('err');
        continue;
      }
      const r = res.r;
      backend = r.backend;
      slope.textContent = fmt(r.coef[0], 3);
      slope.dataset.value = String(r.coef[0]);
      icpt.textContent = fmt(r.intercept, 3);
      icpt.dataset.value = String(r.intercept);
      note.classList.remove('err');
      note.textContent = noteFor(l.key, r);
      note.title = `objective ${r.objective}` + (r.certificate ? `; certificate: primal ${r.certificate.primal}, dual ${r.certificate.dual}, gap ${r.certificate.gap}` : '');
    }
    const t = app.querySelector('#fit-time');
    t.textContent = backend ? `· ${LINES.length} fits in ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms (${backend === 'wasm' ? 'WebAssembly' : 'TypeScript'}, n = ${points.length})` : '';
  }

  function announce() {
    const l2 = results.l2, l1 = results.l1;
    const s = app.querySelector('#summary');
    if (l2?.ok && l1?.ok) {
      s.textContent = `${points.length} points. Slopes: L2 ${fmt(l2.r.coef[0], 3)}, L1 ${fmt(l1.r.coef[0], 3)}` +
        (results.huber?.ok ? `, Huber ${fmt(results.huber.r.coef[0], 3)}.` : '.');
    } else {
      s.textContent = `${points.length} points: add points with different x to fit a line.`;
    }
  }

  function setHighlight(id) {
    if (highlight === id) return;
    highlight = id;
    renderPoints();
    renderVotes(app, points, results, highlight);
  }

  // ---- pointer interaction: drag a point, or press on empty space to add one (and keep dragging it)
  let dragging = null;
  function toData(e) {
    const m = svg.getScreenCTM();
    if (!m) return null;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return { x: clampX(ix(pt.x)), y: clampY(iy(pt.y)), px: pt.x, py: pt.y };
  }
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const d = toData(e);
    if (!d) return;
    let p;
    const hit = e.target.closest?.('circle.pt');
    if (hit) {
      p = points.find((q) => q.id === Number(hit.dataset.id));
    } else {
      if (d.px < M.l || d.px > W - M.r || d.py < M.t || d.py > H - M.b) return;
      p = { id: nextId++, x: round2(d.x), y: round2(d.y) };
      points.push(p);
    }
    if (!p) return;
    e.preventDefault();
    dragging = { id: p.id, pointerId: e.pointerId };
    svg.setPointerCapture(e.pointerId);
    svg.classList.add('dragging');
    highlight = p.id;
    update();
    circles.get(p.id)?.focus({ preventScroll: true });
  });
  svg.addEventListener('pointermove', (e) => {
    if (!dragging || e.pointerId !== dragging.pointerId) return;
    const d = toData(e);
    const p = points.find((q) => q.id === dragging.id);
    if (!d || !p) return;
    p.x = round2(d.x);
    p.y = round2(d.y);
    update();
  });
  const endDrag = (e) => {
    if (!dragging || e.pointerId !== dragging.pointerId) return;
    dragging = null;
    svg.classList.remove('dragging');
    announce();
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);

  // ---- keyboard: arrows move the focused point, Delete removes it
  function onKey(e) {
    const id = Number(e.currentTarget.dataset.id);
    const idx = points.findIndex((q) => q.id === id);
    if (idx < 0) return;
    const p = points[idx];
    const step = e.shiftKey ? 1 : 0.1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      e.preventDefault();
      p.x = round2(clampX(p.x + moves[e.key][0]));
      p.y = round2(clampY(p.y + moves[e.key][1]));
      update();
      announce();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      points.splice(idx, 1);
      highlight = null;
      update();
      announce();
      const next = points[Math.min(idx, points.length - 1)];
      if (next) circles.get(next.id)?.focus();
      else app.querySelector('#add-point').focus();
    }
  }

  // ---- buttons and toggles
  app.querySelector('#add-outlier').addEventListener('click', () => {
    points.push({ id: nextId++, ...OUTLIER });
    update();
    announce();
  });
  app.querySelector('#add-point').addEventListener('click', () => {
    const p = { id: nextId++, x: 5, y: 5 };
    points.push(p);
    highlight = p.id;
    update();
    announce();
    circles.get(p.id)?.focus();
  });
  // Leverage scenario: the good points on the left half, four bad ones far out in x. L1, L2 and Huber
  // bound the pull of outlying responses, not of outlying predictors, and tip over; MM and LTS hold.
  app.querySelector('#leverage').addEventListener('click', () => {
    setPoints(leveragePoints());
    highlight = null;
    update();
    announce();
  });
  app.querySelector('#reset').addEventListener('click', () => {
    setPoints(initialPoints());
    highlight = null;
    update();
    announce();
  });
  for (const l of LINES) {
    app.querySelector(`#show-${l.key}`).addEventListener('change', (e) => {
      visible[l.key] = e.currentTarget.checked;
      renderLines();
      renderPoints();
    });
  }

  return {
    update() {
      update();
      announce();
    },
  };
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

function errorNote(e) {
  if (e?.code === 'RANK_DEFICIENT' || e?.code === 'INVALID_INPUT') {
    return e.code === 'RANK_DEFICIENT' ? 'needs two distinct x' : (e.message.includes("'huber'") ? 'not available in this build' : 'needs more points');
  }
  return e?.code ?? 'error';
}

function noteFor(key, r) {
  if (key === 'l2') return r.rcond !== undefined ? `rcond ${fmt(r.rcond, 2)}` : '';
  if (key === 'huber') {
    const out = r.outliers ? r.outliers.reduce((s, v) => s + v, 0) : undefined;
    const parts = [];
    if (r.scale !== undefined) parts.push(`scale ${fmt(r.scale, 2)}`);
    if (out !== undefined) parts.push(`${out} downweighted`);
    if (!parts.length) parts.push(`${r.iterations} iterations`);
    return parts.join(' · ');
  }
  if (key === 'mm' || key === 'lts') {
    const out = r.outliers ? r.outliers.reduce((s, v) => s + v, 0) : 0;
    if (r.status === 'exact-fit' || r.scale === 0) return 'exact fit · scale 0';
    return `scale ${fmt(r.scale, 2)} · ${out} flagged`;
  }
  // L1 / quantile: the duality gap proves optimality (a gap of ±1e-16 is rounding, shown as ≈ 0)
  const c = r.certificate;
  if (!c) return r.converged ? 'converged' : 'not converged';
  const tiny = Math.abs(c.gap) <= 1e-12 * Math.max(1, Math.abs(c.primal));
  return `${r.converged ? 'optimal' : 'not certified'} · gap\u00a0${tiny ? '≈\u00a00' : c.gap.toExponential(0)}`;
}

// ---------------------------------------------------------------------------------- gradient votes

const VW = 1000;
const VH = 250;
const VM = { l: 150, r: 8, t: 4, b: 4 };
const VOTE_ROWS = [
  { key: 'l2', label: 'L2', formula: 'rᵢ·(xᵢ − x̄)' },
  { key: 'huber', label: 'Huber', formula: 'ψ(rᵢ)·(xᵢ − x̄)' },
  { key: 'l1', label: 'L1', formula: 'sign(rᵢ)·(xᵢ − x̄)' },
];

/** Each point's pull on the slope at fit `res` (the negative gradient of the loss w.r.t. the slope). */
export function votes(key, points, res) {
  const n = points.length;
  if (!res?.ok || n === 0) return null;
  const xbar = points.reduce((s, p) => s + p.x, 0) / n;
  const { intercept: a, coef } = res.r;
  const b = coef[0];
  return points.map((p) => {
    const r = p.y - a - b * p.x;
    const xc = p.x - xbar;
    if (key === 'l2') return r * xc;
    if (key === 'l1') return (Math.abs(r) < 1e-9 ? 0 : Math.sign(r)) * xc;
    // Huber ψ: r inside ±δ·s, clipped outside (δ, s as the fit reports them)
    const s = res.r.scale;
    const delta = res.r.delta ?? 1.345;
    if (!(s > 0)) return r * xc;
    const c = delta * s;
    return Math.max(-c, Math.min(c, r)) * xc;
  });
}

function renderVotes(app, points, results, highlight) {
  const svg = app.querySelector('#votes');
  svg.replaceChildren();
  const order = points.map((p, i) => i).sort((i, j) => points[i].x - points[j].x);
  const rowH = (VH - VM.t - VM.b) / VOTE_ROWS.length;
  const colW = (VW - VM.l - VM.r) / Math.max(1, points.length);
  VOTE_ROWS.forEach((row, k) => {
    const top = VM.t + k * rowH;
    const mid = top + rowH / 2;
    const g = svgEl('g', { class: `vote-row vote-${row.key}` });
    const lab = svgEl('text', { x: 4, y: mid - 4, class: 'vote-label' });
    lab.textContent = row.label;
    const form = svgEl('text', { x: 4, y: mid + 14, class: 'vote-formula' });
    form.textContent = row.formula;
    g.append(svgEl('rect', { x: VM.l, y: top + 3, width: VW - VM.l - VM.r, height: rowH - 6, class: 'vote-bg' }), lab, form);
    const v = votes(row.key, points, results[row.key]);
    const share = app.querySelector(`#share-${row.key}`);
    if (!v) {
      const t = svgEl('text', { x: VM.l + 10, y: mid + 4, class: 'vote-formula' });
      t.textContent = 'no fit (see the table)';
      g.append(t);
      share.textContent = '—';
      share.dataset.value = 'NaN';
      svg.append(g);
      return;
    }
    const maxAbs = Math.max(1e-12, ...v.map(Math.abs));
    const total = v.reduce((s, x) => s + Math.abs(x), 0);
    const half = rowH / 2 - 7;
    order.forEach((i, col) => {
      const h = (v[i] / maxAbs) * half;
      const x = VM.l + col * colW + colW * 0.15;
      const bar = svgEl('rect', {
        x: x.toFixed(2), width: Math.max(1, colW * 0.7).toFixed(2),
        y: (h >= 0 ? mid - h : mid).toFixed(2), height: Math.max(0.5, Math.abs(h)).toFixed(2),
        class: `vote vote-bar-${row.key}${points[i].id === highlight ? ' hl' : ''}`,
      });
      g.append(bar);
    });
    g.append(svgEl('line', { x1: VM.l, x2: VW - VM.r, y1: mid, y2: mid, class: 'vote-axis' }));
    svg.append(g);
    const s = total > 0 ? maxAbs / total : NaN;
    share.textContent = Number.isFinite(s) ? `${Math.round(100 * s)} %` : '—';
    share.dataset.value = String(s);
  });
}
