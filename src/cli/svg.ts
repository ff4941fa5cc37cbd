// Dependency-free SVG scatter plots: points (normal or highlighted), straight lines y = a + b x
// clipped to the plot area, a legend, and axes with "nice" ticks (1, 2, 5 × 10^k). Pure strings.

export interface PlotPoint {
  x: number;
  y: number;
  /** Drawn as a hollow red diamond and listed in the legend under `highlightLabel`. */
  highlight?: boolean;
}

export interface PlotLine {
  label: string;
  intercept: number;
  slope: number;
  color: string;
  dash?: string;
}

export interface ScatterSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  points: PlotPoint[];
  lines: PlotLine[];
  pointLabel?: string;
  highlightLabel?: string;
  /** Optional note under the title (e.g. the data source). */
  subtitle?: string;
  width?: number;
  height?: number;
}

/** A color cycle that stays distinguishable for the usual forms of color blindness (Okabe-Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Ticks at 1, 2 or 5 × 10^k covering [lo, hi] with about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 6): { ticks: number[]; step: number } {
  if (!(hi > lo)) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t <= hi + step * 0.999; t += step) ticks.push(Number((Math.round(t / step) * step).toPrecision(12)));
  return { ticks, step };
}

function tickLabel(t: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return Math.abs(t) < step * 1e-9 ? '0' : t.toFixed(decimals);
}

const r2 = (v: number): string => (Math.round(v * 100) / 100).toString();

export function scatterSvg(spec: ScatterSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 500;
  const m = { left: 70, right: 200, top: spec.subtitle ? 58 : 44, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xs = spec.points.map((p) => p.x);
  const ys = spec.points.map((p) => p.y);
  const xt = niceTicks(Math.min(...xs), Math.max(...xs));
  const yt = niceTicks(Math.min(...ys), Math.max(...ys));
  const x0 = xt.ticks[0];
  const x1 = xt.ticks[xt.ticks.length - 1];
  const y0 = yt.ticks[0];
  const y1 = yt.ticks[yt.ticks.length - 1];
  const sx = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => m.top + ph - ((y - y0) / (y1 - y0)) * ph;

  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  o.push(`<title>${escapeXml(spec.title)}</title>`);
  o.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  o.push(`<defs><clipPath id="plot-area"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  o.push(`<text x="${m.left}" y="24" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`);
  if (spec.subtitle) o.push(`<text x="${m.left}" y="42" fill="#555555">${escapeXml(spec.subtitle)}</text>`);

  // Grid, ticks and tick labels.
  o.push('<g stroke="#e5e5e5" stroke-width="1">');
  for (const t of xt.ticks) o.push(`<line x1="${r2(sx(t))}" y1="${m.top}" x2="${r2(sx(t))}" y2="${m.top + ph}"/>`);
  for (const t of yt.ticks) o.push(`<line x1="${m.left}" y1="${r2(sy(t))}" x2="${m.left + pw}" y2="${r2(sy(t))}"/>`);
  o.push('</g>');
  o.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  o.push('<g stroke="#333333">');
  for (const t of xt.ticks) o.push(`<line x1="${r2(sx(t))}" y1="${m.top + ph}" x2="${r2(sx(t))}" y2="${m.top + ph + 5}"/>`);
  for (const t of yt.ticks) o.push(`<line x1="${m.left - 5}" y1="${r2(sy(t))}" x2="${m.left}" y2="${r2(sy(t))}"/>`);
  o.push('</g>');
  o.push('<g fill="#333333" text-anchor="middle">');
  for (const t of xt.ticks) o.push(`<text x="${r2(sx(t))}" y="${m.top + ph + 19}">${tickLabel(t, xt.step)}</text>`);
  o.push('</g><g fill="#333333" text-anchor="end">');
  for (const t of yt.ticks) o.push(`<text x="${m.left - 8}" y="${r2(sy(t) + 4)}">${tickLabel(t, yt.step)}</text>`);
  o.push('</g>');
  o.push(`<text x="${r2(m.left + pw / 2)}" y="${H - 14}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  o.push(`<text transform="translate(18 ${r2(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);

  // Fitted lines, clipped to the plot area.
  o.push('<g clip-path="url(#plot-area)" fill="none" stroke-width="2">');
  for (const l of spec.lines) {
    const ya = l.intercept + l.slope * x0;
    const yb = l.intercept + l.slope * x1;
    o.push(`<line x1="${r2(sx(x0))}" y1="${r2(sy(ya))}" x2="${r2(sx(x1))}" y2="${r2(sy(yb))}" stroke="${l.color}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}><title>${escapeXml(l.label)}</title></line>`);
  }
  o.push('</g>');

  // Points: ordinary ones as filled grey circles, highlighted ones as hollow red diamonds.
  o.push('<g>');
  for (const p of spec.points) {
    const cx = r2(sx(p.x));
    const cy = r2(sy(p.y));
    if (p.highlight) {
      const X = sx(p.x);
      const Y = sy(p.y);
      o.push(`<path d="M${r2(X)} ${r2(Y - 6)} L${r2(X + 6)} ${r2(Y)} L${r2(X)} ${r2(Y + 6)} L${r2(X - 6)} ${r2(Y)} Z" fill="none" stroke="#C00000" stroke-width="2"/>`);
    } else {
      o.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="#555555" fill-opacity="0.75"/>`);
    }
  }
  o.push('</g>');

  // Legend.
  const lx = m.left + pw + 16;
  let ly = m.top + 6;
  o.push('<g>');
  if (spec.pointLabel) {
    o.push(`<circle cx="${lx + 12}" cy="${ly}" r="3.5" fill="#555555"/><text x="${lx + 30}" y="${ly + 4}">${escapeXml(spec.pointLabel)}</text>`);
    ly += 20;
  }
  if (spec.highlightLabel && spec.points.some((p) => p.highlight)) {
    o.push(`<path d="M${lx + 12} ${ly - 6} L${lx + 18} ${ly} L${lx + 12} ${ly + 6} L${lx + 6} ${ly} Z" fill="none" stroke="#C00000" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">${escapeXml(spec.highlightLabel)}</text>`);
    ly += 20;
  }
  for (const l of spec.lines) {
    o.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${l.color}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/><text x="${lx + 30}" y="${ly + 4}">${escapeXml(l.label)}</text>`);
    ly += 20;
  }
  o.push('</g>');
  o.push('</svg>');
  return o.join('\n') + '\n';
}

// ------------------------------------------------------------------- coefficients against tau

export interface CoefficientPanel {
  /** The coefficient's name ((Intercept) or a column). */
  name: string;
  /** Estimates at each tau of the spec. */
  estimate: number[];
  /** Interval ends at each tau (NaN or ±Infinity: no band there; unbounded ends are clipped to the panel). */
  lower: number[];
  upper: number[];
  /** The least-squares estimate and its interval: a reference line and dashed band limits. */
  ols?: { estimate: number; lower: number; upper: number };
}

export interface CoefficientPlotSpec {
  title: string;
  subtitle?: string;
  taus: number[];
  panels: CoefficientPanel[];
  /** Legend text of the band, e.g. "95% rank-inversion interval". */
  bandLabel: string;
  /** Legend text of the reference line, e.g. "least squares ± 95% CI". */
  olsLabel?: string;
  /** Panels per row (default 2, or 1 for a single panel). */
  columns?: number;
}

/**
 * quantreg's plot.summary.rqs as SVG: one panel per coefficient with the estimates against tau (line
 * and points), the confidence band (shaded), and the least-squares estimate (solid red) with its
 * interval (dashed red) as a reference.
 */
export function coefficientPanelsSvg(spec: CoefficientPlotSpec): string {
  const k = spec.panels.length;
  const cols = spec.columns ?? (k === 1 ? 1 : 2);
  const rows = Math.ceil(k / cols);
  const pw = 330;
  const ph = 220;
  const gapX = 80;
  const gapY = 70;
  const left = 70;
  const top = spec.subtitle ? 78 : 62;
  const W = left + cols * pw + (cols - 1) * gapX + 30;
  const H = top + rows * ph + (rows - 1) * gapY + 80;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  o.push(`<title>${escapeXml(spec.title)}</title>`);
  o.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  o.push(`<text x="${left}" y="24" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`);
  if (spec.subtitle) o.push(`<text x="${left}" y="42" fill="#555555">${escapeXml(spec.subtitle)}</text>`);
  const tlo = Math.min(...spec.taus);
  const thi = Math.max(...spec.taus);
  const xt = niceTicks(Math.min(0, tlo), Math.max(1, thi), 5);
  const x0 = xt.ticks[0];
  const x1 = xt.ticks[xt.ticks.length - 1];
  spec.panels.forEach((pan, idx) => {
    const ox = left + (idx % cols) * (pw + gapX);
    const oy = top + Math.floor(idx / cols) * (ph + gapY);
    const finite = (v: number) => Number.isFinite(v);
    const vals = [...pan.estimate, ...pan.lower.filter(finite), ...pan.upper.filter(finite)];
    if (pan.ols) vals.push(...[pan.ols.estimate, pan.ols.lower, pan.ols.upper].filter(finite));
    const yt = niceTicks(Math.min(...vals), Math.max(...vals), 5);
    const y0 = yt.ticks[0];
    const y1 = yt.ticks[yt.ticks.length - 1];
    const sx = (x: number) => ox + ((x - x0) / (x1 - x0)) * pw;
    const sy = (y: number) => oy + ph - ((Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * ph;
    const clip = `panel-${idx}`;
    o.push(`<g class="panel" data-name="${escapeXml(pan.name)}">`);
    o.push(`<defs><clipPath id="${clip}"><rect x="${ox}" y="${oy}" width="${pw}" height="${ph}"/></clipPath></defs>`);
    o.push(`<text x="${ox}" y="${oy - 10}" font-weight="bold">${escapeXml(pan.name)}</text>`);
    o.push('<g stroke="#e5e5e5" stroke-width="1">');
    for (const t of xt.ticks) o.push(`<line x1="${r2(sx(t))}" y1="${oy}" x2="${r2(sx(t))}" y2="${oy + ph}"/>`);
    for (const t of yt.ticks) o.push(`<line x1="${ox}" y1="${r2(sy(t))}" x2="${ox + pw}" y2="${r2(sy(t))}"/>`);
    o.push('</g>');
    o.push(`<rect x="${ox}" y="${oy}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
    o.push('<g fill="#333333" text-anchor="middle">');
    for (const t of xt.ticks) o.push(`<text x="${r2(sx(t))}" y="${oy + ph + 16}">${tickLabel(t, xt.step)}</text>`);
    o.push('</g><g fill="#333333" text-anchor="end">');
    for (const t of yt.ticks) o.push(`<text x="${ox - 6}" y="${r2(sy(t) + 4)}">${tickLabel(t, yt.step)}</text>`);
    o.push('</g>');
    o.push(`<text x="${r2(ox + pw / 2)}" y="${oy + ph + 34}" text-anchor="middle">tau</text>`);
    o.push(`<g clip-path="url(#${clip})">`);
    // The band: a polygon over the taus where both ends exist (unbounded ends clipped to the panel).
    const band: string[] = [];
    const idxs = spec.taus.map((_, i) => i).filter((i) => !Number.isNaN(pan.lower[i]) && !Number.isNaN(pan.upper[i]));
    for (const i of idxs) band.push(`${r2(sx(spec.taus[i]))},${r2(sy(pan.upper[i]))}`);
    for (const i of [...idxs].reverse()) band.push(`${r2(sx(spec.taus[i]))},${r2(sy(pan.lower[i]))}`);
    if (idxs.length > 0) o.push(`<polygon class="band" points="${band.join(' ')}" fill="#9fb7d4" fill-opacity="0.55" stroke="none"/>`);
    if (pan.ols) {
      const { estimate, lower, upper } = pan.ols;
      o.push(`<line class="ols" x1="${ox}" y1="${r2(sy(estimate))}" x2="${ox + pw}" y2="${r2(sy(estimate))}" stroke="#C00000" stroke-width="1.5"/>`);
      for (const v of [lower, upper]) {
        if (Number.isFinite(v)) o.push(`<line class="ols-ci" x1="${ox}" y1="${r2(sy(v))}" x2="${ox + pw}" y2="${r2(sy(v))}" stroke="#C00000" stroke-width="1" stroke-dasharray="5 4"/>`);
      }
    }
    const pts = spec.taus.map((t, i) => `${r2(sx(t))},${r2(sy(pan.estimate[i]))}`);
    o.push(`<polyline class="estimate" points="${pts.join(' ')}" fill="none" stroke="#000000" stroke-width="1.5"/>`);
    spec.taus.forEach((t, i) => o.push(`<circle cx="${r2(sx(t))}" cy="${r2(sy(pan.estimate[i]))}" r="2.8" fill="#000000"><title>tau ${t}: ${pan.estimate[i]} [${pan.lower[i]}, ${pan.upper[i]}]</title></circle>`));
    o.push('</g></g>');
  });
  // Legend under the panels.
  let lx = left;
  const ly = H - 22;
  o.push('<g>');
  o.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="#000000" stroke-width="1.5"/><circle cx="${lx + 12}" cy="${ly}" r="2.8"/><text x="${lx + 30}" y="${ly + 4}">estimate</text>`);
  lx += 100;
  o.push(`<rect x="${lx}" y="${ly - 7}" width="24" height="14" fill="#9fb7d4" fill-opacity="0.55"/><text x="${lx + 30}" y="${ly + 4}">${escapeXml(spec.bandLabel)}</text>`);
  lx += 40 + 7 * spec.bandLabel.length;
  if (spec.olsLabel && spec.panels.some((p) => p.ols)) {
    o.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="#C00000" stroke-width="1.5"/><line x1="${lx}" y1="${ly + 6}" x2="${lx + 24}" y2="${ly + 6}" stroke="#C00000" stroke-dasharray="5 4"/><text x="${lx + 30}" y="${ly + 4}">${escapeXml(spec.olsLabel)}</text>`);
  }
  o.push('</g>');
  o.push('</svg>');
  return o.join('\n') + '\n';
}
