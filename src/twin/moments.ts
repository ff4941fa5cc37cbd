// Sufficient statistics of one chunk of rows (weights, two-pass means, Householder factor of the
// centered co-moment matrix) — pure-TypeScript twin of assembly/moments.ts. Same functions, same
// loop order, same constants; the f64x2 lanes of the WebAssembly kernel are the same scalar
// expression per row here, so both backends agree bit for bit. The numerical design, the output
// layout and the overflow guard are documented in assembly/moments.ts.
import { STATUS_OK, STATUS_NUMERICAL } from '../abi/status.js';
import { F32, F64 } from './mem.js';
import { householderBlock, scaleFor, vExtent, weightedMean } from './l2.js';

const BLOCK = 512;

function evenUp(k: number): number {
  return (k + 1) & ~1;
}

function blockRows(n: number): number {
  return Math.min(BLOCK, evenUp(n));
}


export function moments_work_bytes(n: number, p: number): number {
  const L = blockRows(n);
  const q = p + 1;
  return 8 * (evenUp(p + 1) + q * L + L + 8); // + the kernel's householderBlock scratch (unused here)
}

export function moments(n: number, p: number, pX: number, pY: number, pW: number, pOut: number, pWork: number, xf32?: number): number {
  const F = F64;
  // X columns in their storage type (float32 read through a Float32Array view: exact); y is f64.
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const q = p + 1;
  const L = blockRows(n);
  const out = pOut >>> 3;
  const R = out;
  const oW = q * q;
  const oMean = oW + 1;
  const oMeanLo = oMean + q;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const yb = pY >>> 3;
  const wb = pW >>> 3;
  const fsc = pWork >>> 3;
  const blk = fsc + evenUp(q);
  const wbuf = blk + q * L;

  for (let k = 0; k < oMeanLo + q; k++) F[out + k] = 0;

  let W = n;
  if (pW !== 0) {
    W = 0;
    for (let i = 0; i < n; i++) W += F[wb + i];
  }
  if (W === 0) return STATUS_OK;
  F[out + oW] = W;

  // 1. Means and column scales.
  let g = 1.0;
  if (pW !== 0) {
    let wmax = 0;
    for (let i = 0; i < n; i++) {
      const w = F[wb + i];
      if (w > wmax) wmax = w;
    }
    g = scaleFor(Math.sqrt(wmax));
  }
  for (let j = 0; j < q; j++) {
    const col = j < p ? xb + j * n : yb;
    weightedMean(F, n, col, pW, wb, W, out + oMean + j, out + oMeanLo + j, blk, j < p ? XV : F);
    const m = F[out + oMean + j];
    const amax = vExtent(F[blk], F[blk + 1], m);
    F[fsc + j] = amax > 0 ? scaleFor(amax) : 1.0;
  }

  // 2. Householder QR block by block.
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = Math.min(L, n - i0);
    const lp = evenUp(len);
    fillRows(F, XV, n, p, xb, yb, pW, wb, i0, len, lp, out + oMean, fsc, g, blk, L, wbuf);
    householderBlock(F, blk, L, lp, q, q, R);
  }

  // 3. Undo the scaling, check finiteness.
  const ig = 1.0 / g;
  let finite = true;
  for (let j = 0; j < q; j++) {
    const s = 1.0 / F[fsc + j];
    for (let i = 0; i <= j; i++) {
      const v = (F[R + j * q + i] * s) * ig;
      F[R + j * q + i] = v;
      if (!(v - v === 0)) finite = false;
    }
    const m = F[out + oMean + j];
    if (!(m - m === 0)) finite = false;
  }
  return finite ? STATUS_OK : STATUS_NUMERICAL;
}

function fillRows(F: Float64Array, XV: Float64Array | Float32Array, n: number, p: number, xb: number, yb: number, pW: number, wb: number,
  i0: number, len: number, lp: number, mean: number, fsc: number, g: number, blk: number, L: number, wbuf: number): void {
  if (pW !== 0) {
    for (let i = 0; i < len; i++) F[wbuf + i] = Math.sqrt(F[wb + i0 + i]) * g;
  }
  for (let t = 0; t <= p; t++) {
    const src = t < p ? xb + t * n + i0 : yb + i0;
    const V = t < p ? XV : F;
    const m = F[mean + t];
    const f = F[fsc + t];
    const dst = blk + t * L;
    if (pW !== 0) {
      for (let i = 0; i < len; i++) F[dst + i] = ((V[src + i] - m) * F[wbuf + i]) * f;
    } else {
      for (let i = 0; i < len; i++) F[dst + i] = (V[src + i] - m) * f;
    }
    if (lp > len) F[dst + len] = 0;
  }
}
