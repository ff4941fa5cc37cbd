// Twin of assembly/collapse.ts (exact collapsing of duplicated rows for the L1 / quantile kernel):
// the same 32-bit hash lanes (Math.imul, >>> for the unsigned shifts), the same table, the same
// verification and summation order, so both backends find the same groups and build the same
// collapsed problem.
import { F32, F64, I32 } from './mem.js';
import { XS, setX } from './xload.js';

function tableSize(maxGroups: number): number {
  let t = 16;
  while (t < 2 * (maxGroups + 1)) t <<= 1;
  return t;
}

/** Work bytes for collapse_groups / collapse_build on n rows allowing maxGroups groups. */
export function collapse_work_bytes(n: number, maxGroups: number): number {
  return 4 * (3 * n + tableSize(maxGroups) + 3 * (maxGroups + 1));
}

function mix1(h: number, v: number): number {
  const a = Math.imul(h ^ v, 0x85ebca6b);
  return a ^ (a >>> 15);
}

function mix2(h: number, v: number): number {
  const a = Math.imul(h ^ v, 0xc2b2ae35);
  return a ^ (a >>> 13);
}

function hashColumn(n: number, pc: number, shift: number, h1: number, h2: number): void {
  const f64 = F64, f32 = F32, i32 = I32;
  for (let i = 0; i < n; i++) {
    let lo = 0, hi = 0;
    if (shift === 3) {
      const v = f64[(pc >>> 3) + i];
      if (v !== 0) { lo = i32[(pc >>> 2) + 2 * i]; hi = i32[(pc >>> 2) + 2 * i + 1]; }
    } else {
      const v = f32[(pc >>> 2) + i];
      if (v !== 0) lo = i32[(pc >>> 2) + i];
    }
    let a = i32[h1 + i], b = i32[h2 + i];
    a = mix1(mix1(a, lo), hi);
    b = mix2(mix2(b, hi), lo);
    i32[h1 + i] = a;
    i32[h2 + i] = b;
  }
}

const SAMPLE = 8192;
const SAMPLE_FROM = 4 * SAMPLE;

/** Sampled rows per item of the kernel's hashing pass (PASS_COLLAPSE); the twin hashes them in order. */
export const SAMPLE_ITEM = 1024;

/** Twin of the kernel's pre-check (assembly/collapse.ts): the sampled rows' indices, their hashes
 *  (the kernel's items of its PASS_COLLAPSE pass, here in order), then the table in sample order. */
function sampleDuplicates(n: number, p: number, pX: number, pY: number, h1: number, h2: number, tI: number, iI: number): number {
  const f64 = F64, f32 = F32, i32 = I32;
  const T = tableSize(SAMPLE);
  const mask = T - 1;
  const stride = Math.floor(n / SAMPLE);
  let rs = 0x9e3779b9;
  for (let k = 0; k < SAMPLE; k++) {
    rs = (rs ^ (rs << 13)) >>> 0; rs = (rs ^ (rs >>> 17)) >>> 0; rs = (rs ^ (rs << 5)) >>> 0;
    i32[iI + k] = k * stride + (rs % stride);
  }
  for (let k = 0; k < SAMPLE; k++) {
    const i = i32[iI + k];
    let a = 0x9e3779b9 | 0, b = 0x7f4a7c15;
    for (let j = 0; j <= p; j++) {
      let lo = 0, hi = 0;
      if (j === p) {
        const q = pY + 8 * i;
        if (f64[q >>> 3] !== 0) { lo = i32[q >>> 2]; hi = i32[(q >>> 2) + 1]; }
      } else if (XS === 3) {
        const q = pX + 8 * (j * n + i);
        if (f64[q >>> 3] !== 0) { lo = i32[q >>> 2]; hi = i32[(q >>> 2) + 1]; }
      } else {
        const q = pX + 4 * (j * n + i);
        if (f32[q >>> 2] !== 0) lo = i32[q >>> 2];
      }
      a = mix1(mix1(a, lo), hi);
      b = mix2(mix2(b, hi), lo);
    }
    i32[h1 + k] = a;
    i32[h2 + k] = b;
  }
  i32.fill(0, tI, tI + T);
  let dups = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const a = i32[h1 + k], b = i32[h2 + k];
    let s = (a ^ (b >>> 7)) & mask;
    for (;;) {
      const e = i32[tI + s];
      if (e === 0) { i32[tI + s] = k + 1; break; }
      if (i32[h1 + e - 1] === a && i32[h2 + e - 1] === b) { dups++; break; }
      s = (s + 1) & mask;
    }
  }
  return dups;
}

export function collapse_groups(n: number, p: number, pX: number, pY: number, maxGroups: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  const f64 = F64, i32 = I32, xv = XS === 3 ? F64 : F32;
  const h1 = pWork >>> 2, h2 = h1 + n, gI = h2 + n;
  const T = tableSize(maxGroups);
  const tI = gI + n, first = tI + T;
  const gh1 = first + maxGroups + 1, gh2 = gh1 + maxGroups + 1;
  if (n >= SAMPLE_FROM && maxGroups >= SAMPLE) {
    const need = Math.max(2, Math.trunc((SAMPLE * SAMPLE) / (4 * n)));
    if (sampleDuplicates(n, p, pX, pY, h1, h2, tI, gI) < need) return -1; // sample indices in the group-id region
  }
  for (let i = 0; i < n; i++) { i32[h1 + i] = 0x9e3779b9 | 0; i32[h2 + i] = 0x7f4a7c15; }
  for (let j = 0; j < p; j++) hashColumn(n, pX + j * n * (1 << XS), XS, h1, h2);
  hashColumn(n, pY, 3, h1, h2);
  i32.fill(0, tI, tI + T);
  const mask = T - 1;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = i32[h1 + i], b = i32[h2 + i];
    let s = (a ^ (b >>> 7)) & mask;
    let g = -1;
    for (;;) {
      const e = i32[tI + s];
      if (e === 0) break;
      if (i32[gh1 + e - 1] === a && i32[gh2 + e - 1] === b) { g = e - 1; break; }
      s = (s + 1) & mask;
    }
    if (g < 0) {
      if (m === maxGroups) return -1;
      g = m++;
      i32[tI + s] = g + 1;
      i32[gh1 + g] = a;
      i32[gh2 + g] = b;
      i32[first + g] = i;
    }
    i32[gI + i] = g;
  }
  const xb = pX >>> XS;
  for (let j = 0; j < p; j++) {
    const c = xb + j * n;
    for (let i = 0; i < n; i++) {
      if (xv[c + i] !== xv[c + i32[first + i32[gI + i]]]) return -1;
    }
  }
  const yb = pY >>> 3;
  for (let i = 0; i < n; i++) {
    if (f64[yb + i] !== f64[yb + i32[first + i32[gI + i]]]) return -1;
  }
  return m;
}

export function collapse_build(n: number, p: number, pX: number, pY: number, pW: number, maxGroups: number, m: number,
  pXc: number, pYc: number, pWc: number, pWork: number, xf32 = 0): void {
  setX(xf32);
  const f64 = F64, i32 = I32, xv = XS === 3 ? F64 : F32;
  const gI = (pWork >>> 2) + 2 * n;
  const first = gI + n + tableSize(maxGroups);
  const xb = pX >>> XS;
  for (let j = 0; j < p; j++) {
    const c = xb + j * n;
    const o = (pXc >>> 3) + j * m;
    for (let g = 0; g < m; g++) f64[o + g] = xv[c + i32[first + g]];
  }
  const yb = pY >>> 3, yc = pYc >>> 3, wc = pWc >>> 3, wb = pW >>> 3;
  for (let g = 0; g < m; g++) { f64[yc + g] = f64[yb + i32[first + g]]; f64[wc + g] = 0; }
  for (let i = 0; i < n; i++) {
    const g = i32[gI + i];
    f64[wc + g] = f64[wc + g] + (pW === 0 ? 1.0 : f64[wb + i]);
  }
}
