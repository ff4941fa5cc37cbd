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

/** Decode an AssemblyScript string (UTF-16, byte length stored 4 bytes before the pointer). */
function readAsString(mem: WebAssembly.Memory, ptr: number): string {
  ptr >>>= 0;
  if (ptr < 4 || ptr > mem.buffer.byteLength) return '';
  const len = new Uint32Array(mem.buffer, ptr - 4, 1)[0] >>> 1;
  const chars = new Uint16Array(mem.buffer, ptr, Math.min(len, 1024));
  return String.fromCharCode(...chars);
}

/**
 * Instantiate the module (compiling it first unless given compiled). `env.progress` is the shared
 * progress hook unless `imports.progress` replaces it (the warm-up's scratch instance reports nowhere).
 */
export async function instantiateWasm(source?: WasmSource, imports_?: { progress?: typeof progress }): Promise<Backend & { module: WebAssembly.Module }> {
  if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available in this environment');
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    env: {
      progress: imports_?.progress ?? progress,
      abort(msg: number, file: number, line: number, col: number): never {
        const m = memory ? readAsString(memory, msg) : '';
        const f = memory ? readAsString(memory, file) : '';
        throw new RobustRegError('INTERNAL', `kernel assertion failed: ${m} at ${f}:${line}:${col}`);
      },
    },
  };
  let instance: WebAssembly.Instance;
  let module: WebAssembly.Module;
  if (source instanceof WebAssembly.Module) {
    module = source;
    instance = await WebAssembly.instantiate(source, imports);
  } else {
    const bytes: BufferSource = source ?? decodeBase64(WASM_BASE64);
    const out = (await WebAssembly.instantiate(bytes, imports)) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
    instance = out.instance;
    module = out.module;
  }
  const exp = instance.exports as unknown as Kernels & { memory: WebAssembly.Memory };
  memory = exp.memory;
  const mem = memory;
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
    irls_work_bytes: exp.irls_work_bytes,
    irls_fit: exp.irls_fit,
    moments_work_bytes: exp.moments_work_bytes,
    moments: exp.moments,
    hc_work_bytes: exp.hc_work_bytes,
    hc_pass: exp.hc_pass,
    mm_work_bytes: exp.mm_work_bytes,
    mm_fit: exp.mm_fit,
    lts_work_bytes: exp.lts_work_bytes,
    lts_fit: exp.lts_fit,
    collapse_work_bytes: exp.collapse_work_bytes,
    collapse_groups: exp.collapse_groups,
    collapse_build: exp.collapse_build,
  };
  return {
    name: 'wasm',
    module,
    kernels,
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
          `WebAssembly memory could not grow from ${formatBytes(have)} to ${formatBytes(have + pages * PAGE_BYTES)} (wasm32 limit ${formatBytes(MAX_MEMORY_BYTES)}): ${(e as Error).message}`,
          { bytesNeeded: bytes, bytesAvailable: have },
        );
      }
      refresh();
    },
    f64: () => (refresh(), f64),
    i32: () => (refresh(), i32),
  };
}
