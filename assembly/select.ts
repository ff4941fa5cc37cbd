// Weighted selection: the O(m) expected-time engine of the L1 / quantile kernel (assembly/l1.ts).
// Twin: src/twin/select.ts (same loop order, same pseudo-random stream, same summation order: both
// backends select the same element).
//
// Elements are (key f64, weight f64 >= 0, id i32) triples in three parallel arrays. They are ordered
// by key, ties by id (ids are distinct row numbers): a strict total order, so heavily tied keys —
// integer data, duplicated rows, dummy designs — cost no more than distinct ones.
//
// wselect finds the first element in that order whose cumulative weight (inclusive) reaches a
// target T: the lower weighted T-quantile — the weighted-median step of Wu & Lange (2008, Ann. Appl.
// Stat. 2:224) and the line search of Barrodale & Roberts (1973, SIAM J. Numer. Anal. 10:839).
// Large ranges are narrowed Floyd–Rivest style (Floyd & Rivest 1975, CACM 18:165, Algorithm 489):
// two pivots are read off a random sample at the target's weighted fraction +- BAND sample standard
// deviations, one read-mostly pass sums the weight below the band and gathers the band at the front,
// and the search continues in the band (about 10% of the range). Small ranges, and the rare case of a
// target outside the band, finish with Hoare's FIND (1961, CACM Algorithm 65) using a weight-carrying
// Lomuto partition. Randomness is a fixed xorshift32 stream (Marsaglia 2003) reset on every call,
// never Math.random: results are deterministic and identical across backends.

/** Seed of the pseudo-random stream (any non-zero u32). */
const SEED: u32 = 0x9e3779b9;
/** Ranges of at most this many elements are finished by FIND. */
const SMALL: i32 = 512;
/** Largest sample drawn from a range (a range of length len samples len / 8). */
const SAMPLE_MAX: i32 = 1024;
/** Half-width of the band in units of 1/sqrt(sample size): >= 3 standard deviations of a sample
 *  quantile, so the target falls outside the band rarely. */
const BAND: f64 = 1.5;
/** Scratch bytes wselect needs at pScratch (the sample: keys, weights, ids). */
export const SELECT_SCRATCH_BYTES: i32 = SAMPLE_MAX * 20;

let rng: u32 = SEED;

// @ts-ignore: decorator
@inline function next(): u32 {
  let x = rng;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  rng = x;
  return x;
}

// @ts-ignore: decorator
@inline function before(ka: f64, ia: i32, kb: f64, ib: i32): bool {
  return ka < kb || (ka == kb && ia < ib);
}

// @ts-ignore: decorator
@inline function swap3(pKey: usize, pWt: usize, pId: usize, a: i32, b: i32): void {
  const oa = <usize>a << 3, ob = <usize>b << 3;
  const k = load<f64>(pKey + oa); store<f64>(pKey + oa, load<f64>(pKey + ob)); store<f64>(pKey + ob, k);
  const w = load<f64>(pWt + oa); store<f64>(pWt + oa, load<f64>(pWt + ob)); store<f64>(pWt + ob, w);
  const ia = <usize>a << 2, ib = <usize>b << 2;
  const t = load<i32>(pId + ia); store<i32>(pId + ia, load<i32>(pId + ib)); store<i32>(pId + ib, t);
}

/** FIND on positions [lo, hi) (hi > lo) whose predecessors outside the range weigh acc. */
function find(pKey: usize, pWt: usize, pId: usize, lo: i32, hi: i32, acc: f64, target: f64): i32 {
  hi--;
  while (lo < hi) {
    swap3(pKey, pWt, pId, lo + <i32>(next() % <u32>(hi - lo + 1)), hi);
    const pk = load<f64>(pKey + (<usize>hi << 3)), pid = load<i32>(pId + (<usize>hi << 2));
    // Lomuto partition: [lo, s) precede the pivot, (s, hi] follow it
    let s = lo;
    let wl = 0.0;
    for (let i = lo; i < hi; i++) {
      if (before(load<f64>(pKey + (<usize>i << 3)), load<i32>(pId + (<usize>i << 2)), pk, pid)) {
        wl += load<f64>(pWt + (<usize>i << 3));
        swap3(pKey, pWt, pId, i, s);
        s++;
      }
    }
    swap3(pKey, pWt, pId, s, hi);
    if (s > lo && acc + wl >= target) {
      hi = s - 1;
    } else {
      acc += wl + load<f64>(pWt + (<usize>s << 3));
      if (acc >= target || s == hi) return s;
      lo = s + 1;
    }
  }
  return lo;
}

/**
 * Permutes the m >= 1 triples in place and returns the position of the first element (in
 * (key, id) order) whose cumulative weight reaches `target`. target <= 0 selects the smallest
 * element; a total weight short of the target (only by rounding, for callers whose target is a share
 * of the total) returns the largest. `total` (the sum of the weights) and pScratch
 * (SELECT_SCRATCH_BYTES bytes, 8-aligned) enable the sampling narrowing; without them (pScratch = 0)
 * this is plain FIND, after which positions before the result hold exactly its predecessors.
 */
export function wselect(pKey: usize, pWt: usize, pId: usize, m: i32, target: f64, total: f64 = 0,
  pScratch: usize = 0): i32 {
  rng = SEED;
  const sKey = pScratch, sWt = pScratch + (<usize>SAMPLE_MAX << 3), sId = pScratch + (<usize>SAMPLE_MAX << 4);
  let lo = 0, hi = m;
  let acc = 0.0;   // weight of the elements known to precede the range [lo, hi)
  let wr = total;  // weight of the range
  while (pScratch != 0 && hi - lo > SMALL && target > acc && wr > 0) {
    const len = hi - lo;
    let s = len >> 3;
    if (s > SAMPLE_MAX) s = SAMPLE_MAX;
    let sw = 0.0;
    for (let a = 0; a < s; a++) {
      const i = lo + <i32>(next() % <u32>len);
      const w = load<f64>(pWt + (<usize>i << 3));
      store<f64>(sKey + (<usize>a << 3), load<f64>(pKey + (<usize>i << 3)));
      store<f64>(sWt + (<usize>a << 3), w);
      store<i32>(sId + (<usize>a << 2), load<i32>(pId + (<usize>i << 2)));
      sw += w;
    }
    const f = (target - acc) / wr, d = BAND / Math.sqrt(<f64>s);
    // band [P1, P2] at sample fractions f -+ d; an absent bound never classifies an element
    let k1 = -Infinity, i1 = -1, k2 = Infinity, i2 = i32.MAX_VALUE;
    if (f - d > 0) {
      const a = find(sKey, sWt, sId, 0, s, 0, (f - d) * sw);
      k1 = load<f64>(sKey + (<usize>a << 3)); i1 = load<i32>(sId + (<usize>a << 2));
    }
    if (f + d < 1) {
      const a = find(sKey, sWt, sId, 0, s, 0, (f + d) * sw);
      k2 = load<f64>(sKey + (<usize>a << 3)); i2 = load<i32>(sId + (<usize>a << 2));
    }
    // one pass: weight below the band; band elements gathered at [lo, b). Branch-free except for the
    // (rare) band members: left/right membership is close to a coin flip for a branch predictor.
    let wl = 0.0, wb = 0.0;
    let b = lo;
    for (let i = lo; i < hi; i++) {
      const k = load<f64>(pKey + (<usize>i << 3)), id = load<i32>(pId + (<usize>i << 2));
      const w = load<f64>(pWt + (<usize>i << 3));
      const left = <i32>(k < k1) | (<i32>(k == k1) & <i32>(id < i1));
      const right = <i32>(k2 < k) | (<i32>(k2 == k) & <i32>(i2 < id));
      wl += reinterpret<f64>(select<i64>(reinterpret<i64>(w), 0, left != 0)); // w or +0: an integer select (V8 branches on a select of f64 values)
      if ((left | right) == 0) {
        wb += w;
        if (i != b) swap3(pKey, pWt, pId, i, b);
        b++;
      }
    }
    if (!(acc + wl < target && acc + wl + wb >= target && b - lo < len)) break; // rare: FIND the range
    acc += wl;
    hi = b;
    wr = wb;
  }
  return find(pKey, pWt, pId, lo, hi, acc, target);
}

/**
 * Thinning for a selection whose elements arrive in batches (the L1 line search, assembly/l1-simplex.ts
 * dropBeyond): the m >= 1 triples weigh `total` >= target. Their target element (the one wselect finds)
 * has key T; the target element of any superset of them comes at or before it in (key, id) order (its
 * cumulative weight there is at least theirs), so no element with a key above T can be that element or
 * precede it. Keeps the elements with key <= T (ties at T included) in [0, c), drops the others, and
 * returns c >= 1; T is the largest key kept. Exact up to the order in which weights are summed.
 */
export function wthin(pKey: usize, pWt: usize, pId: usize, m: i32, target: f64, total: f64, pScratch: usize): i32 {
  const t = load<f64>(pKey + (<usize>wselect(pKey, pWt, pId, m, target, total, pScratch) << 3));
  let c = 0;
  for (let a = 0; a < m; a++) { // in place (c <= a); kept by advancing c, branch-free
    const k = load<f64>(pKey + (<usize>a << 3));
    store<f64>(pKey + (<usize>c << 3), k);
    store<f64>(pWt + (<usize>c << 3), load<f64>(pWt + (<usize>a << 3)));
    store<i32>(pId + (<usize>c << 2), load<i32>(pId + (<usize>a << 2)));
    c += <i32>(k <= t);
  }
  return c;
}

/** Position of the first of the m >= 1 elements in (key, id) order (no reordering). */
export function argmin(pKey: usize, pId: usize, m: i32): i32 {
  let best = 0;
  let kb = load<f64>(pKey), ib = load<i32>(pId);
  for (let i = 1; i < m; i++) {
    const k = load<f64>(pKey + (<usize>i << 3)), id = load<i32>(pId + (<usize>i << 2));
    if (before(k, id, kb, ib)) { best = i; kb = k; ib = id; }
  }
  return best;
}
