// The only place that touches WebAssembly: decode the embedded binary, instantiate it once
// (asynchronously — browsers refuse large synchronous compiles), and wrap it as a Backend.
import { MAX_MEMORY_BYTES, PAGE_BYTES, type Backend, type Kernels } from '../abi/kernels.js';
import { RobustRegError } from '../errors.js';
import { progress } from '../abi/progress.js';
import { formatBytes } from './arena.js';
import { WASM_BASE64 } from './wasm.generated.js';

export type WasmSource = BufferSource | WebAssembly.Module;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The embedded (single-threaded release) binary's bytes. */
export function embeddedBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(WASM_BASE64);
}

/** Decode an AssemblyScript string (UTF-16, byte length stored 4 bytes before the pointer). */
function readAsString(mem: WebAssembly.Memory, ptr: number): string {
  ptr >>>= 0;
  if (ptr < 4 || ptr > mem.buffer.byteLength) return '';
  const len = new Uint32Array(mem.buffer, ptr - 4, 1)[0] >>> 1;
  const chars = new Uint16Array(mem.buffer, ptr, Math.min(len, 1024));
  return String.fromCharCode(...chars);
}

/** Pages of a shared memory's maximum, tried in this order (a browser may refuse to reserve 4 GiB). */
const SHARED_MAX_PAGES = [65536, 32768, 16384, 8192, 4096];

/**
 * A shared memory for the threaded build (its fixed maximum: the largest of SHARED_MAX_PAGES the
 * engine accepts). Arena accounting uses that maximum, so OUT_OF_MEMORY comes before a grow fails.
 */
export function sharedMemory(): WebAssembly.Memory {
  let last: unknown = null;
  for (const maximum of SHARED_MAX_PAGES) {
    try {
      const m = new WebAssembly.Memory({ initial: 2, maximum, shared: true });
      memoryMax.set(m, maximum * PAGE_BYTES);
      return m;
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`no shared WebAssembly memory could be created (${(last as Error)?.message ?? String(last)})`);
}

/** True when the module is the threaded build (it imports its memory). */
export function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.kind === 'memory');
}

/** Exports of the threaded build beyond the kernel set (assembly/par.ts, assembly/index.ts par_item). */
export interface ParExports {
  par_item(pass: number, pArgs: number, item: number, slot: number): void;
  par_set_slots(k: number): void;
}

/**
 * Instantiate the module (compiling it first unless given compiled). `env.progress` is the shared
 * progress hook unless `imports.progress` replaces it (the warm-up's scratch instance reports nowhere).
 * A threaded module (one that imports its memory) gets `imports.memory`, or a fresh shared memory of
 * its own (a scratch or fitAsync instance: then it runs single-threaded), and `imports.parRun` as its
 * env.par_run (absent: 0, the kernels run every block pass themselves), `parStart` / `parJoin` as
 * env.par_start / env.par_join (a pass in the background; absent: 0 and nothing to join).
 */
export async function instantiateWasm(source?: WasmSource, imports_?: {
  progress?: typeof progress;
  memory?: WebAssembly.Memory;
  parRun?: (pass: number, pArgs: number, items: number) => number;
  parStart?: (pass: number, pArgs: number, items: number) => number;
  parJoin?: () => void;
}): Promise<Backend & { module: WebAssembly.Module; par: ParExports | null }> {
  if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available in this environment');
  let memory: WebAssembly.Memory | null = null;
  let module: WebAssembly.Module = source instanceof WebAssembly.Module
    ? source
    : await WebAssembly.compile(source ?? decodeBase64(WASM_BASE64));
  const shared = importsMemory(module);
  if (shared) memory = imports_?.memory ?? sharedMemory();
  const imports = {
    env: {
      ...(shared ? {
        memory: memory!,
        par_run: imports_?.parRun ?? (() => 0),
        par_start: imports_?.parStart ?? (() => 0),
        par_join: imports_?.parJoin ?? (() => {}),
      } : {}),
      progress: imports_?.progress ?? progress,
      abort(msg: number, file: number, line: number, col: number): never {
        const m = memory ? readAsString(memory, msg) : '';
        const f = memory ? readAsString(memory, file) : '';
        throw new RobustRegError('INTERNAL', `kernel assertion failed: ${m} at ${f}:${line}:${col}`);
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  module = module as WebAssembly.Module;
  const exp = instance.exports as unknown as Kernels & ParExports & { memory: WebAssembly.Memory };
  memory = exp.memory;
  const mem = memory;
  // A shared memory's maximum is fixed at creation: the arena checks against it before growing.
  const maxBytes = shared ? sharedMaxBytes(mem) : MAX_MEMORY_BYTES;
  let f64 = new Float64Array(mem.buffer);
  let i32 = new Int32Array(mem.buffer);
  const refresh = () => {
    if (f64.buffer !== mem.buffer) {
      f64 = new Float64Array(mem.buffer);
      i32 = new Int32Array(mem.buffer);
    }
  };
  const kernels: Kernels = {
    heap_base: exp.heap_base,
    l2_work_bytes: exp.l2_work_bytes,
    l2_fit: exp.l2_fit,
    l1_work_bytes: exp.l1_work_bytes,
    l1_fit: exp.l1_fit,
    l1_glob: exp.l1_glob,
    l1_fresh: exp.l1_fresh,
    irls_work_bytes: exp.irls_work_bytes,
    irls_fit: exp.irls_fit,
    moments_work_bytes: exp.moments_work_bytes,
    moments: exp.moments,
    hc_work_bytes: exp.hc_work_bytes,
    hc_pass: exp.hc_pass,
    nid_rows: exp.nid_rows,
    nid_gram_work_bytes: exp.nid_gram_work_bytes,
    nid_gram: exp.nid_gram,
    nid_face: exp.nid_face,
    mm_work_bytes: exp.mm_work_bytes,
    mm_fit: exp.mm_fit,
    lts_work_bytes: exp.lts_work_bytes,
    lts_fit: exp.lts_fit,
    lts_resid: exp.lts_resid,
    collapse_work_bytes: exp.collapse_work_bytes,
    collapse_groups: exp.collapse_groups,
    collapse_build: exp.collapse_build,
  };
  return {
    name: 'wasm',
    module,
    par: shared ? { par_item: exp.par_item, par_set_slots: exp.par_set_slots } : null,
    kernels,
    maxBytes,
    byteLength: () => mem.buffer.byteLength,
    grow(bytes: number) {
      const have = mem.buffer.byteLength;
      if (bytes <= have) return;
      const pages = Math.ceil((bytes - have) / PAGE_BYTES);
      try {
        mem.grow(pages);
      } catch (e) {
        throw new RobustRegError(
          'OUT_OF_MEMORY',
          `WebAssembly memory could not grow from ${formatBytes(have)} to ${formatBytes(have + pages * PAGE_BYTES)} (${shared ? 'shared memory maximum' : 'wasm32 limit'} ${formatBytes(maxBytes)}): ${(e as Error).message}`,
          { bytesNeeded: bytes, bytesAvailable: have },
        );
      }
      refresh();
    },
    f64: () => (refresh(), f64),
    i32: () => (refresh(), i32),
  };
}

/** The maximum of a shared memory (fixed at creation; recorded by sharedMemory()). A memory made
 *  elsewhere counts with the module's declared maximum, the wasm32 limit. */
function sharedMaxBytes(mem: WebAssembly.Memory): number {
  return memoryMax.get(mem) ?? MAX_MEMORY_BYTES;
}

const memoryMax = new WeakMap<WebAssembly.Memory, number>();
