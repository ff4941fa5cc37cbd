// PLACEHOLDER (being replaced by the IRLS kernel).
export function irls_work_bytes(n: i32, p: i32): f64 { return 0; }
export function irls_fit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, loss: i32,
  param: f64, scale: f64, ridge: f64, maxIter: i32, tol: f64, pStart: usize,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize): i32 { return 4; }
