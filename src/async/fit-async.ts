// fitAsync(): the same fit, run in a worker (Node worker_threads or a browser Web Worker) so the
// calling thread stays responsive. Progress arrives as messages; cancellation terminates the worker
// (prompt whatever the kernel is doing, and nothing shared is left half-updated: the worker's memory
// dies with it). Workers are persistent: started lazily, kept for reuse (the compiled module is sent
// once per worker), unref'd in Node while idle so they never hold the process open, terminated after
// an idle timeout. An aborted or crashed worker is terminated; the next call gets a fresh one.
import { fit, type FitOptions } from '../fit/api.js';
import { Dataset } from '../data/dataset.js';
import { RobustRegError, describe } from '../errors.js';
import { checkVectorShape, readXywHost, shapeOf, type XInput } from '../data/input.js';
import type { BackendChoice, Progress } from '../data/options.js';
import { makePredict, type FitResult } from '../fit/result.js';
import { acquire, compiledModule, warmedUp } from '../backend/runtime.js';
import type { FitRequest, WorkerReply, WorkerRequest } from './protocol.js';
import { WORKER_SOURCE } from './worker.generated.js';

interface AnyWorker {
  post(msg: WorkerRequest, transfer: Transferable[]): void;
  onMessage(fn: (m: WorkerReply) => void): void;
  onError(fn: (e: unknown) => void): void;
  /** The worker's thread ended (Node: process.exit in it, a termination, out of memory; no 'error' event then). */
  onExit(fn: (code: number) => void): void;
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
      onExit: (fn) => w.on('exit', (code) => fn(code as number)),
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
      onExit: () => {},
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
  /**
   * The module this worker instantiated: the one sent with its first request (sent once), null when it
   * instantiated the embedded build itself (a fit without a module from this thread), undefined while
   * it has instantiated none. A worker is bound to it: after init({ wasm }) replaced the module, a
   * worker holding the previous one is terminated instead of reused (takeFor).
   */
  module: WebAssembly.Module | null | undefined;
  /** Idle-termination timer while the worker waits in the pool. */
  timer: ReturnType<typeof setTimeout> | null;
}

// The pool. Workers are started lazily by the first fitAsync and kept for the next one (their
// instance, linear memory and optimized code stay warm); each waits at most idleTimeoutMs in the pool
// before it is terminated, and never holds a Node process open (unref'd while idle). Concurrent
// calls run in parallel on separate workers (at most MAX_IDLE are kept afterwards): fits are CPU-bound
// and independent, and a queue would make a short fit wait behind a long one.
const idle: PooledWorker[] = [];
const MAX_IDLE = 2;
const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
let idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
let nextId = 1;
let started = 0;
let busy = 0;

/** Workers taken and not given back (tests: terminateBusyWorkersForTest). */
const running = new Set<PooledWorker>();

function take(): PooledWorker {
  const pw = idle.pop();
  if (pw) {
    if (pw.timer !== null) clearTimeout(pw.timer);
    pw.timer = null;
    pw.w.ref();
    busy++;
    running.add(pw);
    return pw;
  }
  const w = spawn();
  started++;
  busy++;
  const fresh: PooledWorker = { w, handler: null, failed: null, module: undefined, timer: null };
  w.onMessage((m) => fresh.handler?.(m));
  w.onError((e) => fresh.failed?.(e));
  // A worker that ends without an 'error' event (process.exit in it, terminated from outside, out of
  // memory) fails its fit too, instead of leaving the promise pending forever; a parked one leaves
  // the pool. (Our own terminate() of a worker that was discarded or parked-and-expired has cleared
  // `failed`, or finds it already settled.)
  w.onExit((code) => {
    const i = idle.indexOf(fresh);
    if (i >= 0) {
      idle.splice(i, 1);
      if (fresh.timer !== null) clearTimeout(fresh.timer);
      fresh.timer = null;
    }
    fresh.failed?.(new Error(`its thread exited (exit code ${code})`));
  });
  running.add(fresh);
  return fresh;
}

/**
 * A worker for a fit on `module` (null: this thread has none, the worker instantiates the embedded
 * build): an idle one that instantiated the same module or none yet, else a new one; idle workers
 * bound to another module (init({ wasm }) replaced it) are terminated on the way.
 */
function takeFor(module: WebAssembly.Module | null): PooledWorker {
  for (;;) {
    const pw = take();
    if (pw.module === undefined || pw.module === module) return pw;
    discard(pw);
  }
}

/** A worker whose fit ended normally (result or typed error): back to the pool, or terminated. */
function giveBack(pw: PooledWorker): void {
  busy--;
  running.delete(pw);
  pw.handler = null;
  pw.failed = null;
  park(pw);
}

/** Put an idle worker in the pool (unref'd, with its idle timer), or terminate it when the pool is full. */
function park(pw: PooledWorker): void {
  if (idle.length < MAX_IDLE && idleTimeoutMs > 0) {
    pw.w.unref();
    idle.push(pw);
    if (idleTimeoutMs !== Infinity) {
      const t = setTimeout(() => {
        const i = idle.indexOf(pw);
        if (i >= 0) idle.splice(i, 1);
        pw.timer = null;
        pw.w.terminate();
      }, idleTimeoutMs);
      (t as unknown as { unref?: () => void }).unref?.();
      pw.timer = t;
    }
  } else {
    pw.w.terminate();
  }
}

/** A worker that was cancelled or crashed: terminated at once, never reused. */
function discard(pw: PooledWorker): void {
  busy--;
  running.delete(pw);
  pw.handler = null;
  pw.failed = null;
  pw.w.terminate();
}

let warmups = 0;
let warmed = 0;
/**
 * init()'s background warm-up: start a pool worker, send it the compiled module and the warm-up
 * request, and park it in the pool at once (unref'd: it never holds a Node process open). It runs the
 * kernel warm-up table on its own instance; V8's optimized code is the module's, so this thread's fits
 * use it as soon as it is compiled. A fitAsync arriving meanwhile takes this worker and its request
 * queues behind the warm-up (no second worker). False when no worker can be started (init() then warms
 * on this thread).
 */
export function prewarmWorker(module: WebAssembly.Module, kernels?: readonly string[]): boolean {
  let pw: PooledWorker;
  try {
    pw = takeFor(module);
  } catch {
    return false;
  }
  const id = nextId++;
  try {
    pw.w.post({ type: 'warm', id, module, ...(kernels ? { kernels } : {}) }, []);
  } catch {
    discard(pw);
    return false;
  }
  pw.module = module;
  warmups++;
  busy--;
  running.delete(pw);
  // the reply only counts (a fitAsync that took the worker meanwhile replaces the handler and ignores it)
  pw.handler = (m) => {
    if (m.type === 'warmed' && m.id === id) warmed++;
  };
  // a worker that fails while parked (e.g. a CSP refusing blob: workers, reported asynchronously)
  // leaves the pool, so no fitAsync is ever sent to it; one that already took it rejects as usual
  pw.failed = () => {
    const i = idle.indexOf(pw);
    if (i >= 0) idle.splice(i, 1);
    if (pw.timer !== null) clearTimeout(pw.timer);
    pw.timer = null;
    pw.w.terminate();
  };
  if (idleTimeoutMs > 0) park(pw);
  else pw.handler = (m) => { if (m.type === 'warmed' && m.id === id) { warmed++; pw.w.terminate(); } };
  return true;
}

/** Internal (tests): terminate the workers running fits now from outside, as a crash would (no
 *  'error' event: only their exit is seen). Their fits reject with INTERNAL. */
export function terminateBusyWorkersForTest(): number {
  let n = 0;
  for (const pw of running) {
    if (pw.handler === null) continue;
    pw.w.terminate();
    n++;
  }
  return n;
}

/** Terminate idle workers (e.g. before a test or a page unload). Running fits are unaffected. */
export function terminateWorkers(): void {
  while (idle.length) {
    const pw = idle.pop()!;
    if (pw.timer !== null) clearTimeout(pw.timer);
    pw.timer = null;
    pw.w.terminate();
  }
}

/** Counters of fitAsync's worker pool (this module instance). */
export interface WorkerStats {
  /** Workers started since the module was loaded (a reused worker does not count again). */
  started: number;
  /** Workers running a fit now. */
  busy: number;
  /** Workers waiting in the pool for the next fitAsync. */
  idle: number;
  /** Milliseconds an idle worker is kept before it is terminated. */
  idleTimeoutMs: number;
  /** Background kernel warm-ups init() started in a worker, and how many of them have finished. */
  warmups: number;
  warmed: number;
}

export function workerStats(): WorkerStats {
  return { started, busy, idle: idle.length, idleTimeoutMs, warmups, warmed };
}

/** Options of configureWorkers(). */
export interface WorkerOptions {
  /** Milliseconds an idle worker is kept for reuse before it is terminated (default 10000; 0: never keep; Infinity: keep until terminateWorkers()). */
  idleTimeoutMs?: number;
}

/** Configure fitAsync's worker pool. Applies to workers that become idle from now on. */
export function configureWorkers(options: WorkerOptions): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RobustRegError('INVALID_INPUT', `configureWorkers: options must be an object, received ${describe(options)}`, { argument: 'options' });
  }
  for (const key of Object.keys(options)) {
    if (key !== 'idleTimeoutMs') throw new RobustRegError('INVALID_INPUT', `configureWorkers: unknown option ${JSON.stringify(key)}; valid options are idleTimeoutMs`, { argument: key });
  }
  const t = options.idleTimeoutMs;
  if (t === undefined) return;
  if (typeof t !== 'number' || !(t === Infinity || (Number.isInteger(t) && t >= 0 && t <= 2 ** 31 - 1))) {
    throw new RobustRegError('INVALID_INPUT', `configureWorkers: option idleTimeoutMs must be an integer in [0, 2147483647] or Infinity, received ${describe(t)}`, { argument: 'idleTimeoutMs', value: t });
  }
  idleTimeoutMs = t;
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
        const fast = typedCopy(X, y, (options as { weights?: unknown }).weights);
        if (fast) {
          req = fast.req;
          weightsRead = fast.w;
        } else {
          // the one reader (same checks and errors as fit()); fresh buffers, since they are transferred
          const r = readXywHost('fitAsync', X, y, (options as { weights?: unknown }).weights);
          if (r.w) weightsRead = r.w.slice();
          req = { type: 'fit', id: nextId++, X: { data: r.X, rows: r.n, cols: r.p, layout: 'column-major' }, y: r.y.slice(), options: {} };
        }
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
    const m = compiledModule();
    if ((rest.backend ?? 'auto') !== 'js') {
      if (!m) {
        // report NOT_INITIALIZED / WASM_UNAVAILABLE on this thread, exactly as fit() would
        try {
          acquire((rest.backend ?? 'auto') as BackendChoice, 'fitAsync');
        } catch (e) {
          reject(e);
          return;
        }
      }
    }
    const wasm = (rest.backend ?? 'auto') !== 'js';
    let pw: PooledWorker;
    try {
      pw = wasm ? takeFor(m) : take();
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
    // The compiled module travels once per worker, with its first request; the worker instantiates it
    // (and warms it unless this thread's init() already did: the optimized code is the module's).
    if (m && pw.module === undefined) {
      req.module = m;
      req.warm = !warmedUp();
      pw.module = m;
    } else if (wasm && pw.module === undefined) {
      pw.module = null;
    }
    let done = false;
    const onAbort = () => {
      if (done) return;
      done = true;
      discard(pw);
      reject(new RobustRegError('CANCELLED', 'fitAsync: the fit was cancelled through options.signal', {}));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    pw.failed = (e) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      discard(pw);
      reject(new RobustRegError('INTERNAL', `fitAsync: the worker failed: ${(e as Error)?.message ?? String(e)}`, {}));
    };
    pw.handler = (m) => {
      if (done || m.id !== req.id || m.type === 'warmed') return;
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
    if (weightsRead) transfer.push(weightsRead.buffer as ArrayBuffer);
    try {
      pw.w.post(req, transfer);
    } catch (e) {
      done = true;
      signal?.removeEventListener('abort', onAbort);
      discard(pw);
      reject(new RobustRegError('INTERNAL', `fitAsync: the request could not be sent to the worker: ${(e as Error)?.message ?? String(e)}`, {}));
    }
  });
}

/**
 * The common typed case — X = { data: Float64Array | Float32Array, rows, cols, layout }, y and the
 * weights Float64Arrays — is sent as bit-exact copies (slice: a memcpy, no per-value JavaScript) and
 * the worker's fit() reads them exactly as fit() on this thread reads the caller's arrays: the same
 * values, so the same result, and the same errors in the same order (the structural checks run here
 * first, as readXywHost's do; the value checks, which name no function, run in the worker). This
 * thread then pays a copy at memory speed instead of a checked transpose (measured 6–15 ms of
 * JavaScript at 1e5 × 10 that the first calls run before V8 has optimized it). null: use readXywHost.
 */
function typedCopy(X: unknown, y: unknown, weights: unknown): { req: FitRequest; w: Float64Array | undefined } | null {
  if (typeof X !== 'object' || X === null || Array.isArray(X) || !('data' in X) || !('rows' in X) || !('cols' in X)) return null;
  const data = (X as { data: unknown }).data;
  if (!(data instanceof Float64Array || data instanceof Float32Array) || !(y instanceof Float64Array)) return null;
  if (weights !== undefined && !(weights instanceof Float64Array)) return null;
  const { n, p } = shapeOf(X);
  if (n === 0) throw new RobustRegError('INVALID_INPUT', 'fitAsync: X has no rows; at least one observation is needed', { argument: 'X', rows: 0 });
  checkVectorShape(y, n, 'y');
  if (weights !== undefined) checkVectorShape(weights, n, 'weights');
  const layout = (X as { layout?: 'row-major' | 'column-major' }).layout;
  return {
    req: { type: 'fit', id: nextId++, X: { data: data.slice(), rows: n, cols: p, layout: layout ?? 'row-major' }, y: y.slice(), options: {} },
    w: weights === undefined ? undefined : (weights as Float64Array).slice(),
  };
}

function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RobustRegError('INVALID_INPUT', `fitAsync: options must be an object with a loss, received ${describe(options)}`, { argument: 'options' });
  }
}
