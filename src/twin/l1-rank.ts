// The least-squares rank check of l1_fit off the critical path of a globbing fit — twin of
// assembly/l1-rank.ts (the design is documented there). The twin has no pool: the full check runs whole
// where the kernel finishes it (rankFinish), with the same route (l2Solve inner mode, plainOk: the
// fused Gram pass where it applies) — the kernel's ranges of that Gram pass reduce to the same bits.
import { STATUS_CANCELLED, STATUS_NUMERICAL, STATUS_RANK_DEFICIENT } from '../abi/status.js';
import { INFO_LEN } from '../abi/info.js';
import { l2Solve } from './l2.js';
import { XS, setX } from './xload.js';
import { F64, I32 } from './mem.js';
import { ic, q, rB, mF } from './l1-state.js';

const RK_NONE = 0;
const RK_WAIT = 1;
const RK_SAMPLE = 2;

let rkState = RK_NONE;
let rkResult = -1;
let rkN = 0, rkP = 0, rkIc = 0, rkXS = 3;
let rkX = 0, rkY = 0, rkW = 0, rkWork = 0; // byte pointers
let rkCoef = 0, rkInfo = 0, rkFlags = 0;

/** l1_fit's entry: no deferred check in this call. */
export function rankOff(): void { rkState = RK_NONE; rkResult = -1; }

/** l1_fit's entry on the globbing path without a start (byte pointers; see assembly/l1-rank.ts). */
export function rankDefer(n: number, p: number, x: number, y: number, w: number, intercept: number, xs: number,
  pWork: number, pCoef: number, pInfo: number, pFlags: number): void {
  rkState = RK_WAIT; rkResult = -1;
  rkN = n; rkP = p; rkX = x; rkY = y; rkW = w; rkIc = intercept; rkXS = xs; rkWork = pWork;
  rkCoef = pCoef; rkInfo = pInfo; rkFlags = pFlags;
}

export function rankDeferred(): boolean { return rkState === RK_WAIT; }

/** Runs f with X's element shift xs (restored after). */
function withXS<T>(xs: number, f: () => T): T {
  const old = XS;
  setX(xs === 2 ? 1 : 0);
  try {
    return f();
  } finally {
    setX(old === 2 ? 1 : 0);
  }
}

function checkNow(start: boolean): number {
  const st = withXS(rkXS, () => l2Solve(rkN, rkP, rkX, rkY, rkW, rkIc, 0, rkCoef, rkInfo, rkFlags, rkWork, 1));
  rkState = RK_NONE;
  if (st === STATUS_RANK_DEFICIENT || st === STATUS_NUMERICAL) { rkResult = st; return st; }
  if (start) takeStart();
  clearOutputs();
  return -1;
}

function takeStart(): void {
  const F = mF, off = 1 - ic, c = rkCoef >>> 3;
  for (let j = 0; j < q; j++) F[rB + j] = F[c + j + off];
}

function clearOutputs(): void {
  const F = F64, I = I32, info = rkInfo >>> 3, flags = rkFlags >>> 2;
  for (let k = 0; k < INFO_LEN; k++) F[info + k] = 0.0;
  for (let k = 0; k < rkP; k++) I[flags + k] = 0;
}

/** globSolve's smallest level: the start from the least-squares fit of its m rows (byte pointers gX, gY,
 *  gW or 0); see assembly/l1-rank.ts. */
export function rankSampleStart(m: number, gX: number, gY: number, gW: number): number {
  const st = withXS(3, () => l2Solve(m, rkP, gX, gY, gW, rkIc, 0, rkCoef, rkInfo, rkFlags, rkWork, 1));
  if (st === STATUS_RANK_DEFICIENT || st === STATUS_NUMERICAL) return checkNow(true);
  rkState = RK_SAMPLE;
  takeStart();
  clearOutputs();
  return -1;
}

/** Before finalStage: the full check, whole (the kernel's ranges and their reduction give these bits). */
export function rankFinish(): number {
  if (rkState === RK_WAIT) return checkNow(false);
  if (rkState !== RK_SAMPLE) return rkResult;
  const st = withXS(rkXS, () => l2Solve(rkN, rkP, rkX, rkY, rkW, rkIc, 0, rkCoef, rkInfo, rkFlags, rkWork, 1, 1));
  rkState = RK_NONE;
  if (st === STATUS_RANK_DEFICIENT || st === STATUS_NUMERICAL) { rkResult = st; return st; }
  clearOutputs();
  return -1;
}

/** l1_fit after the globbing solve returned `status` (see assembly/l1-rank.ts rankSettle). */
export function rankSettle(status: number): number {
  if (rkState === RK_WAIT) return checkNow(status < 0);
  if (rkState === RK_SAMPLE) {
    if (status === STATUS_CANCELLED) { rkState = RK_NONE; return -1; }
    return rankFinish();
  }
  return rkResult;
}
