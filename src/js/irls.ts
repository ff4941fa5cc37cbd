// PLACEHOLDER (being replaced by the IRLS twin).
export function irls_work_bytes(n: number, p: number): number { return 0; }
export function irls_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, loss: number,
  param: number, scale: number, ridge: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number): number { return 4; }
