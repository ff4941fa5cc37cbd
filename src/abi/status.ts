// Kernel status codes, mirrored from assembly/status.ts (test/kernels/backends.test.ts checks they agree).
export const STATUS_OK = 0;
export const STATUS_MAXITER = 1;
export const STATUS_RANK_DEFICIENT = 2;
export const STATUS_CANCELLED = 3;
export const STATUS_NUMERICAL = 4;
export const STATUS_STALLED = 5;
