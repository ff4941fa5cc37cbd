// Module state: the WebAssembly backend (instantiated once by init()), the TS twin, an arena per
// backend, and the choice between them. Nothing here runs at import time.
import type { Backend } from '../abi/kernels.js';
import { RobustRegError, describe } from '../errors.js';
import { jsBackend } from './twin.js';
import { Arena } from './arena.js';
import { instantiateWasm, sharedMemory, type ParExports, type WasmSource } from './wasm.js';
import { WASM_THREADS_BASE64 } from './wasm.generated.js';
import { ThreadPool, availableCores, threadsUnavailable, type FaultKind } from '../threads/pool.js';
import { WARMUP_BUDGET_MS, WARMUP_CALLS, warmUp } from './warmup.js';

/** 'auto' (WASM when initialised and available, else the TS twin), 'wasm' or 'js'. */
export type BackendChoice = 'auto' | 'wasm' | 'js';

export interface InitOptions {
  /**
   * Use this binary (or compiled module) instead of the embedded one (e.g. a debug build, or CSP
   * setups). In a later call: omitted or the same module (object, or equal bytes) keeps the module in
   * use; another one replaces it (its Datasets are then refused; docs/api.md "Replacing the module").
   */
  wasm?: WasmSource;
  /**
   * Warm the kernels so that the first large fit runs optimized code (V8 tiers WebAssembly up only
   * after it has run a while). true (default): in the BACKGROUND — init() resolves once the module is
   * compiled, and a worker (the first of fitAsync's pool, kept for it) runs every kernel family on
   * small inputs; the optimized code belongs to the compiled module, so this thread's fits use it as
   * soon as it lands (tens to hundreds of ms later, in parallel with whatever the caller does next).
   * Where no worker can be started, as 'wait'. 'wait': on this thread before resolving (a scratch
   * instance, then a pause for the background compiles; also warms the host code) — init() then takes
   * the warm-up's time (≈ 0.1–0.5 s). false: no warm-up (init() costs only the compile).
   */
  warmup?: boolean | 'wait';
  /**
   * Warm only these kernel families (names of WARMUP_CALLS: 'l2', 'l1', 'irls', 'moments', 'mm',
   * 'lts'); default all. A caller that knows which fits it will run pays only for those.
   */
  warmupKernels?: readonly string[];
  /**
   * Threads for the fits' block passes: 1 (default: the single-threaded build, today's behaviour), a
   * number, or 'auto' (the machine's cores). More than one instantiates the threaded build on one
   * shared memory and starts that many - 1 workers (this thread is the first); where threads are not
   * available (a browser page that is not cross-origin isolated, no SharedArrayBuffer or workers) it
   * runs one thread and the result says why. Results are bit-identical for every thread count.
   */
  threads?: number | 'auto';
}

export interface InitResult {
  /** The backend `backend: 'auto'` will use. */
  backend: 'wasm' | 'js';
  /** Why WebAssembly is not used, when it is not (e.g. missing, or blocked by a Content-Security-Policy). */
  reason?: string;
  /** Milliseconds init() spent warming the kernels on this thread (calls + wait for tier-up); absent when skipped, in the background, or without WebAssembly. */
  warmupMs?: number;
  /** How the kernels are warmed: 'background' (a worker, still running when init() resolves) or 'in-thread' (done); absent when skipped. */
  warmup?: 'background' | 'in-thread';
  /** Threads the fits use, when init() was given `threads` (1 unless more were asked for and started). */
  threads?: number;
  /** Why fewer threads than asked for are used (absent when all were started). */
  threadsReason?: string;
}

export interface Slot {
  backend: Backend;
  arena: Arena;
  /** Set when init({ wasm }) replaced this slot's module: its Datasets refuse further use (Dataset.check). */
  retired?: true;
}

let wasmSlot: Slot | null = null;
let wasmModule: WebAssembly.Module | null = null;
let jsSlot: Slot | null = null;
let initPromise: Promise<InitResult> | null = null;
let initDone: InitResult | null = null;

/**
 * The module an init() call asked for: the bytes given (a copy), the compiled module given, or neither
 * (`wasm` omitted: the embedded build); `module` is filled in once instantiated. A later init() whose
 * `wasm` names the same module (the same WebAssembly.Module, or bytes equal to the bytes given) returns
 * the current promise; one naming another module re-initialises (initRuntime). Bytes never name the
 * embedded build (which of its two builds runs depends on `threads`): passing them re-initialises.
 */
interface InitSource {
  bytes: Uint8Array | null;
  module: WebAssembly.Module | null;
  /** `wasm` omitted: the embedded builds (the only ones that can run on several threads). */
  embedded: boolean;
}
/** The source of the latest init() call (the one initPromise settles on). */
let latest: InitSource | null = null;

/** Internal knobs of initRuntime() (the public init() in src/async/startup.ts and the fitAsync worker use them). */
export interface InitInternal {
  /** Runs public fits on small data to warm the host code; called with the scratch instance installed as the WASM slot. */
  host?: () => void;
  /** Run the kernel warm-up table (default: options.warmup !== false). */
  kernels?: boolean;
  /** Wait for V8's background tier-up after the calls (default: same as kernels). */
  wait?: boolean;
  /**
   * Start the kernel warm-up in the background on the compiled module (the public init() passes the
   * worker pool's); returns false when it cannot (then the warm-up runs on this thread).
   */
  background?: (module: WebAssembly.Module, kernels: readonly string[] | undefined) => boolean;
  /** A re-init replaces the module: drop whatever holds the old one (the public init(): fitAsync's idle workers). */
  replaced?: () => void;
}

/**
 * Compile and instantiate the WebAssembly module (asynchronously). Safe to call many times: a later
 * call returns the current promise unless its `wasm` names another module than the current one (the
 * same WebAssembly.Module object or equal bytes is the same; `wasm` omitted keeps the current one):
 * then it re-initialises with that module, after the init in progress (if any) settles, and until it
 * resolves the fits keep running on the previous module. On completion the previous module's thread
 * pool is closed, its slot retired (its Datasets refuse further use; its memory is freed with them)
 * and `internal.replaced` drops the workers holding it. Never rejects because WebAssembly is
 * unavailable: `auto` then falls back to the TypeScript twin and the result says why. Unless
 * `options.warmup` is false, the kernels (and, through `internal.host`, the host code) are warmed on a
 * scratch instance first.
 */
export function initRuntime(options?: InitOptions, internal: InitInternal = {}): Promise<InitResult> {
  // Arguments are checked on every call (a bad call is an error even after a successful init).
  const bad = checkInitOptions(options);
  if (bad) return Promise.reject(bad);
  if (initPromise && sameSource(latest!, options?.wasm)) {
    if (options?.threads === undefined) return initPromise;
    // the same module with `threads`: the pool is resized after the init in progress (retune)
    if (busy) {
      return Promise.reject(new RobustRegError('INVALID_INPUT', `init: option threads cannot change the thread pool while a fit is running on this thread (init() was called from inside the fit, e.g. its onProgress); call it after the fit returns`, { argument: 'threads', value: options.threads }));
    }
    const source = latest!;
    return chain((prevDone) => prevDone ? retune(options, internal, source) : start(options, internal, source), source);
  }
  const source = sourceOf(options?.wasm);
  return chain(() => start(options, internal, source), source);
}

/** Run `next` after the init in progress (if any) settles; it becomes the current init (the previous one again if it rejects). */
function chain(next: (prevDone: InitResult | null) => Promise<InitResult>, source: InitSource): Promise<InitResult> {
  const prev = initPromise, prevSource = latest;
  latest = source;
  const p = (async () => {
    if (prev) await prev.catch(() => undefined);
    return next(initDone);
  })();
  initPromise = p;
  p.catch(() => {
    if (initPromise !== p) return;
    initPromise = prev;
    latest = prevSource;
  });
  return p;
}

function sourceOf(w: WasmSource | undefined): InitSource {
  if (w === undefined) return { bytes: null, module: null, embedded: true };
  if (w instanceof WebAssembly.Module) return { bytes: null, module: w, embedded: false };
  return { bytes: bytesOf(w).slice(), module: null, embedded: false };
}

function bytesOf(w: BufferSource): Uint8Array {
  return w instanceof ArrayBuffer ? new Uint8Array(w) : new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

/** True when `w` (an init() call's option) names the module of `cur`; `wasm` omitted always does. */
function sameSource(cur: InitSource, w: WasmSource | undefined): boolean {
  if (w === undefined) return true;
  if (w instanceof WebAssembly.Module) return w === cur.module;
  const b = cur.bytes;
  if (b === null) return false;
  const u = bytesOf(w);
  if (u.length !== b.length) return false;
  for (let i = 0; i < u.length; i++) if (u[i] !== b[i]) return false;
  return true;
}

/**
 * A re-init has its module (or failed to get one): close the previous module's thread pool, retire its
 * slot (Datasets on it refuse further use: Dataset.check) and drop the workers holding it. The fits
 * keep the previous globals until the caller installs the new ones (no await in between).
 */
function retirePrevious(internal: InitInternal): void {
  if (initDone === null) return;
  threadPool?.close();
  if (wasmSlot) wasmSlot.retired = true;
  internal.replaced?.();
}

async function start(options: InitOptions | undefined, internal: InitInternal, source: InitSource): Promise<InitResult> {
  const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
  try {
    const want = wantThreads(options?.threads);
    let threadsReason: string | undefined;
    let backend: Awaited<ReturnType<typeof instantiateWasm>> | null = null;
    let link: ParLink | null = null;
    if (want > 1) {
      const why = options?.wasm !== undefined
        ? 'options.wasm replaces the embedded module, and only the embedded threaded build can run on several threads'
        : threadsUnavailable();
      if (why) threadsReason = why;
      else {
        let t: Awaited<ReturnType<typeof instantiateThreaded>> | null = null;
        try {
          t = await instantiateThreaded();
          t.link.pool = await ThreadPool.start(t.backend.module, t.link.memory, want);
          t.link.par.par_set_slots(t.link.pool.size);
          backend = t.backend;
          link = t.link;
        } catch (e) {
          t?.link.pool?.close();
          threadsReason = `the thread pool could not be started (${(e as Error)?.message ?? String(e)})`;
        }
      }
    }
    backend ??= await instantiateWasm(options?.wasm);
    source.module = backend.module;
    // a re-init: the previous module's pool and workers go before the warm-up takes a worker
    retirePrevious(internal);
    const threads = link?.pool ? link.pool.size : 1;
    const result: InitResult = { backend: 'wasm' };
    if (options?.threads !== undefined) result.threads = threads;
    if (threadsReason) result.threadsReason = `${threadsReason}; running 1 thread`;
    await warm(backend.module, options, internal, started, result);
    // install the new module at once (fits in between ran on the previous one)
    wasmModule = backend.module;
    wasmLink = link;
    wasmSlot = { backend, arena: new Arena(backend) };
    setPool(link?.pool ?? null);
    initDone = result;
  } catch (e) {
    if (e instanceof RobustRegError) throw e;
    const why = (e as Error)?.message ?? String(e);
    retirePrevious(internal);
    wasmModule = null;
    wasmLink = null;
    setPool(null);
    wasmSlot = null;
    initDone = {
      backend: 'js',
      ...(options?.threads !== undefined ? { threads: 1 } : {}),
      reason: options?.wasm !== undefined
        ? `the WebAssembly module given in options.wasm failed to load (${why}); using the TypeScript backend`
        : `WebAssembly unavailable (${why}); using the TypeScript backend`,
    };
  }
  return initDone;
}

/** The thread count `threads` asks for (1 when omitted; 'auto': the machine's cores). */
function wantThreads(threads: InitOptions['threads']): number {
  return threads === undefined ? 1 : threads === 'auto' ? availableCores() : threads;
}

/**
 * The threaded build's instance and its link to a pool: its env.par_run runs a pass's items on
 * `link.pool` (none: 0, the kernel runs them itself). The pool can change while the instance stays
 * (init({ threads }) again: retune), so par_run reads the link at every pass.
 */
interface ParLink {
  pool: ThreadPool | null;
  par: ParExports;
  memory: WebAssembly.Memory;
}

/** The installed instance's link (null: the single-threaded build, or no WebAssembly). */
let wasmLink: ParLink | null = null;

async function instantiateThreaded(): Promise<{ backend: Awaited<ReturnType<typeof instantiateWasm>>; link: ParLink }> {
  const memory = sharedMemory();
  const link: ParLink = { pool: null, par: null as unknown as ParExports, memory };
  const backend = await instantiateWasm(decodeThreads(), {
    memory,
    parRun: (pass, pArgs, items) => passCall(link, pass, pArgs, items, false),
    // a pass in the background (assembly/par.ts parStart): the workers start on it and this thread
    // returns to the kernel; parJoin takes the items left and waits
    parStart: (pass, pArgs, items) => passCall(link, pass, pArgs, items, true),
    parJoin: () => {
      const pool = link.pool;
      if (pool === null || !pool.busy) return;
      const pass = timedJoin;
      timedJoin = -1;
      if (passTimes === null || pass < 0) pool.join();
      else timed(pass, 0, () => pool.join());
    },
  });
  link.par = backend.par!;
  return { backend, link };
}

/**
 * env.par_run (`background` false) and env.par_start (true) of the threaded instance: 1 when the host
 * runs (or started) the items, 0 when the kernel must run them itself. Timed (bench/threads.mjs): on
 * one thread the items run here, in order, as the kernel would; a background pass counts the time of
 * its start and then this thread's time in its join.
 */
function passCall(link: ParLink, pass: number, pArgs: number, items: number, background: boolean): number {
  const pool = link.pool;
  if (pool === null || !pool.usable) return 0;
  if (passTimes === null && activeThreads <= 1) return 0;
  // a pass while one runs in the background (assembly/par.ts parRun): the kernel runs its items on this
  // thread, the workers stay on the background pass (joining it here would end the overlap early)
  if (!background && pool.busy) return 0;
  const go = (): void => {
    if (activeThreads <= 1) for (let i = 0; i < items; i++) link.par.par_item(pass, pArgs >>> 0, i, 0);
    else if (background) pool.start(link.par.par_item, pass, pArgs >>> 0, items, activeThreads);
    else pool.run(link.par.par_item, pass, pArgs >>> 0, items, activeThreads);
  };
  if (passTimes === null) go();
  else {
    timed(pass, items, go);
    if (background && activeThreads > 1) timedJoin = pass;
  }
  return 1;
}

/** Runs `body` and adds its wall and CPU time to pass `pass`'s record (a call when items > 0). */
function timed(pass: number, items: number, body: () => void): void {
  const t0 = performance.now();
  const c0 = cpuNow();
  try {
    body();
  } finally {
    if (passTimes !== null) {
      const t = (passTimes[pass] ??= { calls: 0, items: 0, ms: 0, cpuMs: 0 });
      if (items > 0) t.calls++;
      t.items += items;
      t.ms += performance.now() - t0;
      t.cpuMs += cpuNow() - c0;
    }
  }
}

/** Make `pool` the one fits use (null: none, every pass on this thread); the previous one is closed. */
function setPool(pool: ThreadPool | null): void {
  const old = threadPool;
  if (wasmLink) {
    wasmLink.pool = pool;
    wasmLink.par.par_set_slots(pool ? pool.size : 1);
  }
  threadPool = pool;
  wasmPar = pool && wasmLink ? wasmLink.par : null;
  poolThreads = activeThreads = pool ? pool.size : 1;
  if (old !== pool) old?.close();
}

/** Warm `module` as options.warmup says (background worker, or on a scratch instance here) and record how in `result`. */
async function warm(module: WebAssembly.Module, options: InitOptions | undefined, internal: InitInternal, started: number, result: InitResult): Promise<void> {
  if (options?.warmup === false) return;
  const kernels = internal.kernels ?? true;
  const names = options?.warmupKernels;
  // The background warm-up worker instantiates the module (the threaded build too: on a shared
  // memory of its own, as fitAsync's workers do) — its optimized code is the module's.
  if (kernels && options?.warmup !== 'wait' && internal.background?.(module, names)) {
    result.warmup = 'background';
    return;
  }
  // On a scratch instance: this slot's memory, arena and kernel globals stay untouched.
  const w = await warmUp(module, {
    deadline: started + WARMUP_BUDGET_MS,
    calls: kernels ? WARMUP_CALLS.filter((c) => !names || names.includes(c.name)) : [],
    wait: internal.wait ?? kernels,
    host: internal.host ? (scratch) => runOnScratch(scratch, internal.host!) : undefined,
  });
  result.warmupMs = w.callsMs + w.waitMs;
  result.warmup = 'in-thread';
}

/**
 * init({ threads }) again, for the module in use (docs/api.md "Changing the thread count"), once the
 * init before it has settled. Never between the passes of a fit: fits are synchronous, and this
 * installs its changes synchronously after its last await. The threaded build in use: a new pool of
 * `threads` workers on the same module and shared memory, the old pool closed (its workers stopped and
 * terminated); 1 thread: the pool closed, the threaded build kept (its passes then run on this
 * thread). The single-threaded build in use (the first init() had no `threads`) and more threads
 * asked for: the threaded build on a new shared memory, the live blocks (every Dataset) copied to the
 * same addresses (Arena.moveTo) and the slot switched in place, so Datasets stay valid; the kernels'
 * results are the same bits on either build and any thread count. Where it cannot (no threads here,
 * a module given in options.wasm, a pool that does not start, data that does not fit the shared
 * memory) nothing changes and `threadsReason` says why. Never rejects.
 */
async function retune(options: InitOptions, internal: InitInternal, source: InitSource): Promise<InitResult> {
  const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const want = wantThreads(options.threads);
  const { threadsReason: _, ...base } = initDone!;
  const done = (threads: number, why?: string): InitResult => {
    initDone = { ...base, threads, ...(why ? { threadsReason: `${why}; running ${threads} thread${threads === 1 ? '' : 's'}` } : {}) };
    return initDone;
  };
  if (!wasmSlot) return done(1, want > 1 ? 'WebAssembly is not used, and the TypeScript backend runs on one thread' : undefined);
  if (want === poolThreads) return done(poolThreads);
  if (want === 1) {
    setPool(null);
    return done(1);
  }
  const why = !source.embedded
    ? 'the module in use was given in options.wasm, and only the embedded threaded build can run on several threads'
    : threadsUnavailable();
  if (why) return done(poolThreads, why);
  if (wasmLink) {
    // the threaded build: a pool of the new size on its module and memory
    const link = wasmLink;
    let pool: ThreadPool;
    try {
      pool = await ThreadPool.start(wasmModule!, link.memory, want);
    } catch (e) {
      return done(poolThreads, `the thread pool could not be started (${(e as Error)?.message ?? String(e)})`);
    }
    setPool(pool);
    return done(pool.size);
  }
  // the single-threaded build: move to the threaded one
  let t: Awaited<ReturnType<typeof instantiateThreaded>>;
  try {
    t = await instantiateThreaded();
    t.link.pool = await ThreadPool.start(t.backend.module, t.link.memory, want);
  } catch (e) {
    return done(poolThreads, `the thread pool could not be started (${(e as Error)?.message ?? String(e)})`);
  }
  const result: InitResult = { backend: 'wasm' };
  await warm(t.backend.module, options, internal, started, result);
  const slot = wasmSlot;
  let arena: Arena;
  try {
    arena = slot.arena.moveTo(t.backend);
  } catch (e) {
    t.link.pool!.close();
    return done(poolThreads, `the data in use could not move to the threaded build (${(e as Error)?.message ?? String(e)})`);
  }
  slot.backend = t.backend;
  slot.arena = arena;
  source.module = t.backend.module;
  wasmModule = t.backend.module;
  wasmLink = t.link;
  setPool(t.link.pool);
  if (result.warmup) {
    base.warmup = result.warmup;
    if (result.warmupMs !== undefined) base.warmupMs = result.warmupMs;
    else delete base.warmupMs;
  }
  return done(poolThreads);
}

/**
 * Run `body` (public fits) with the scratch instance as the WASM slot, then restore the slots exactly.
 * Synchronous, so no other fit can observe the swap; used only while init() has not resolved.
 */
function runOnScratch(scratch: Backend, body: () => void): void {
  const prevSlot = wasmSlot, prevDone = initDone;
  wasmSlot = { backend: scratch, arena: new Arena(scratch) };
  initDone = { backend: 'wasm' };
  try {
    body();
  } finally {
    wasmSlot = prevSlot;
    initDone = prevDone;
  }
}

function checkInitOptions(options: unknown): RobustRegError | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return new RobustRegError('INVALID_INPUT', `init: options must be an object, received ${describe(options)}`, { argument: 'options' });
  }
  for (const key of Object.keys(options)) {
    if (key !== 'wasm' && key !== 'warmup' && key !== 'warmupKernels' && key !== 'threads') return new RobustRegError('INVALID_INPUT', `init: unknown option ${JSON.stringify(key)}; valid options are wasm, warmup, warmupKernels, threads`, { argument: key });
  }
  const th = (options as InitOptions).threads;
  if (th !== undefined && th !== 'auto' && !(typeof th === 'number' && Number.isInteger(th) && th >= 1 && th <= MAX_THREADS)) {
    return new RobustRegError('INVALID_INPUT', `init: option threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, received ${describe(th)}`, { argument: 'threads', value: th });
  }
  const warm = (options as InitOptions).warmup;
  if (warm !== undefined && typeof warm !== 'boolean' && warm !== 'wait') {
    return new RobustRegError('INVALID_INPUT', `init: option warmup must be a boolean or 'wait', received ${describe(warm)}`, { argument: 'warmup', value: warm });
  }
  const names = (options as InitOptions).warmupKernels;
  const known = WARMUP_CALLS.map((c) => c.name);
  if (names !== undefined && (!Array.isArray(names) || !names.every((n) => known.includes(n as string)))) {
    return new RobustRegError('INVALID_INPUT', `init: option warmupKernels must be an array of kernel family names (${known.join(', ')}), received ${describe(names)}`, { argument: 'warmupKernels', value: names });
  }
  const w = (options as InitOptions).wasm;
  const isModule = typeof WebAssembly !== 'undefined' && w instanceof WebAssembly.Module;
  if (w !== undefined && !isModule && !(w instanceof ArrayBuffer) && !ArrayBuffer.isView(w)) {
    return new RobustRegError('INVALID_INPUT', `init: option wasm must be the module's bytes (an ArrayBuffer or a typed array) or a compiled WebAssembly.Module, received ${describe(w)}`, { argument: 'wasm', value: w });
  }
  return null;
}

/** True once init() has finished (whatever backend it settled on). */
export function isInitialized(): boolean {
  return initDone !== null;
}

let busy = false;

/** Largest thread count init() accepts. */
export const MAX_THREADS = 256;
let threadPool: ThreadPool | null = null;
let wasmPar: ParExports | null = null;
/** Participants of the pool (1 without one). */
let poolThreads = 1;
/** Threads the fit in progress may use (poolThreads outside fits; a fit's `threads` option inside). */
let activeThreads = 1;
/** The `threads` option of the fit being set up (acquire), applied by withSlot. */
let pendingThreads = 0;

function decodeThreads(): Uint8Array<ArrayBuffer> {
  const bin = atob(WASM_THREADS_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fit option `threads` (at most init()'s threads are used), or INVALID_INPUT. */
function checkFitThreads(fn: string, v: unknown): number {
  if (v === undefined) return poolThreads;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option threads must be a positive integer (at most init()'s threads are used), received ${describe(v)}`, { argument: 'threads', value: v });
  }
  return Math.min(v, poolThreads);
}

/** Internal (tests): run `items` items of the test pass on the pool; it traps on every worker (an
 *  error inside a worker), so this throws RobustRegError INTERNAL while the pool stays usable. */
export function runTestPass(items: number): void {
  if (!threadPool || !wasmPar) throw new RobustRegError('INTERNAL', 'no thread pool', {});
  threadPool.run(wasmPar.par_item, 0, 0, items, poolThreads);
}

let passTimes: Record<number, { calls: number; items: number; ms: number; cpuMs: number }> | null = null;
/** The pass id of a timed background pass not yet joined (-1: none). */
let timedJoin = -1;

/** CPU milliseconds of the process (all threads) where the host reports it (Node), else 0. */
function cpuNow(): number {
  const u = (globalThis as unknown as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage?.();
  return u ? (u.user + u.system) / 1000 : 0;
}

/**
 * Internal (bench/threads.mjs): time the block passes by pass id, wall and process CPU (on a
 * threaded init; with one thread the items then run from the host, in order, so a pass's CPU time
 * is this thread's and does not depend on other load). `true` starts (and clears) the record, `false`
 * stops; returns the record so far.
 */
export function passTiming(on?: boolean): Record<number, { calls: number; items: number; ms: number; cpuMs: number }> {
  const out = passTimes ?? {};
  if (on === true) passTimes = {};
  else if (on === false) passTimes = null;
  return out;
}

/**
 * Threads of init()'s pool (1 without threads), the jobs it ran and whether it can run more (tests,
 * diagnostics); `live`: participants taking part now (fewer while a dead worker is replaced, or after
 * one stayed down: `note` says why), `deaths` and `replaced`: workers lost and restarted.
 */
export function threadStats(): { threads: number; jobs: number; usable: boolean; live: number; deaths: number; replaced: number; note?: string } {
  const s = threadPool?.status();
  return {
    threads: poolThreads,
    jobs: threadPool?.jobs ?? 0,
    usable: threadPool?.usable ?? false,
    live: s?.live ?? 1,
    deaths: s?.deaths ?? 0,
    replaced: s?.replaced ?? 0,
    ...(s?.note !== undefined ? { note: s.note } : {}),
  };
}

/** Internal (tests): terminate worker i of the pool between fits, as if it had died. */
export function killThreadForTest(i: number): void {
  threadPool?.killWorker(i);
}

/** Internal (tests): worker i of the pool fails at its next item (src/threads/pool.ts injectFault);
 *  returns a function telling whether the fault is still pending (not acted on). */
export function injectThreadFault(kind: FaultKind, i: number): () => boolean {
  if (!threadPool) throw new RobustRegError('INTERNAL', 'no thread pool', {});
  const p = threadPool;
  p.injectFault(kind, i);
  return () => p.faultPending();
}

/** Resolve the backend for one fit (`threads`: the fit's option, checked here, used by withSlot). */
export function acquire(choice: BackendChoice, fn: string, threads?: unknown): Slot {
  pendingThreads = checkFitThreads(fn, threads);
  if (busy) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: a fit is already running on this thread (fits cannot be started from inside onProgress)`, {});
  }
  if (choice === 'js') return (jsSlot ??= { backend: jsBackend, arena: new Arena(jsBackend) });
  if (!initDone) {
    throw new RobustRegError('NOT_INITIALIZED', `${fn}: call \`await init()\` before fitting with backend '${choice}' (or pass backend: 'js')`, { backend: choice });
  }
  if (wasmSlot) return wasmSlot;
  if (choice === 'wasm') {
    throw new RobustRegError('WASM_UNAVAILABLE', `${fn}: backend 'wasm' was requested but ${initDone.reason ?? 'WebAssembly is unavailable'}`, { backend: choice });
  }
  return (jsSlot ??= { backend: jsBackend, arena: new Arena(jsBackend) });
}

/** Run `body` with the busy flag held, and release every region it allocated even when it throws. */
export function withSlot<T>(slot: Slot, body: () => T): T {
  const mark = slot.arena.mark();
  busy = true;
  activeThreads = pendingThreads || poolThreads;
  pendingThreads = 0;
  let failed = false;
  try {
    return body();
  } catch (e) {
    failed = true;
    if (e instanceof RobustRegError) throw e;
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
      throw new RobustRegError('INTERNAL', `the WebAssembly kernel trapped (${e.message}); this is a bug in robustreg — please report it with the input`, {});
    }
    throw e;
  } finally {
    try {
      // a pass a kernel call left in the background (the call was cancelled or trapped between its
      // start and its join) is finished before the call's memory is released: its items write there.
      // Its error fails the fit unless the fit already failed.
      settleBackground(failed);
    } finally {
      busy = false;
      activeThreads = poolThreads;
      slot.arena.release(mark);
    }
  }
}

/** Join the pool's background pass, if any (withSlot); `quiet`: a fit that failed already keeps its error. */
function settleBackground(quiet: boolean): void {
  const pool = wasmLink?.pool;
  timedJoin = -1;
  if (!pool || !pool.busy) return;
  try {
    pool.join();
  } catch (e) {
    if (!quiet) throw e;
  }
}

/** Bytes of linear memory currently held by each backend (for diagnostics and memory tests). */
export function memoryStats(): { wasm: number; js: number; wasmInUse: number; jsInUse: number } {
  return {
    wasm: wasmSlot ? wasmSlot.backend.byteLength() : 0,
    js: jsSlot ? jsSlot.backend.byteLength() : 0,
    wasmInUse: wasmSlot ? wasmSlot.arena.used : 0,
    jsInUse: jsSlot ? jsSlot.arena.used : 0,
  };
}

/** The compiled module (shared with workers so they skip compilation), when WASM is in use. */
export function compiledModule(): WebAssembly.Module | null {
  return wasmModule;
}

/** True when init() ran the warm-up or started it in the background (the module's hot functions are optimized or on their way). */
export function warmedUp(): boolean {
  return initDone?.warmup !== undefined;
}
