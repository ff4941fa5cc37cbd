// PLACEHOLDER (being replaced by the L2 twin).
export function l2_work_bytes(n: number, p: number): number { return 0; }
export function l2_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, ridge: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number): number { return 4; }
