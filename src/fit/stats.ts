// Location utilities of the public contract: median, weightedMedian, weightedQuantile. They are the
// minimisers of the L1 / check loss for a constant model (what lad/quantile return with no columns),
// computed directly in O(n log n) without touching WebAssembly (no init() needed).
import { RobustRegError, describe } from '../errors.js';

function values(v: unknown, name: string): Float64Array {
  if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))) {
    throw new RobustRegError('INVALID_INPUT', `${name} must be an array of numbers, received ${describe(v)}`, { argument: name });
  }
  const a = v as ArrayLike<unknown>;
  if (a.length === 0) throw new RobustRegError('INVALID_INPUT', `${name} is empty; at least one value is needed`, { argument: name });
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new RobustRegError('INVALID_INPUT', `${name}[${i}] must be a number, received ${describe(x)}`, { argument: `${name}[${i}]` });
    if (!Number.isFinite(x)) throw new RobustRegError('NON_FINITE', `${name}[${i}] is ${describe(x)}; every value must be finite`, { argument: `${name}[${i}]`, value: x });
    out[i] = x;
  }
  return out;
}

/** The ordinary median (mean of the two middle values for even n). */
export function median(x: ArrayLike<number>): number {
  const v = values(x, 'values').sort();
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : midpoint(v[h - 1], v[h]);
}

function validated(x: ArrayLike<number>, w: ArrayLike<number>): { v: Float64Array; wt: Float64Array; W: number } {
  const v = values(x, 'values');
  const wt = values(w, 'weights');
  if (wt.length !== v.length) throw new RobustRegError('DIMENSION_MISMATCH', `weights has length ${wt.length} but values has ${v.length}`, { argument: 'weights' });
  let W = 0;
  for (let i = 0; i < wt.length; i++) {
    if (wt[i] < 0) throw new RobustRegError('INVALID_INPUT', `weights[${i}] is ${wt[i]}; weights must be non-negative`, { argument: `weights[${i}]`, value: wt[i] });
    W += wt[i];
  }
  if (!(W > 0)) throw new RobustRegError('INVALID_INPUT', 'weights are all zero; at least one value needs a positive weight', { argument: 'weights' });
  return { v, wt, W };
}

function sorted(x: ArrayLike<number>, w: ArrayLike<number>): { v: Float64Array; wt: Float64Array; W: number } {
  const { v, wt, W } = validated(x, w);
  const idx = Array.from(v.keys()).sort((a, b) => v[a] - v[b] || a - b);
  return { v: Float64Array.from(idx, (i) => v[i]), wt: Float64Array.from(idx, (i) => wt[i]), W };
}

/**
 * Weighted τ-quantile: the smallest value whose cumulative weight reaches τ·W — a minimiser of
 * Σ wᵢ ρ_τ(xᵢ − q). τ defaults to ½.
 */
export function weightedQuantile(x: ArrayLike<number>, w: ArrayLike<number>, tau = 0.5): number {
  if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) {
    throw new RobustRegError('INVALID_INPUT', `tau must be a number strictly between 0 and 1, received ${describe(tau)}`, { argument: 'tau', value: tau });
  }
  const { v, wt } = validated(x, w);
  return lowerWeightedQuantile(v, wt, tau);
}

/**
 * The one weighted τ-quantile of the library (weightedQuantile, the lasso path's start, lambdaMax) on
 * already validated data: among the rows with positive weight, in (value, index) order, the first
 * whose cumulative weight reaches τ·W (W summed in index order); the largest positive-weight value
 * when rounding leaves the cumulative sum short of τ·W. Zero-weight rows never count.
 */
export function lowerWeightedQuantile(y: ArrayLike<number>, w: ArrayLike<number>, tau: number): number {
  const idx: number[] = [];
  let W = 0;
  for (let i = 0; i < y.length; i++) {
    if (w[i] > 0) {
      idx.push(i);
      W += w[i];
    }
  }
  idx.sort((a, b) => y[a] - y[b] || a - b);
  const target = tau * W;
  let acc = 0;
  for (const i of idx) {
    acc += w[i];
    if (acc >= target) return y[i];
  }
  return y[idx[idx.length - 1]];
}

/**
 * Weighted median: the midpoint of the interval of minimisers of Σ wᵢ|xᵢ − m| (equals median() for
 * unit weights).
 */
export function weightedMedian(x: ArrayLike<number>, w: ArrayLike<number>): number {
  const { v, wt, W } = sorted(x, w);
  const half = W / 2;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    if (wt[i] === 0) continue;
    c += wt[i];
    if (c > half) return v[i];
    if (c === half) {
      let j = i + 1;
      while (j < v.length && wt[j] === 0) j++;
      return j < v.length ? midpoint(v[i], v[j]) : v[i];
    }
  }
  return v[v.length - 1];
}

/** (a + b) / 2 for a <= b without overflow: a + (b - a) / 2, or a / 2 + b / 2 when b - a overflows. */
function midpoint(a: number, b: number): number {
  const d = b - a;
  return Number.isFinite(d) ? a + d / 2 : a / 2 + b / 2;
}
