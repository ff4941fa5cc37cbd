// The public init() (the only one; src/backend/runtime.ts's initRuntime() is internal): compile the
// WebAssembly module, then warm the kernels — by default in the BACKGROUND, in the first worker of
// fitAsync's pool (prewarmWorker), so that init() itself costs only the compile. The optimized code V8
// produces there belongs to the compiled module and serves this thread's fits as well. With
// warmup: 'wait' the warm-up runs here before init() resolves (kernels on a scratch instance, then the
// host code: src/fit/startup.ts), as init() did before; where no worker can be started, the same.
//
// A large fit that starts on this thread before the background warm-up has landed would run baseline
// code to its end (V8 has no on-stack replacement for WebAssembly): 1.3–1.4× its warm CPU time at
// 1e6 rows (L2, L1, Huber; README "Cold start"). So until the warm-up lands, the kernel entry points of this thread's instance are
// wrapped (holdLargeCalls): the first call on at least HOLD_MIN_VALUES values blocks (Atomics.wait, no
// CPU) until the warm-up lands, for at most what running cold would cost (HOLD_MS_PER_VALUE × values,
// measured per family). Then the wrappers are removed. Where this thread may not block (a browser's
// main thread) or there is no SharedArrayBuffer, nothing waits.
import { acquire, initRuntime, type InitOptions, type InitResult } from '../backend/runtime.js';
import { hostWarmup } from '../fit/startup.js';
import { backgroundWarmup, prewarmWorker, waitForBackgroundWarmup } from './fit-async.js';

/**
 * Cold penalty per value (n × p) of the kernels' first call, ms: (first − warm) / values, measured in
 * fresh processes with init({ warmup: false }) on this project's 2-vCPU machine (bench/cold.mjs, CPU
 * time, 2026-12-07): L2 1e6 × 20 0.37 × its 180 ms warm time, L1 1e6 × 10 0.38 × 485 ms, Huber
 * 1e6 × 10 0.33 × 270 ms.
 * The wait never exceeds this: if the warm-up does not land in time, the fit loses at most what the
 * wait hoped to save.
 */
const HOLD_MS_PER_VALUE: Record<string, [(a: number[]) => number, number]> = {
  l2_fit: [(a) => a[0] * a[1], 3.3e-6],
  l1_fit: [(a) => a[1] * a[2], 1.8e-5],
  irls_fit: [(a) => a[0] * a[1], 9e-6],
};
/** Calls on fewer values never wait (the most a cold call could then save is a few ms). */
const HOLD_MIN_VALUES = 1 << 19;

let held = false;

function holdLargeCalls(): void {
  if (held) return;
  held = true;
  let k: Record<string, unknown>;
  try {
    k = acquire('wasm', 'init').backend.kernels as unknown as Record<string, unknown>;
  } catch {
    return;
  }
  const originals = new Map<string, unknown>();
  const release = () => {
    for (const [name, f] of originals) k[name] = f;
    originals.clear();
  };
  for (const [name, [values, msPerValue]] of Object.entries(HOLD_MS_PER_VALUE)) {
    const f = k[name] as (...a: number[]) => number;
    if (typeof f !== 'function') continue;
    originals.set(name, f);
    k[name] = (...a: number[]) => {
      const state = backgroundWarmup();
      if (state !== 'running') release();
      else {
        const v = values(a);
        if (v >= HOLD_MIN_VALUES) {
          waitForBackgroundWarmup(v * msPerValue);
          release(); // this call tiers the module up itself if the warm-up did not land in time
        }
      }
      return f(...a);
    };
  }
}

/**
 * Compile and instantiate the WebAssembly module once (asynchronously) and start the kernel warm-up
 * (unless `options.warmup` is false). Safe to call many times: later calls return the first call's
 * promise. Never rejects because WebAssembly is unavailable: `auto` then falls back to the TypeScript
 * twin and the result says why.
 */
export function init(options?: InitOptions): Promise<InitResult> {
  return initRuntime(options, {
    host: hostWarmup,
    background: (module, kernels) => {
      const started = prewarmWorker(module, kernels);
      // runs once initRuntime has installed this thread's instance (same synchronous turn)
      if (started) queueMicrotask(holdLargeCalls);
      return started;
    },
  });
}
