// PLACEHOLDER (being replaced by the L2 kernel).
export function l2_work_bytes(n: i32, p: i32): f64 { return 0; }
export function l2_fit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, ridge: f64,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize): i32 { return 4; }
