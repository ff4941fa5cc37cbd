// Exact collapsing of duplicated rows for the L1 / quantile kernel (issue 18). Mirrored statement for
// statement by src/twin/collapse.ts (integer hashing with 32-bit multiplies, so both backends build
// the same groups).
//
// Rows i and k are duplicates when (x_i, y_i) == (x_k, y_k) entry by entry (as values: -0 == 0).
// For the quantile objective sum_i w_i rho_tau(y_i - x_i'b), a group G of duplicates contributes
// (sum_{i in G} w_i) rho_tau(y_G - x_G'b): one row of weight W_G. So the collapsed problem has the same
// objective function of b, the same minimisers, and its dual maps back (d_i = d_G for i in G satisfies
// X'Wd = X_c'W_c d_c and has the same dual value): fitting it is exact, certificate included.
//
// collapse_groups: one column-wise pass computes a 64-bit hash of every row (two 32-bit lanes, so the
// twin needs no 64-bit integers), an open-addressing table assigns group ids in order of first
// appearance, comparing hashes only; then a second column-wise pass verifies every row entry by entry
// against its group's first row. A verification failure (a hash collision of different rows,
// probability ~ n^2 2^-64) returns -1 (no collapse), as does exceeding maxGroups, so the result never
// depends on the hash. Column-wise passes read X sequentially (column-major storage); the only random
// reads are into the table and into the first rows of the groups (few, when collapsing pays).
// collapse_build: the collapsed problem (m rows, first-appearance order): X_c (f64, column-major) and
// y_c copied from each group's first row, w_c = the weights summed in row order (1 when pW = 0).
import { XS, setX, setXS, xatx, ldx } from "./xload";
import { ldf, stf, ldi, sti } from "./mem";
import { PASS_COLLAPSE, parRun } from "./par";

// @ts-ignore: decorator
@inline function tableSize(maxGroups: i32): i32 {
  let t: i32 = 16;
  while (t < 2 * (maxGroups + 1)) t <<= 1;
  return t;
}

/** Work bytes for collapse_groups / collapse_build on n rows allowing maxGroups groups. */
export function collapse_work_bytes(n: i32, maxGroups: i32): i32 {
  // h1, h2, group (n i32 each), table, first row of each group, group hashes (2)
  return 4 * (3 * n + tableSize(maxGroups) + 3 * (maxGroups + 1));
}

// @ts-ignore: decorator
@inline function mix1(h: i32, v: i32): i32 {
  const a = (h ^ v) * <i32>0x85ebca6b;
  return a ^ <i32>(<u32>a >> 15);
}

// @ts-ignore: decorator
@inline function mix2(h: i32, v: i32): i32 {
  const a = (h ^ v) * <i32>0xc2b2ae35;
  return a ^ <i32>(<u32>a >> 13);
}

/** Hash one column (values at pc: f64 when shift = 3, f32 when 2) into the lanes h1, h2. */
function hashColumn(n: i32, pc: usize, shift: i32, pH1: usize, pH2: usize): void {
  for (let i = 0; i < n; i++) {
    let lo: i32 = 0, hi: i32 = 0;
    if (shift == 3) {
      const v = load<f64>(pc + (<usize>i << 3));
      if (v != 0) { lo = load<i32>(pc + (<usize>i << 3)); hi = load<i32>(pc + (<usize>i << 3), 4); }
    } else {
      const v = load<f32>(pc + (<usize>i << 2));
      if (v != 0) lo = load<i32>(pc + (<usize>i << 2));
    }
    let a = ldi(pH1, i), b = ldi(pH2, i);
    a = mix1(mix1(a, lo), hi);
    b = mix2(mix2(b, hi), lo);
    sti(pH1, i, a);
    sti(pH2, i, b);
  }
}

/** Rows in the pre-check sample (one per stratum of n / SAMPLE rows, at a pseudo-random offset). */
const SAMPLE: i32 = 8192;
/** The pre-check runs from this many rows on (below, the full pass is cheap). */
const SAMPLE_FROM: i32 = 4 * SAMPLE;

/** Sampled rows per item of the pre-check's hashing pass (PASS_COLLAPSE; any split gives the same
 *  hashes: each row's is computed alone). */
const SAMPLE_ITEM: i32 = 1024;

/**
 * Pre-check on a sample of SAMPLE rows (distinct indices: one per stratum, a fixed xorshift32 stream
 * picks the offset, so periodic data cannot alias): the number of sampled rows equal (by hash) to an
 * earlier sampled row. With D equally frequent distinct rows, about SAMPLE^2 / (2D) such duplicates
 * are expected, so D <= n / 2 (collapsing pays) shows as >= SAMPLE^2 / n of them; the full pass runs
 * from SAMPLE^2 / (4n) (at least 2) on. Rows without any duplicate never pass. Cost: SAMPLE * (p + 1)
 * scattered reads — in items of SAMPLE_ITEM sampled rows on the thread pool (the row indices listed
 * first at pI, the hashes into pH1/pH2 at the sample's position; then the table, in sample order,
 * on this thread: the count does not depend on the split). Arguments at pArgs (8 f64).
 */
function sampleDuplicates(n: i32, p: i32, pX: usize, pY: usize, pH1: usize, pH2: usize, pT: usize, pI: usize,
  pArgs: usize): i32 {
  const T = tableSize(SAMPLE);
  const mask = T - 1;
  const stride = n / SAMPLE;
  let rs: u32 = 0x9e3779b9;
  for (let k = 0; k < SAMPLE; k++) {
    rs ^= rs << 13; rs ^= rs >> 17; rs ^= rs << 5;
    sti(pI, k, k * stride + <i32>(rs % <u32>stride));
  }
  stf(pArgs, 0, <f64>n); stf(pArgs, 1, <f64>p); stf(pArgs, 2, <f64>pX); stf(pArgs, 3, <f64>pY);
  stf(pArgs, 4, <f64>pH1); stf(pArgs, 5, <f64>pH2); stf(pArgs, 6, <f64>pI); stf(pArgs, 7, <f64>XS);
  const items = SAMPLE / SAMPLE_ITEM;
  if (!parRun(PASS_COLLAPSE, pArgs, items)) for (let c = 0; c < items; c++) collapseItem(pArgs, c, 0);
  for (let t = 0; t < T; t++) sti(pT, t, 0);
  let dups: i32 = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const a = ldi(pH1, k), b = ldi(pH2, k);
    let s = (a ^ <i32>(<u32>b >> 7)) & mask;
    while (true) {
      const e = ldi(pT, s);
      if (e == 0) { sti(pT, s, k + 1); break; }
      if (ldi(pH1, e - 1) == a && ldi(pH2, e - 1) == b) { dups++; break; }
      s = (s + 1) & mask;
    }
  }
  return dups;
}

/** Item c of the pre-check's hashing pass (PASS_COLLAPSE): the hashes of sampled rows
 *  c SAMPLE_ITEM .. (c + 1) SAMPLE_ITEM - 1 (arguments: see sampleDuplicates). */
export function collapseItem(pArgs: usize, c: i32, slot: i32): void {
  const n = <i32>ldf(pArgs, 0), p = <i32>ldf(pArgs, 1);
  const pX = <usize>ldf(pArgs, 2), pY = <usize>ldf(pArgs, 3), pH1 = <usize>ldf(pArgs, 4), pH2 = <usize>ldf(pArgs, 5);
  const pI = <usize>ldf(pArgs, 6);
  setXS(<i32>ldf(pArgs, 7));
  for (let k = c * SAMPLE_ITEM; k < (c + 1) * SAMPLE_ITEM; k++) {
    const i = ldi(pI, k);
    let a: i32 = <i32>0x9e3779b9, b: i32 = 0x7f4a7c15;
    for (let j = 0; j <= p; j++) {
      let lo: i32 = 0, hi: i32 = 0;
      if (j == p) {
        const q = pY + (<usize>i << 3);
        if (load<f64>(q) != 0) { lo = load<i32>(q); hi = load<i32>(q, 4); }
      } else if (XS == 3) {
        const q = xatx(pX, n, j, i);
        if (load<f64>(q) != 0) { lo = load<i32>(q); hi = load<i32>(q, 4); }
      } else {
        const q = xatx(pX, n, j, i);
        if (load<f32>(q) != 0) lo = load<i32>(q);
      }
      a = mix1(mix1(a, lo), hi);
      b = mix2(mix2(b, hi), lo);
    }
    sti(pH1, k, a);
    sti(pH2, k, b);
  }
}

/**
 * Group the rows of (X, y): returns the number of groups m (group ids in the work region), or -1
 * when there are more than maxGroups groups or a hash collision was found. xf32 = 1: X is float32.
 */
export function collapse_groups(n: i32, p: i32, pX: usize, pY: usize, maxGroups: i32, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const pH1 = pWork, pH2 = pH1 + (<usize>n << 2), pG = pH2 + (<usize>n << 2);
  const T = tableSize(maxGroups);
  const pT = pG + (<usize>n << 2), pFirst = pT + (<usize>T << 2);
  const pGH1 = pFirst + (<usize>(maxGroups + 1) << 2), pGH2 = pGH1 + (<usize>(maxGroups + 1) << 2);
  if (n >= SAMPLE_FROM && maxGroups >= SAMPLE) {
    const need = max<i32>(2, <i32>(<f64>SAMPLE * <f64>SAMPLE / (4.0 * <f64>n)));
    // the sample's row indices and the pass arguments in the group-id region (unused until later)
    if (sampleDuplicates(n, p, pX, pY, pH1, pH2, pT, pG, pG + (<usize>SAMPLE << 2)) < need) return -1;
  }
  for (let i = 0; i < n; i++) { sti(pH1, i, <i32>0x9e3779b9); sti(pH2, i, <i32>0x7f4a7c15); }
  for (let j = 0; j < p; j++) hashColumn(n, xatx(pX, n, j, 0), XS, pH1, pH2);
  hashColumn(n, pY, 3, pH1, pH2);
  for (let t = 0; t < T; t++) sti(pT, t, 0);
  const mask = T - 1;
  let m: i32 = 0;
  for (let i = 0; i < n; i++) {
    const a = ldi(pH1, i), b = ldi(pH2, i);
    let s = (a ^ <i32>(<u32>b >> 7)) & mask;
    let g: i32 = -1;
    while (true) {
      const e = ldi(pT, s);
      if (e == 0) break;
      if (ldi(pGH1, e - 1) == a && ldi(pGH2, e - 1) == b) { g = e - 1; break; }
      s = (s + 1) & mask;
    }
    if (g < 0) {
      if (m == maxGroups) return -1;
      g = m++;
      sti(pT, s, g + 1);
      sti(pGH1, g, a);
      sti(pGH2, g, b);
      sti(pFirst, g, i);
    }
    sti(pG, i, g);
  }
  // verify: every row equals its group's first row, entry by entry
  for (let j = 0; j < p; j++) {
    const pc = xatx(pX, n, j, 0);
    for (let i = 0; i < n; i++) {
      if (ldx(pc, i) != ldx(pc, ldi(pFirst, ldi(pG, i)))) return -1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (ldf(pY, i) != ldf(pY, ldi(pFirst, ldi(pG, i)))) return -1;
  }
  return m;
}

/** Write the collapsed problem of the m groups found by collapse_groups (same n, p, maxGroups, pWork). */
export function collapse_build(n: i32, p: i32, pX: usize, pY: usize, pW: usize, maxGroups: i32, m: i32,
  pXc: usize, pYc: usize, pWc: usize, pWork: usize, xf32: i32): void {
  setX(xf32);
  const pG = pWork + (<usize>(2 * n) << 2);
  const T = tableSize(maxGroups);
  const pFirst = pG + (<usize>n << 2) + (<usize>T << 2);
  for (let j = 0; j < p; j++) {
    const pc = xatx(pX, n, j, 0);
    const po = pXc + (<usize>j * <usize>m << 3);
    for (let g = 0; g < m; g++) stf(po, g, ldx(pc, ldi(pFirst, g)));
  }
  for (let g = 0; g < m; g++) { stf(pYc, g, ldf(pY, ldi(pFirst, g))); stf(pWc, g, 0); }
  for (let i = 0; i < n; i++) {
    const g = ldi(pG, i);
    stf(pWc, g, ldf(pWc, g) + (pW == 0 ? 1.0 : ldf(pW, i)));
  }
}
