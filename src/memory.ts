// A stack (mark/release) arena over one backend's linear memory. Every fit marks, allocates its
// regions, and releases in a `finally`, so repeated fits reuse the same bytes and memory stays
// bounded by the largest fit; an exception or a kernel trap cannot leak a region.
import { MAX_MEMORY_BYTES, type Backend } from './backend.js';
import { RobustRegError } from './errors.js';

const ALIGN = 16;

export class Arena {
  readonly backend: Backend;
  private readonly base: number;
  private top: number;

  constructor(backend: Backend) {
    this.backend = backend;
    this.base = alignUp(backend.kernels.heap_base() >>> 0);
    this.top = this.base;
  }

  /** Bytes in use above the static data. */
  get used(): number {
    return this.top - this.base;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    if (mark < this.base || mark > this.top) throw new RobustRegError('INTERNAL', `arena release to ${mark} outside [${this.base}, ${this.top}]`);
    this.top = mark;
  }

  /**
   * Reserve regions of the given byte sizes (each 16-byte aligned) in one step: the total is checked
   * against the wasm32 limit before anything grows, so a too-large request fails cleanly.
   */
  allocMany(sizes: readonly number[], what = 'this fit'): number[] {
    let end = this.top;
    const ptrs: number[] = [];
    for (const s of sizes) {
      end = alignUp(end);
      ptrs.push(end);
      end += Math.max(0, s);
    }
    end = alignUp(end);
    if (end > MAX_MEMORY_BYTES) {
      const need = end - this.base;
      throw new RobustRegError(
        'OUT_OF_MEMORY',
        `${what} needs ${formatBytes(need)} of WebAssembly memory (data plus workspace), more than the wasm32 limit of ${formatBytes(MAX_MEMORY_BYTES - this.base)} available`,
        { bytesNeeded: need, bytesAvailable: MAX_MEMORY_BYTES - this.base },
      );
    }
    if (end > this.backend.byteLength()) this.backend.grow(end);
    this.top = end;
    return ptrs;
  }
}

export function alignUp(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB (${b} bytes)`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB (${b} bytes)`;
  return `${b} bytes`;
}
