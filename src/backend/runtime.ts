// Module state: the WebAssembly backend (instantiated once by init()), the TS twin, an arena per
// backend, and the choice between them. Nothing here runs at import time.
import type { Backend } from '../abi/kernels.js';
import { RobustRegError, describe } from '../errors.js';
import { jsBackend } from './twin.js';
import { Arena } from './arena.js';
import { instantiateWasm, type WasmSource } from './wasm.js';
import { WARMUP_BUDGET_MS, WARMUP_CALLS, warmUp } from './warmup.js';

/** 'auto' (WASM when initialised and available, else the TS twin), 'wasm' or 'js'. */
export type BackendChoice = 'auto' | 'wasm' | 'js';

export interface InitOptions {
  /** Use this binary (or compiled module) instead of the embedded one (e.g. a debug build, or CSP setups). */
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
}

export interface Slot {
  backend: Backend;
  arena: Arena;
}

let wasmSlot: Slot | null = null;
let wasmModule: WebAssembly.Module | null = null;
let jsSlot: Slot | null = null;
let initPromise: Promise<InitResult> | null = null;
let initDone: InitResult | null = null;

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
}

/**
 * Compile and instantiate the WebAssembly module once (asynchronously). Safe to call many times: later
 * calls return the first call's promise. Never rejects because WebAssembly is unavailable: `auto` then
 * falls back to the TypeScript twin and the result says why. Unless `options.warmup` is false, the
 * kernels (and, through `internal.host`, the host code) are warmed on a scratch instance first.
 */
export function initRuntime(options?: InitOptions, internal: InitInternal = {}): Promise<InitResult> {
  // Arguments are checked on every call (a bad call is an error even after a successful init).
  const bad = checkInitOptions(options);
  if (bad) return Promise.reject(bad);
  if (initPromise) return initPromise;
  const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
  initPromise = (async () => {
    try {
      const backend = await instantiateWasm(options?.wasm);
      wasmModule = backend.module;
      const result: InitResult = { backend: 'wasm' };
      if (options?.warmup !== false) {
        const kernels = internal.kernels ?? true;
        const names = options?.warmupKernels;
        if (kernels && options?.warmup !== 'wait' && internal.background?.(backend.module, names)) {
          result.warmup = 'background';
        } else {
          // On a scratch instance: this slot's memory, arena and kernel globals stay untouched.
          const w = await warmUp(backend.module, {
            deadline: started + WARMUP_BUDGET_MS,
            calls: kernels ? WARMUP_CALLS.filter((c) => !names || names.includes(c.name)) : [],
            wait: internal.wait ?? kernels,
            host: internal.host ? (scratch) => runOnScratch(scratch, internal.host!) : undefined,
          });
          result.warmupMs = w.callsMs + w.waitMs;
          result.warmup = 'in-thread';
        }
      }
      wasmSlot = { backend, arena: new Arena(backend) };
      initDone = result;
    } catch (e) {
      if (e instanceof RobustRegError) throw e;
      const why = (e as Error)?.message ?? String(e);
      initDone = {
        backend: 'js',
        reason: options?.wasm !== undefined
          ? `the WebAssembly module given in options.wasm failed to load (${why}); using the TypeScript backend`
          : `WebAssembly unavailable (${why}); using the TypeScript backend`,
      };
    }
    return initDone;
  })();
  initPromise.catch(() => {
    initPromise = null;
  });
  return initPromise;
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
    if (key !== 'wasm' && key !== 'warmup' && key !== 'warmupKernels') return new RobustRegError('INVALID_INPUT', `init: unknown option ${JSON.stringify(key)}; valid options are wasm, warmup, warmupKernels`, { argument: key });
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

/** Resolve the backend for one fit. */
export function acquire(choice: BackendChoice, fn: string): Slot {
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
  try {
    return body();
  } catch (e) {
    if (e instanceof RobustRegError) throw e;
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
      throw new RobustRegError('INTERNAL', `the WebAssembly kernel trapped (${e.message}); this is a bug in robustreg — please report it with the input`, {});
    }
    throw e;
  } finally {
    busy = false;
    slot.arena.release(mark);
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
