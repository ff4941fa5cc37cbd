// PLACEHOLDER (being replaced by the L1 kernel).
export function l1_work_bytes(n: i32, p: i32): f64 { return 0; }
export function l1_fit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, tau: f64,
  lambda: f64, maxIter: i32, tol: f64, pStart: usize,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize): i32 { return 4; }
