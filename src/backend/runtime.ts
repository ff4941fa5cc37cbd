// Module state: the WebAssembly backend (instantiated once by init()), the TS twin, an arena per
// backend, and the choice between them. Nothing here runs at import time.
import type { Backend } from '../abi/kernels.js';
import { RobustRegError, describe } from '../errors.js';
import { jsBackend } from './twin.js';
import { Arena } from './arena.js';
import { instantiateWasm, type WasmSource } from './wasm.js';

/** 'auto' (WASM when initialised and available, else the TS twin), 'wasm' or 'js'. */
export type BackendChoice = 'auto' | 'wasm' | 'js';

export interface InitOptions {
  /** Use this binary (or compiled module) instead of the embedded one (e.g. a debug build, or CSP setups). */
  wasm?: WasmSource;
}

export interface InitResult {
  /** The backend `backend: 'auto'` will use. */
  backend: 'wasm' | 'js';
  /** Why WebAssembly is not used, when it is not (e.g. missing, or blocked by a Content-Security-Policy). */
  reason?: string;
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

/**
 * Compile and instantiate the WebAssembly module once (asynchronously). Safe to call many times: later
 * calls return the first call's promise. Never rejects because WebAssembly is unavailable: `auto` then
 * falls back to the TypeScript twin and the result says why.
 */
export function init(options?: InitOptions): Promise<InitResult> {
  // Arguments are checked on every call (a bad call is an error even after a successful init).
  const bad = checkInitOptions(options);
  if (bad) return Promise.reject(bad);
  if (initPromise) return initPromise;
  initPromise = (async () => {
    try {
      const backend = await instantiateWasm(options?.wasm);
      wasmModule = backend.module;
      wasmSlot = { backend, arena: new Arena(backend) };
      initDone = { backend: 'wasm' };
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

function checkInitOptions(options: unknown): RobustRegError | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return new RobustRegError('INVALID_INPUT', `init: options must be an object, received ${describe(options)}`, { argument: 'options' });
  }
  for (const key of Object.keys(options)) {
    if (key !== 'wasm') return new RobustRegError('INVALID_INPUT', `init: unknown option ${JSON.stringify(key)}; valid options are wasm`, { argument: key });
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
