// Weighted selection — pure-TypeScript twin of assembly/select.ts (same loop order, same xorshift32
// stream, same summation order: both backends select the same element). See assembly/select.ts for
// the algorithm and its provenance (Floyd & Rivest 1975 narrowing, Hoare's FIND, Wu & Lange 2008,
// Barrodale & Roberts 1973). Byte offsets address the twin's linear memory (src/twin/mem.ts).
import { F64, I32 } from './mem.js';

const SEED = 0x9e3779b9;
const SMALL = 512;
const SAMPLE_MAX = 1024;
const BAND = 1.5;
/** Scratch bytes wselect needs at pScratch (the sample: keys, weights, ids). */
export const SELECT_SCRATCH_BYTES = SAMPLE_MAX * 20;

let rng = SEED;

function next(): number {
  let x = rng;
  x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0;
  rng = x;
  return x;
}

/** FIND on positions [lo, hi) (hi > lo) of the arrays at index bases kb, wb (f64) and ib (i32). */
function find(kb: number, wb: number, ib: number, lo: number, hi: number, acc: number, target: number): number {
  const F = F64, I = I32;
  hi--;
  while (lo < hi) {
    const a = lo + (next() % (hi - lo + 1));
    let t = F[kb + a]; F[kb + a] = F[kb + hi]; F[kb + hi] = t;
    t = F[wb + a]; F[wb + a] = F[wb + hi]; F[wb + hi] = t;
    let ti = I[ib + a]; I[ib + a] = I[ib + hi]; I[ib + hi] = ti;
    const pk = F[kb + hi], pid = I[ib + hi];
    let s = lo;
    let wl = 0.0;
    for (let i = lo; i < hi; i++) {
      const k = F[kb + i];
      if (k < pk || (k === pk && I[ib + i] < pid)) {
        wl += F[wb + i];
        t = F[kb + i]; F[kb + i] = F[kb + s]; F[kb + s] = t;
        t = F[wb + i]; F[wb + i] = F[wb + s]; F[wb + s] = t;
        ti = I[ib + i]; I[ib + i] = I[ib + s]; I[ib + s] = ti;
        s++;
      }
    }
    t = F[kb + s]; F[kb + s] = F[kb + hi]; F[kb + hi] = t;
    t = F[wb + s]; F[wb + s] = F[wb + hi]; F[wb + hi] = t;
    ti = I[ib + s]; I[ib + s] = I[ib + hi]; I[ib + hi] = ti;
    if (s > lo && acc + wl >= target) {
      hi = s - 1;
    } else {
      acc += wl + F[wb + s];
      if (acc >= target || s === hi) return s;
      lo = s + 1;
    }
  }
  return lo;
}

/**
 * Permutes the m >= 1 (key, weight, id) triples at byte offsets pKey, pWt (f64) and pId (i32) and
 * returns the position of the first element in (key, id) order whose cumulative weight reaches
 * `target`. target <= 0 selects the smallest element; a total short of the target (rounding) returns
 * the largest. `total` (the weight sum) and pScratch (SELECT_SCRATCH_BYTES bytes) enable the sampling
 * narrowing; without them (pScratch = 0) this is plain FIND, after which positions before the result
 * hold exactly its predecessors.
 */
export function wselect(pKey: number, pWt: number, pId: number, m: number, target: number, total = 0,
  pScratch = 0): number {
  const F = F64, I = I32;
  rng = SEED;
  const kb = pKey >>> 3, wb = pWt >>> 3, ib = pId >>> 2;
  const sk = pScratch >>> 3, sw0 = sk + SAMPLE_MAX, si = (pScratch >>> 2) + 4 * SAMPLE_MAX;
  const lo = 0;
  let hi = m;
  let acc = 0.0;
  let wr = total;
  while (pScratch !== 0 && hi - lo > SMALL && target > acc && wr > 0) {
    const len = hi - lo;
    let s = len >> 3;
    if (s > SAMPLE_MAX) s = SAMPLE_MAX;
    let sw = 0.0;
    for (let a = 0; a < s; a++) {
      const i = lo + (next() % len);
      const w = F[wb + i];
      F[sk + a] = F[kb + i];
      F[sw0 + a] = w;
      I[si + a] = I[ib + i];
      sw += w;
    }
    const f = (target - acc) / wr, d = BAND / Math.sqrt(s);
    let k1 = -Infinity, i1 = -1, k2 = Infinity, i2 = 2147483647;
    if (f - d > 0) {
      const a = find(sk, sw0, si, 0, s, 0, (f - d) * sw);
      k1 = F[sk + a]; i1 = I[si + a];
    }
    if (f + d < 1) {
      const a = find(sk, sw0, si, 0, s, 0, (f + d) * sw);
      k2 = F[sk + a]; i2 = I[si + a];
    }
    let wl = 0.0, wband = 0.0;
    let b = lo;
    for (let i = lo; i < hi; i++) {
      const k = F[kb + i], id = I[ib + i];
      const w = F[wb + i];
      const left = k < k1 || (k === k1 && id < i1);
      const right = k2 < k || (k2 === k && i2 < id);
      wl += left ? w : 0.0;
      if (!left && !right) {
        wband += w;
        if (i !== b) {
          let t = F[kb + i]; F[kb + i] = F[kb + b]; F[kb + b] = t;
          t = F[wb + i]; F[wb + i] = F[wb + b]; F[wb + b] = t;
          const ti = I[ib + i]; I[ib + i] = I[ib + b]; I[ib + b] = ti;
        }
        b++;
      }
    }
    if (!(acc + wl < target && acc + wl + wband >= target && b - lo < len)) break;
    acc += wl;
    hi = b;
    wr = wband;
  }
  return find(kb, wb, ib, lo, hi, acc, target);
}

/** Keeps the m triples whose key is <= that of their target element in [0, c) and returns c (see
 *  assembly/select.ts wthin); total (their weight) >= target. */
export function wthin(pKey: number, pWt: number, pId: number, m: number, target: number, total: number, pScratch: number): number {
  const F = F64, I = I32;
  const kb = pKey >>> 3, wb = pWt >>> 3, ib = pId >>> 2;
  const t = F[kb + wselect(pKey, pWt, pId, m, target, total, pScratch)];
  let c = 0;
  for (let a = 0; a < m; a++) {
    const k = F[kb + a];
    if (k <= t) { F[kb + c] = k; F[wb + c] = F[wb + a]; I[ib + c] = I[ib + a]; c++; }
  }
  return c;
}

/** Position of the first of the m >= 1 elements in (key, id) order (no reordering). */
export function argmin(pKey: number, pId: number, m: number): number {
  const F = F64, I = I32;
  const kb = pKey >>> 3, ib = pId >>> 2;
  let best = 0;
  let kbest = F[kb], ibest = I[ib];
  for (let i = 1; i < m; i++) {
    const k = F[kb + i], id = I[ib + i];
    if (k < kbest || (k === kbest && id < ibest)) { best = i; kbest = k; ibest = id; }
  }
  return best;
}
