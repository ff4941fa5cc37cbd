// PLACEHOLDER (being replaced by the L1 twin).
export function l1_work_bytes(n: number, p: number): number { return 0; }
export function l1_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, tau: number,
  lambda: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number): number { return 4; }
