// "How the fit changes with τ": for the dragged points, quantile fits at τ = 0.1 … 0.9 with their
// rank-inversion intervals (summary()'s default below 1001 points, as quantreg), one panel per
// coefficient, with the least-squares estimate and its interval as reference lines — quantreg's
// plot.summary.rqs, live. Every mark carries its numbers in data-* attributes (browser tests read them).
import { fit, summary } from 'robustreg';
import { fmt, svgEl } from './util.js';

export const TAU_GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
export const TW = 640;
export const TH = 250;
const PM = { l: 48, r: 12, t: 26, b: 34, gap: 56 };

/** Nice ticks at 1, 2, 5 × 10^k. */
function ticks(lo, hi, count = 4) {
  if (!(hi > lo)) { const d = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= d; hi += d; }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const out = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 0.999; t += step) out.push(Number((Math.round(t / step) * step).toPrecision(12)));
  return out;
}

/** Fits, intervals and the least-squares reference for the points; rows of problems for the note. */
export function tauData(points, level, l2) {
  const X = points.map((p) => [p.x]);
  const y = points.map((p) => p.y);
  const coefs = [[], []];
  const lo = [[], []];
  const hi = [[], []];
  const problems = [];
  for (const tau of TAU_GRID) {
    let s = null;
    let r = null;
    try {
      r = fit(X, y, { loss: 'quantile', tau });
      s = summary(r, X, y, { names: ['x'], level });
    } catch (e) {
      problems.push(`τ = ${tau}: ${e?.message ?? e}`);
    }
    for (const j of [0, 1]) {
      coefs[j].push(r ? (j === 0 ? r.intercept : r.coef[0]) : NaN);
      lo[j].push(s ? s.coefficients[j].ciLower : NaN);
      hi[j].push(s ? s.coefficients[j].ciUpper : NaN);
    }
  }
  let ols = null;
  if (l2?.ok) {
    try {
      const s = summary(l2.r, X, y, { names: ['x'], level });
      ols = [0, 1].map((j) => ({ est: s.coefficients[j].estimate, lo: s.coefficients[j].ciLower, hi: s.coefficients[j].ciUpper }));
    } catch (e) {
      problems.push(`least squares: ${e?.message ?? e}`);
    }
  }
  return { coefs, lo, hi, ols, problems };
}

/** Draw both panels (slope first, then intercept) into the svg element. */
export function renderTau(svg, data) {
  svg.replaceChildren();
  const pw = (TW - PM.l - PM.r - PM.gap) / 2;
  const ph = TH - PM.t - PM.b;
  [['slope', 1], ['intercept', 0]].forEach(([name, j], k) => {
    const ox = PM.l + k * (pw + PM.gap);
    const oy = PM.t;
    const finite = (v) => Number.isFinite(v);
    const vals = [...data.coefs[j], ...data.lo[j], ...data.hi[j]].filter(finite);
    if (data.ols) vals.push(...[data.ols[j].est, data.ols[j].lo, data.ols[j].hi].filter(finite));
    if (vals.length === 0) vals.push(0, 1);
    const yt = ticks(Math.min(...vals), Math.max(...vals));
    const y0 = yt[0];
    const y1 = yt[yt.length - 1];
    const sx = (t) => ox + t * pw;
    const sy = (v) => oy + ph - ((Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0)) * ph;
    const g = svgEl('g', { class: 'tau-panel', 'data-name': name });
    g.append(svgEl('rect', { x: ox, y: oy, width: pw, height: ph, class: 'frame' }));
    const title = svgEl('text', { x: ox, y: oy - 8, class: 'panel-title' });
    title.textContent = name;
    g.append(title);
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const tx = svgEl('text', { x: sx(t), y: oy + ph + 16, class: 'tick', 'text-anchor': 'middle' });
      tx.textContent = String(t);
      g.append(tx);
    }
    const xl = svgEl('text', { x: ox + pw / 2, y: oy + ph + 31, class: 'tick', 'text-anchor': 'middle' });
    xl.textContent = 'τ';
    g.append(xl);
    const step = yt.length > 1 ? yt[1] - yt[0] : 1;
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (const t of yt) {
      g.append(svgEl('line', { x1: ox, x2: ox + pw, y1: sy(t), y2: sy(t), class: 'grid' }));
      const ty = svgEl('text', { x: ox - 5, y: sy(t) + 4, class: 'tick', 'text-anchor': 'end' });
      ty.textContent = t.toFixed(decimals).replace('-', '−');
      g.append(ty);
    }
    const idx = TAU_GRID.map((_, i) => i).filter((i) => !Number.isNaN(data.lo[j][i]) && !Number.isNaN(data.hi[j][i]));
    if (idx.length > 0) {
      const pts = [...idx.map((i) => `${sx(TAU_GRID[i])},${sy(data.hi[j][i])}`), ...[...idx].reverse().map((i) => `${sx(TAU_GRID[i])},${sy(data.lo[j][i])}`)];
      g.append(svgEl('polygon', { class: 'band', points: pts.join(' ') }));
    }
    if (data.ols) {
      const o = data.ols[j];
      g.append(svgEl('line', { class: 'ols', x1: ox, x2: ox + pw, y1: sy(o.est), y2: sy(o.est), 'data-value': o.est }));
      for (const v of [o.lo, o.hi]) if (Number.isFinite(v)) g.append(svgEl('line', { class: 'ols-ci', x1: ox, x2: ox + pw, y1: sy(v), y2: sy(v), 'data-value': v }));
    }
    const est = TAU_GRID.map((t, i) => `${sx(t)},${sy(data.coefs[j][i])}`);
    g.append(svgEl('polyline', { class: 'estimate', points: est.join(' ') }));
    TAU_GRID.forEach((t, i) => {
      const c = svgEl('circle', {
        class: 'tau-pt', cx: sx(t), cy: sy(data.coefs[j][i]), r: 3,
        'data-tau': t, 'data-est': data.coefs[j][i], 'data-lo': data.lo[j][i], 'data-hi': data.hi[j][i],
      });
      const tip = svgEl('title');
      tip.textContent = `τ = ${t}: ${name} ${fmt(data.coefs[j][i], 3)}, interval [${fmt(data.lo[j][i], 3)}, ${fmt(data.hi[j][i], 3)}]`;
      c.append(tip);
      g.append(c);
    });
    svg.append(g);
  });
}
