// l2_fit on one test backend with column-major X in the arena — the harness of the l2 route tests
// (l2-mixed-kernel, l2-offset-kernel).
import { INFO_LEN } from '../../src/abi/info.js';
import { l2Solve } from '../../src/twin/l2.js';
import type { TestBackend } from './backends.js';

export interface L2Fit {
  status: number;
  coef: Float64Array;
  info: Float64Array;
}

/** l2_fit on column-major data (gram: 0 auto, 1 the f64 route); exact: the twin's l2Solve without the
 *  plain refinement (double-double: the exact least-squares solution rounded), js backend only. */
export function fitL2Cols(tb: TestBackend, X: Float64Array, y: Float64Array, p: number,
  o: { w?: Float64Array; intercept?: boolean; ridge?: number; gram?: number; exact?: boolean } = {}): L2Fit {
  const n = y.length;
  const k = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const [pX, pY, pW, pC, pI, pF, pWk] = tb.arena.allocMany(
      [8 * n * p, 8 * n, 8 * n, 8 * (p + 1), 8 * INFO_LEN, 4 * p, k.l2_work_bytes(n, p)]);
    const f = tb.backend.f64();
    f.set(X, pX >>> 3);
    f.set(y, pY >>> 3);
    if (o.w) f.set(o.w, pW >>> 3);
    const args = [n, p, pX, pY, o.w ? pW : 0, o.intercept === false ? 0 : 1, o.ridge ?? 0, pC, pI, pF, pWk] as const;
    const status = o.exact ? l2Solve(...args, 0, 0) : k.l2_fit(...args, 0, o.gram ?? 0);
    const g = tb.backend.f64();
    return { status, coef: g.slice(pC >>> 3, (pC >>> 3) + p + 1), info: g.slice(pI >>> 3, (pI >>> 3) + INFO_LEN) };
  } finally {
    tb.arena.release(mark);
  }
}
