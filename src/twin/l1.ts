// Exact weighted L1 / quantile regression — pure-TypeScript twin of assembly/l1.ts. Same functions,
// same loop order, same pivot rules, same tolerances: both backends take the same path and agree
// bit for bit (test/kernels/l1-kernel.test.ts; test/kernels/l1-glob.test.ts for the globbing path). The algorithm,
// its provenance (Wu & Lange 2008; Barrodale & Roberts 1973/74; Koenker & d'Orey 1987; Bland 1977;
// Portnoy & Koenker 1997) and the tolerance rationale are documented in assembly/l1.ts; comments here
// only mark the correspondence. Where assembly/l1.ts uses f64x2, the twin's scalar loop performs the
// same IEEE operations per row.
//
// Addresses are byte offsets into the twin's linear memory (src/twin/mem.ts); f64 regions are kept as
// Float64Array index bases (byte offset >>> 3), i32 regions as Int32Array index bases (>>> 2).
// Files as in assembly/: l1-state.ts, l1-lu.ts, l1-simplex.ts, l1-certificate.ts, l1-glob.ts, and
// this file (the entry points).
import {
  INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS, INFO_RANK, INFO_PRIMAL, INFO_DUAL, INFO_GAP,
  INFO_NONUNIQUE, INFO_DUAL_INFEAS, INFO_EDGE_STEPS, INFO_GLOB_ROUNDS, INFO_GLOB_FIXUPS,
} from '../abi/info.js';
import { STATUS_OK, STATUS_NUMERICAL, STATUS_RANK_DEFICIENT } from '../abi/status.js';
import { l2Solve, l2_work_bytes } from './l2.js';
import { XS, setX, xview } from './xload.js';
import { SELECT_SCRATCH_BYTES } from './select.js';
import {
  CD_MAX_SWEEPS, FEAS_TOL, FLOOR_CAP, REFINE_STEPS, REFINE_TOL,
  mF, mI, q, ic, rB, rBest, rH, rBeta, iPick, regionBytes, rsCapRows, layout, bindViews, setProblem, setShape, useResponses,
} from './l1-state.js';
import { plainSolve, resetRun, sweeps, pivots, haveDual, nonunique, dualAlpha, freshResiduals } from './l1-simplex.js';
import { certify, certifyDual, gapFloor, refineDuals } from './l1-certificate.js';
import { rankDefer, rankOff, rankSettle } from './l1-rank.js';
import {
  globMin, globMinWarm, globBytes, globBegin, globSolve, useFull, globRounds, globFixups, globStartResiduals,
} from './l1-glob.js';

export { l1_glob } from './l1-glob.js';

let forceRecompute = 0;

/** Internal (tests): see assembly/l1.ts l1_fresh. */
export function l1_fresh(on: number): number {
  const old = forceRecompute === 0 ? 1 : 0;
  forceRecompute = on === 0 ? 1 : 0;
  return old;
}

/** Work-region bytes for l1_fit (see assembly/l1.ts). */
export function l1_work_bytes(n: number, p: number): number {
  const own = ownBytes(n, p);
  const l2 = l2_work_bytes(n, p);
  if (n >= globMin) return own + 16 + l2; // the rank check's own region (l1-rank.ts)
  return own > l2 ? own : l2;
}

function ownBytes(n: number, p: number): number {
  const qq = p + 1;
  let own = 6 * regionBytes(8 * n) + 2 * regionBytes(4 * n) + 9 * regionBytes(8 * qq) +
    3 * regionBytes(4 * qq) + 2 * regionBytes(8 * qq * qq) + SELECT_SCRATCH_BYTES;
  own += 16 + regionBytes(8 * rsCapRows(n, p) * p);
  own += globBytes(n, p);
  return own;
}

/** Exact weighted L1 / quantile regression (see assembly/l1.ts and src/abi/kernels.ts). */
export function l1_fit(nIn: number, nData: number, p: number, x: number, y: number, w: number, intercept: number,
  tauIn: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0, fullRank = 0, pStartR = 0): number {
  setX(xf32);
  const userStart = pStart !== 0;
  const check = nData === nIn && !(fullRank !== 0 && userStart);
  const defer = check && !userStart && nIn >= globMin; // the check alongside the solve (l1-rank.ts)
  if (check && !defer) {
    // Rank check and unrefined least-squares warm start inside the same kernel call (see assembly/l1.ts).
    const st = l2Solve(nIn, p, x, y, w, intercept, 0, pCoef, pInfo, pFlags, pWork, 1);
    if (st === STATUS_RANK_DEFICIENT || st === STATUS_NUMERICAL) return st;
    if (pStart === 0) pStart = pCoef;
  }
  const xv = xview();
  bindViews(xv);
  const F = mF, I = mI;
  setShape(p, intercept, tauIn);
  setProblem(nIn, nData, x >>> XS, y >>> 3, w >>> 3, xv);
  const glob = nIn >= globMin || (userStart && nIn >= globMinWarm);
  globBegin(nIn, nData, p, x >>> XS, y >>> 3, w >>> 3, xv, pWork, layout(pWork), glob);
  globStartResiduals(userStart && nIn === nData ? pStartR : 0);
  if (defer) rankDefer(nIn, p, x, y, w, intercept, XS, (pWork + ownBytes(nIn, p) + 15) & ~15, pCoef, pInfo, pFlags);
  else rankOff();
  const info = pInfo >>> 3, coef = pCoef >>> 3, flags = pFlags >>> 2, start = pStart >>> 3;
  for (let k = 0; k < INFO_LEN; k++) F[info + k] = 0.0;
  for (let k = 0; k < p; k++) I[flags + k] = 0;
  const off = 1 - ic;
  for (let j = 0; j < q; j++) {
    F[rB + j] = pStart !== 0 ? F[start + j + off] : 0.0;
    F[rBeta + j] = 0.0;
    I[iPick + j] = -1;
  }
  resetRun(maxIter);

  let status = -1;
  if (glob) {
    status = globSolve(userStart);
    useFull();
  }
  const rank = rankSettle(status);
  if (rank >= 0) return rank;
  if (status < 0) status = plainSolve(maxIter < CD_MAX_SWEEPS ? maxIter : CD_MAX_SWEEPS);

  // ---- result: certify writes INFO_PRIMAL, INFO_DUAL, INFO_DUAL_INFEAS, INFO_RANK ----
  const ok = status === STATUS_OK;
  useResponses(y >>> 3);
  if (!ok) for (let j = 0; j < q; j++) F[rB + j] = F[rBest + j];
  const fresh = freshResiduals() && ok && forceRecompute === 0;
  certify(haveDual, ok ? 1.0 : dualAlpha, info, fresh);
  for (let k = 0; k < REFINE_STEPS && ok && F[info + INFO_DUAL_INFEAS] > REFINE_TOL; k++) {
    refineDuals();
    certifyDual(true, 1.0, info);
  }
  if (ok) {
    const primal = F[info + INFO_PRIMAL];
    const fs = Math.max(1.0, Math.abs(primal));
    const floor = Math.min(gapFloor(), FLOOR_CAP * fs);
    if (!(F[info + INFO_DUAL_INFEAS] <= FEAS_TOL && primal - F[info + INFO_DUAL] <= tol * fs + floor)) {
      status = STATUS_NUMERICAL;
      const dVertex = F[info + INFO_DUAL], zVertex = F[info + INFO_RANK], iVertex = F[info + INFO_DUAL_INFEAS];
      for (let j = 0; j < q; j++) { F[rH + j] = F[rB + j]; F[rB + j] = F[rBest + j]; }
      certify(true, 1.0, info);
      if (!(F[info + INFO_PRIMAL] < primal)) {
        for (let j = 0; j < q; j++) F[rB + j] = F[rH + j];
        F[info + INFO_PRIMAL] = primal; F[info + INFO_DUAL] = dVertex;
        F[info + INFO_RANK] = zVertex; F[info + INFO_DUAL_INFEAS] = iVertex;
      }
    }
  }
  const primal = F[info + INFO_PRIMAL];
  if (ic) F[coef] = F[rB]; else F[coef] = 0.0;
  for (let j = ic; j < q; j++) F[coef + j + off] = F[rB + j];
  F[info + INFO_OBJECTIVE] = primal;
  F[info + INFO_GAP] = primal - F[info + INFO_DUAL];
  F[info + INFO_ITERATIONS] = sweeps;
  F[info + INFO_EDGE_STEPS] = pivots;
  F[info + INFO_NONUNIQUE] = ok ? nonunique : 0.0;
  F[info + INFO_GLOB_ROUNDS] = globRounds;
  F[info + INFO_GLOB_FIXUPS] = globFixups;
  return status;
}
