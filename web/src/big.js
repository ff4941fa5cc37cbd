// The "big data" panel: generate 1e5–1e6 rows with gross errors and fit them with fitAsync() in a
// Worker (progress bar, Cancel through an AbortController), on the WASM kernels and on the TypeScript
// twin, side by side.
import { fitAsync } from 'robustreg';
import { BIG_TRUTH, bigData } from './data.js';
import { fmt, fmtMs, nextFrame } from './util.js';

/** Rows of the warm-up fits that start the Worker before anything is timed. */
const WARM_ROWS = 2000;

export function setupBig(app, info) {
  const $ = (sel) => app.querySelector(sel);
  const form = $('#big-form');
  const runBtn = $('#big-run');
  const cancelBtn = $('#big-cancel');
  const nSel = $('#big-n');
  const outl = $('#big-outliers');
  const outlOut = $('#big-outliers-value');
  const bar = $('#big-progress');
  const status = $('#big-status');
  const eventsEl = $('#big-events');
  const speedup = $('#big-speedup');
  const canvas = $('#big-canvas');
  const backends = info.backend === 'wasm' ? ['wasm', 'js'] : ['js'];
  if (info.backend !== 'wasm') {
    for (const id of ['#big-l2-time-wasm', '#big-time-wasm']) $(id).textContent = 'blocked';
    $('#big-row-wasm').classList.add('unavailable');
  }
  let controller = null;
  let last = null;

  outl.addEventListener('input', () => {
    outlOut.textContent = `${outl.value} %`;
  });

  const setStatus = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };

  cancelBtn.addEventListener('click', () => controller?.abort());

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (controller) return;
    controller = new AbortController();
    const { signal } = controller;
    runBtn.disabled = true;
    cancelBtn.disabled = false;
    let events = 0;
    eventsEl.textContent = '0';
    speedup.textContent = '';
    for (const b of backends) {
      for (const id of [`#big-l2-time-${b}`, `#big-l2-slope-${b}`, `#big-time-${b}`, `#big-slope-${b}`, `#big-gap-${b}`]) {
        $(id).textContent = '…';
        $(id).dataset.value = '';
        delete $(id).dataset.measure;
      }
    }
    const n = Number(nSel.value);
    const frac = Number(outl.value) / 100;
    setStatus('running', `Generating ${n.toLocaleString('en')} rows…`);
    bar.value = 0;
    await nextFrame();
    const data = bigData(n, frac);
    const X = { data: data.x, rows: n, cols: 1 };
    const plan = backends.flatMap((backend) => [{ backend, loss: 'l2' }, { backend, loss: 'l1' }]);
    bar.max = plan.length;
    const fits = {};
    const startup = $('#big-startup');
    startup.textContent = '…';
    startup.dataset.value = '';
    try {
      // Start the Worker and warm up every backend and loss on a small sample first, so that each timed
      // fit below runs in a warm Worker: otherwise the first one (WebAssembly least squares) pays the
      // Worker's start, the module's instantiation in it and the first JIT, and looks slower than the
      // TypeScript twin that runs after it. The start-up is shown on its own.
      setStatus('running', 'Starting the Worker and warming up both backends…');
      const warm = bigData(WARM_ROWS, frac);
      const tw = performance.now();
      for (const backend of backends) {
        for (const loss of ['l2', 'l1']) await fitAsync({ data: warm.x, rows: WARM_ROWS, cols: 1 }, warm.y, { loss, backend, signal });
      }
      const warmMs = performance.now() - tw;
      startup.textContent = fmtMs(warmMs);
      startup.dataset.value = String(warmMs);
      for (let k = 0; k < plan.length; k++) {
        const { backend, loss } = plan[k];
        const label = `${loss.toUpperCase()} on ${backend === 'wasm' ? 'WebAssembly' : 'TypeScript'}`;
        setStatus('running', `Fitting ${label} (${n.toLocaleString('en')} rows)…`);
        bar.value = k;
        const t0 = performance.now();
        const r = await fitAsync(X, data.y, {
          loss,
          backend,
          signal,
          onProgress: (p) => {
            events++;
            eventsEl.textContent = String(events);
            bar.value = k + progressFraction(p);
            const gap = Number.isFinite(p.gap) ? ` · gap ${p.gap.toExponential(1)}` : '';
            setStatus('running', `Fitting ${label}: iteration ${p.iteration} · objective ${fmt(p.objective, 1)}${gap}`);
          },
        });
        const ms = performance.now() - t0;
        fits[`${loss}-${backend}`] = { r, ms };
        const pre = loss === 'l2' ? 'big-l2-' : 'big-';
        $(`#${pre}time-${backend}`).textContent = fmtMs(ms);
        $(`#${pre}time-${backend}`).dataset.value = String(ms);
        $(`#${pre}time-${backend}`).dataset.measure = 'warm-worker'; // the same for every cell (browser test)
        $(`#${pre}slope-${backend}`).textContent = fmt(r.coef[0], 4);
        $(`#${pre}slope-${backend}`).dataset.value = String(r.coef[0]);
        if (loss === 'l1') {
          const gap = r.certificate?.gap;
          $(`#big-gap-${backend}`).textContent = gap === undefined ? '—' : `${gap === 0 ? '0' : gap.toExponential(1)}${r.converged ? ' ✓' : ''}`;
          $(`#big-gap-${backend}`).dataset.value = String(gap);
        }
        bar.value = k + 1;
        await nextFrame();
      }
      const wl1 = fits['l1-wasm'];
      const jl1 = fits['l1-js'];
      if (wl1 && jl1) speedup.textContent = `Exact L1 on ${n.toLocaleString('en')} rows: WebAssembly ${fmtMs(wl1.ms)}, TypeScript ${fmtMs(jl1.ms)} — ${(jl1.ms / wl1.ms).toFixed(1)}× faster.`;
      const l1 = (wl1 ?? jl1).r;
      const l2 = (fits['l2-wasm'] ?? fits['l2-js']).r;
      last = { data, l1, l2 };
      draw(canvas, last);
      setStatus('done', `Done: ${n.toLocaleString('en')} rows, ${data.outliers.toLocaleString('en')} gross errors. ` +
        `True slope ${BIG_TRUTH.slope}; L1 ${fmt(l1.coef[0], 3)}, L2 ${fmt(l2.coef[0], 3)}.`);
    } catch (err) {
      if (err?.code === 'CANCELLED') {
        setStatus('cancelled', 'Cancelled — the Worker was terminated.');
        for (const b of backends) {
          for (const id of [`#big-l2-time-${b}`, `#big-l2-slope-${b}`, `#big-time-${b}`, `#big-slope-${b}`, `#big-gap-${b}`]) {
            if ($(id).textContent === '…') $(id).textContent = '—';
          }
        }
        if (startup.textContent === '…') startup.textContent = '—';
      } else {
        setStatus('error', `Error: ${err?.message ?? err}`);
      }
      bar.value = 0;
    } finally {
      controller = null;
      runBtn.disabled = false;
      cancelBtn.disabled = true;
    }
  });

  draw(canvas, null);
  new ResizeObserver(() => draw(canvas, last)).observe(canvas);
}

/**
 * A rough within-fit fraction for the progress bar. The solver reports iterations and, in its finish
 * phase, the duality gap; the gap shrinking towards the tolerance is the honest part of the estimate.
 */
function progressFraction(p) {
  const it = Math.min(0.5, p.iteration / (p.iteration + 6));
  if (Number.isFinite(p.gap) && p.objective > 0) {
    const rel = Math.max(p.gap / p.objective, 1e-12);
    const closed = Math.min(1, Math.max(0, -Math.log10(rel) / 10));
    return Math.min(0.97, Math.max(it, 0.5 + 0.47 * closed));
  }
  return it;
}

function draw(canvas, state) {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 640;
  const cssH = Math.round((cssW * 300) / 640);
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const css = getComputedStyle(canvas);
  const color = (name, dflt) => css.getPropertyValue(name).trim() || dflt;
  const M = { l: 40, r: 10, t: 10, b: 24 };
  const x0 = 0, x1 = 10, y0 = -15, y1 = 15;
  const sx = (x) => M.l + ((x - x0) / (x1 - x0)) * (cssW - M.l - M.r);
  const sy = (y) => cssH - M.b - ((y - y0) / (y1 - y0)) * (cssH - M.t - M.b);
  ctx.clearRect(0, 0, cssW, cssH);
  ctx.fillStyle = color('--panel', '#fff');
  ctx.fillRect(0, 0, cssW, cssH);
  ctx.strokeStyle = color('--grid', '#e5e7eb');
  ctx.fillStyle = color('--muted', '#555');
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (let v = 0; v <= 10; v += 2) {
    ctx.beginPath();
    ctx.moveTo(sx(v), M.t);
    ctx.lineTo(sx(v), cssH - M.b);
    ctx.stroke();
    ctx.fillText(String(v), sx(v), cssH - 8);
  }
  ctx.textAlign = 'right';
  for (let v = -15; v <= 15; v += 5) {
    ctx.beginPath();
    ctx.moveTo(M.l, sy(v));
    ctx.lineTo(cssW - M.r, sy(v));
    ctx.stroke();
    ctx.fillText(String(v), M.l - 6, sy(v) + 4);
  }
  if (!state) {
    ctx.textAlign = 'center';
    ctx.fillText('Generate data to see a sample of it here', cssW / 2, cssH / 2);
    return;
  }
  const { data, l1, l2 } = state;
  const show = Math.min(data.n, 4000);
  const step = data.n / show;
  ctx.fillStyle = color('--ink-soft', '#334');
  ctx.globalAlpha = 0.35;
  for (let k = 0; k < show; k++) {
    const i = Math.floor(k * step);
    ctx.fillRect(sx(data.x[i]) - 1.25, sy(data.y[i]) - 1.25, 2.5, 2.5);
  }
  ctx.globalAlpha = 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(M.l, M.t, cssW - M.l - M.r, cssH - M.t - M.b);
  ctx.clip();
  const line = (a, b, stroke, width, dash) => {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(sx(x0), sy(a + b * x0));
    ctx.lineTo(sx(x1), sy(a + b * x1));
    ctx.stroke();
  };
  line(l2.intercept, l2.coef[0], color('--l2', '#c0392b'), 3, []);
  line(l1.intercept, l1.coef[0], color('--l1', '#0b7a75'), 3, []);
  line(BIG_TRUTH.intercept, BIG_TRUTH.slope, color('--truth', '#111'), 1.5, [6, 5]);
  ctx.restore();
}
