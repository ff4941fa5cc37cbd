// The host side of assembly/env.ts: one progress hook shared by both backends.
// A fit installs its callback for the duration of one synchronous kernel call.

export type KernelProgress = (kind: number, iteration: number, objective: number, gap: number) => boolean | void;

let current: KernelProgress | null = null;

/** Install `fn` for the duration of `body` (re-entrant safe: restores the previous hook). */
export function withProgress<T>(fn: KernelProgress | null, body: () => T): T {
  const prev = current;
  current = fn;
  try {
    return body();
  } finally {
    current = prev;
  }
}

/** Called by kernels (WASM import `env.progress`, or directly by the TS twin). Returns 1 to cancel. */
export function progress(kind: number, iteration: number, objective: number, gap: number): number {
  if (current === null) return 0;
  return current(kind, iteration, objective, gap) === true ? 1 : 0;
}
