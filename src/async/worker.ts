// The worker side of fitAsync(). Bundled by scripts/build-worker.mjs into one script string
// (src/async/worker.generated.ts) that runs unchanged as a Node worker_threads worker (eval) and as
// a browser Web Worker (blob URL) — so no bundler needs to know this file exists. The WASM module
// arrives compiled from the main thread, so the bundle carries no second copy of the binary.
import { fit } from '../fit/api.js';
import { Dataset } from '../data/dataset.js';
import { RobustRegError } from '../errors.js';
import { init } from '../backend/runtime.js';
import type { FitRequest, WorkerReply } from './protocol.js';

interface Port {
  post(msg: WorkerReply): void;
  onMessage(fn: (msg: FitRequest) => void): void;
}

function port(): Port {
  const g = globalThis as unknown as {
    process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
    postMessage?: (m: unknown) => void;
    addEventListener?: (t: string, fn: (e: { data: unknown }) => void) => void;
  };
  if (g.process?.versions?.node && g.process.getBuiltinModule) {
    const { parentPort } = g.process.getBuiltinModule('node:worker_threads') as { parentPort: { postMessage(m: unknown): void; on(t: string, fn: (m: unknown) => void): void } };
    return { post: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (m) => fn(m as FitRequest)) };
  }
  return {
    post: (m) => g.postMessage!(m),
    onMessage: (fn) => g.addEventListener!('message', (e) => fn(e.data as FitRequest)),
  };
}

const io = port();
let ready: Promise<unknown> | null = null;

io.onMessage(async (req) => {
  try {
    ready ??= init(req.module ? { wasm: req.module } : undefined);
    await ready;
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
