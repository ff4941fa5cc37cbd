// fitAsync(): the same fit, run in a worker (Node worker_threads or a browser Web Worker) so the
// calling thread stays responsive. Progress arrives as messages; cancellation terminates the worker
// (prompt whatever the kernel is doing, and nothing shared is left half-updated: the worker's memory
// dies with it). Idle workers are kept for reuse (unref'd in Node so they never hold the process open).
import { fit, type FitOptions } from '../fit/api.js';
import { Dataset } from '../data/dataset.js';
import { RobustRegError, describe } from '../errors.js';
import { readXywHost, type XInput } from '../data/input.js';
import type { BackendChoice, Progress } from '../data/options.js';
import { makePredict, type FitResult } from '../fit/result.js';
import { acquire, compiledModule } from '../backend/runtime.js';
import type { FitRequest, WorkerReply } from './protocol.js';
import { WORKER_SOURCE } from './worker.generated.js';

interface AnyWorker {
  post(msg: FitRequest, transfer: Transferable[]): void;
  onMessage(fn: (m: WorkerReply) => void): void;
  onError(fn: (e: unknown) => void): void;
  terminate(): void;
  ref(): void;
  unref(): void;
}

type NodeWorkerCtor = new (src: string, opts: { eval: boolean }) => {
  postMessage(m: unknown, t?: unknown[]): void;
  on(t: string, fn: (m: unknown) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};

function spawn(): AnyWorker {
  const g = globalThis as unknown as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }; Worker?: typeof Worker };
  if (g.process?.versions?.node && typeof g.process.getBuiltinModule === 'function') {
    const { Worker: W } = g.process.getBuiltinModule('node:worker_threads') as { Worker: NodeWorkerCtor };
    const w = new W(WORKER_SOURCE, { eval: true });
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.on('message', (m) => fn(m as WorkerReply)),
      onError: (fn) => w.on('error', fn),
      terminate: () => void w.terminate(),
      ref: () => w.ref(),
      unref: () => w.unref(),
    };
  }
  if (typeof g.Worker === 'function') {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const w = new g.Worker(url);
    URL.revokeObjectURL(url);
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.addEventListener('message', (e) => fn(e.data as WorkerReply)),
      onError: (fn) => w.addEventListener('error', fn),
      terminate: () => w.terminate(),
      ref: () => {},
      unref: () => {},
    };
  }
  throw new Error('no Worker implementation in this environment');
}

interface PooledWorker {
  w: AnyWorker;
  handler: ((m: WorkerReply) => void) | null;
  failed: ((e: unknown) => void) | null;
}

const idle: PooledWorker[] = [];
const MAX_IDLE = 2;
let nextId = 1;

function take(): PooledWorker {
  const pw = idle.pop();
  if (pw) {
    pw.w.ref();
    return pw;
  }
  const w = spawn();
  const fresh: PooledWorker = { w, handler: null, failed: null };
  w.onMessage((m) => fresh.handler?.(m));
  w.onError((e) => fresh.failed?.(e));
  return fresh;
}

function giveBack(pw: PooledWorker): void {
  pw.handler = null;
  pw.failed = null;
  if (idle.length < MAX_IDLE) {
    pw.w.unref();
    idle.push(pw);
  } else {
    pw.w.terminate();
  }
}

/** Terminate idle workers (e.g. before a test or a page unload). Running fits are unaffected. */
export function terminateWorkers(): void {
  while (idle.length) idle.pop()!.w.terminate();
}

/** Options of fitAsync: those of fit(), with onProgress and signal handled across the thread boundary. */
export type FitAsyncOptions = FitOptions & { onProgress?: (p: Progress) => void; signal?: AbortSignal };

/**
 * Run fit() in a worker. Resolves with the same result (predict() included); rejects with the same
 * typed RobustRegError; `signal` cancels promptly (the worker is terminated; rejection code CANCELLED).
 * Where no Worker can be created (e.g. a CSP forbidding blob: workers) it runs on this thread.
 */
export function fitAsync(X: XInput | Dataset, yOrOptions: ArrayLike<number> | FitAsyncOptions, maybeOptions?: FitAsyncOptions): Promise<FitResult> {
  return new Promise<FitResult>((resolve, reject) => {
    let y: ArrayLike<number> | undefined;
    let options: FitAsyncOptions;
    let req: FitRequest;
    let weightsRead: Float64Array | undefined;
    let onProgress: ((p: Progress) => void) | undefined;
    let signal: AbortSignal | undefined;
    let rest: Record<string, unknown>;
    try {
      if (X instanceof Dataset) {
        if (maybeOptions !== undefined || Array.isArray(yOrOptions) || ArrayBuffer.isView(yOrOptions)) {
          throw new RobustRegError('INVALID_INPUT', 'fitAsync: a Dataset already holds y: call fitAsync(dataset, options), not fitAsync(dataset, y, options)', { argument: 'y' });
        }
        options = yOrOptions as FitAsyncOptions;
        checkOptions(options);
        if (options.weights !== undefined) {
          throw new RobustRegError('INVALID_INPUT', 'fitAsync: option weights cannot be combined with a Dataset; pass them to Dataset.from(X, y, { weights })', { argument: 'weights' });
        }
        X.check('fitAsync', true);
        const a = X.toArrays();
        y = a.y;
        req = { type: 'fit', id: nextId++, X: a.X, y: a.y, options: {} };
        if (a.weights) req.options.weights = a.weights;
        // an f32 Dataset travels as its float32 values and is fitted from an f32 Dataset in the worker
        if (X.precision === 'f32') req.precision = 'f32';
      } else {
        y = yOrOptions as ArrayLike<number>;
        options = maybeOptions as FitAsyncOptions;
        checkOptions(options);
        // the one reader (same checks and errors as fit()); fresh buffers, since they are transferred
        const r = readXywHost('fitAsync', X, y, (options as { weights?: unknown }).weights);
        if (r.w) weightsRead = r.w.slice();
        req = { type: 'fit', id: nextId++, X: { data: r.X, rows: r.n, cols: r.p, layout: 'column-major' }, y: r.y.slice(), options: {} };
      }
      ({ onProgress, signal, ...rest } = options as FitAsyncOptions & Record<string, unknown>);
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw new RobustRegError('INVALID_INPUT', `fitAsync: option onProgress must be a function, received ${describe(onProgress)}`, { argument: 'onProgress', value: onProgress });
      }
      if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
        throw new RobustRegError('INVALID_INPUT', `fitAsync: option signal must be an AbortSignal, received ${describe(signal)}`, { argument: 'signal', value: signal });
      }
      if (signal?.aborted) throw new RobustRegError('CANCELLED', 'fitAsync: the fit was cancelled through options.signal', {});
      if (!(X instanceof Dataset) && rest.weights !== undefined) rest.weights = weightsRead;
      // Only structured-cloneable values can cross to the worker: name the option that cannot.
      for (const [k, v] of Object.entries(rest)) {
        try {
          structuredClone(v);
        } catch {
          throw new RobustRegError('INVALID_INPUT', `fitAsync: option ${k} cannot be sent to a worker (received ${describe(v)}); options must be plain data`, { argument: k });
        }
      }
    } catch (e) {
      reject(e);
      return;
    }
    req.options = { ...req.options, ...rest };
    if ((rest.backend ?? 'auto') !== 'js') {
      const m = compiledModule();
      if (m) req.module = m;
      else {
        // report NOT_INITIALIZED / WASM_UNAVAILABLE on this thread, exactly as fit() would
        try {
          acquire((rest.backend ?? 'auto') as BackendChoice, 'fitAsync');
        } catch (e) {
          reject(e);
          return;
        }
      }
    }
    let pw: PooledWorker;
    try {
      pw = take();
    } catch {
      // no workers here: run on this thread, asynchronously
      setTimeout(() => {
        try {
          resolve(X instanceof Dataset ? fit(X, options) : fit(X, y!, options));
        } catch (e) {
          reject(e);
        }
      }, 0);
      return;
    }
    let done = false;
    const onAbort = () => {
      if (done) return;
      done = true;
      pw.w.terminate();
      reject(new RobustRegError('CANCELLED', 'fitAsync: the fit was cancelled through options.signal', {}));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    pw.failed = (e) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      pw.w.terminate();
      reject(new RobustRegError('INTERNAL', `fitAsync: the worker failed: ${(e as Error)?.message ?? String(e)}`, {}));
    };
    pw.handler = (m) => {
      if (done || m.id !== req.id) return;
      if (m.type === 'progress') {
        onProgress?.({ iteration: m.iteration, objective: m.objective, gap: m.gap });
        return;
      }
      done = true;
      signal?.removeEventListener('abort', onAbort);
      giveBack(pw);
      if (m.type === 'error') {
        reject(new RobustRegError(m.code, m.message, m.details));
      } else {
        const r = m.result as unknown as FitResult;
        Object.defineProperty(r, 'predict', { value: makePredict(r.coef, r.intercept), enumerable: false });
        resolve(r);
      }
    };
    const transfer: Transferable[] = [req.X.data.buffer as ArrayBuffer, req.y.buffer as ArrayBuffer];
    pw.w.post(req, transfer);
  });
}

function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RobustRegError('INVALID_INPUT', `fitAsync: options must be an object with a loss, received ${describe(options)}`, { argument: 'options' });
  }
}
