// The worker side of fitAsync(). Bundled by scripts/build-worker.mjs into one script string
// (src/async/worker.generated.ts) that runs unchanged as a Node worker_threads worker (eval) and as
// a browser Web Worker (blob URL) — so no bundler needs to know this file exists. The WASM module
// arrives compiled from the main thread, so the bundle carries no second copy of the binary.
import { fit } from '../fit/api.js';
import { Dataset } from '../data/dataset.js';
import { RobustRegError } from '../errors.js';
import { initRuntime } from '../backend/runtime.js';
import { hostWarmup } from '../fit/startup.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

interface Port {
  post(msg: WorkerReply): void;
  onMessage(fn: (msg: WorkerRequest) => void): void;
}

function port(): Port {
  const g = globalThis as unknown as {
    process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
    postMessage?: (m: unknown) => void;
    addEventListener?: (t: string, fn: (e: { data: unknown }) => void) => void;
  };
  if (g.process?.versions?.node && g.process.getBuiltinModule) {
    const { parentPort } = g.process.getBuiltinModule('node:worker_threads') as { parentPort: { postMessage(m: unknown): void; on(t: string, fn: (m: unknown) => void): void } };
    return { post: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (m) => fn(m as WorkerRequest)) };
  }
  return {
    post: (m) => g.postMessage!(m),
    onMessage: (fn) => g.addEventListener!('message', (e) => fn(e.data as WorkerRequest)),
  };
}

const io = port();
let ready: Promise<unknown> | null = null;

io.onMessage(async (req) => {
  if (req.type === 'warm') {
    // init()'s background warm-up: this worker instantiates the module and runs the kernel table (its
    // optimized code is the module's, shared with the main thread), then waits for fitAsync requests.
    const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    ready ??= initRuntime({ wasm: req.module, ...(req.kernels ? { warmupKernels: req.kernels } : {}) }, { host: hostWarmup, kernels: true }).catch(() => null);
    await ready;
    io.post({ type: 'warmed', id: req.id, ms: (typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0 });
    return;
  }
  try {
    // The module arrives with this worker's first request (the worker is kept for later requests). A
    // request without one and not on 'js' means the main thread has no WebAssembly: init() then
    // settles on the TypeScript twin here too (this bundle carries no binary).
    // The host code is always warmed here (it is this thread's own); the kernels only when the main
    // thread's init() skipped them (their optimized code belongs to the module and is shared).
    if (req.module) ready ??= initRuntime({ wasm: req.module }, { host: hostWarmup, kernels: req.warm === true });
    else if (req.options.backend !== 'js') ready ??= initRuntime(undefined, { host: hostWarmup });
    if (ready) await ready;
    const onProgress = (p: { iteration: number; objective: number; gap: number }) => io.post({ type: 'progress', id: req.id, ...p });
    let result: Record<string, unknown>;
    if (req.precision === 'f32') {
      // the caller's Dataset stores X as float32: fit the same stored values with the same kernels
      const { weights, ...rest } = req.options;
      const backend = rest.backend as 'auto' | 'wasm' | 'js' | undefined;
      const ds = Dataset.from(req.X, req.y, { precision: 'f32', weights: weights as Float64Array | undefined, ...(backend ? { backend } : {}) });
      try {
        result = fit(ds, { ...rest, onProgress } as never) as unknown as Record<string, unknown>;
      } finally {
        ds.dispose();
      }
    } else {
      result = fit(req.X, req.y, { ...req.options, onProgress } as never) as unknown as Record<string, unknown>;
    }
    io.post({ type: 'result', id: req.id, result: { ...result } });
  } catch (e) {
    const err = e instanceof RobustRegError ? e : new RobustRegError('INTERNAL', `worker: ${(e as Error)?.message ?? String(e)}`);
    io.post({ type: 'error', id: req.id, code: err.code, message: err.message, details: err.details });
  }
});
