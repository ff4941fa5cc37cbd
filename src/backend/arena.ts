// Allocation of one backend's linear memory, owned by the host (kernels never allocate).
//
// A first-fit free list with coalescing over [heap_base, end of memory). Fits allocate their regions
// inside a scope (mark/release): everything allocated since a mark is freed by release(mark) in a
// `finally`, so an exception or a kernel trap cannot leak a region. Datasets allocate persistent
// blocks that live until dispose(). Memory grows only when no free block fits, so it stays bounded by
// the peak of live data + the largest fit, and repeated fits reuse the same bytes.
import { MAX_MEMORY_BYTES, type Backend } from '../abi/kernels.js';
import { RobustRegError } from '../errors.js';

const ALIGN = 16;

export class Arena {
  readonly backend: Backend;
  private base: number;
  /** End of the highest block ever handed out (memory above it is untouched). */
  private top: number;
  /** Free blocks below `top`, sorted by address, never adjacent (coalesced). */
  private free: Array<{ start: number; end: number }> = [];
  /** Live blocks: start → end. */
  private live = new Map<number, number>();
  /** Blocks allocated in scopes, in allocation order (release(mark) frees back to a mark). */
  private scoped: number[] = [];
  private liveBytes = 0;

  constructor(backend: Backend) {
    this.backend = backend;
    this.base = alignUp(backend.kernels.heap_base() >>> 0);
    this.top = this.base;
  }

  /** Bytes in live blocks. */
  get used(): number {
    return this.liveBytes;
  }

  /** Highest address ever used (what memory must hold). */
  get highWater(): number {
    return this.top;
  }

  mark(): number {
    return this.scoped.length;
  }

  release(mark: number): void {
    if (mark < 0 || mark > this.scoped.length) throw new RobustRegError('INTERNAL', `arena release to ${mark} outside [0, ${this.scoped.length}]`);
    while (this.scoped.length > mark) this.freeBlock(this.scoped.pop()!);
  }

  /**
   * Reserve regions of the given byte sizes (each 16-byte aligned) as one block, checked against the
   * wasm32 limit before anything grows. Scoped (freed by release) unless `persistent`.
   */
  allocMany(sizes: readonly number[], what = 'this fit', persistent = false): number[] {
    let total = 0;
    for (const s of sizes) total += alignUp(Math.max(0, s));
    total = Math.max(total, ALIGN);
    const start = this.allocBlock(total, what);
    if (!persistent) this.scoped.push(start);
    const ptrs: number[] = [];
    let p = start;
    for (const s of sizes) {
      ptrs.push(p);
      p += alignUp(Math.max(0, s));
    }
    return ptrs;
  }

  /**
   * This arena's blocks on another backend (init({ threads }) moving from the single-threaded build to
   * the threaded one): the bytes of [base, top) — every live block, so every Dataset — are copied to
   * the same addresses of `to`'s memory (grown as needed; OUT_OF_MEMORY, with nothing changed, when it
   * cannot hold them) and the new arena has the same blocks and free list. Only between fits (no
   * scoped block), and `to`'s heap must start at or below this base (both builds' heap_base is 1024).
   */
  moveTo(to: Backend): Arena {
    if (this.scoped.length) throw new RobustRegError('INTERNAL', 'arena moved while a fit holds scoped blocks');
    const next = new Arena(to);
    if (next.base > this.base) throw new RobustRegError('INTERNAL', `arena moved to a module whose heap starts at ${next.base}, above ${this.base}`);
    const max = Math.min(to.maxBytes ?? MAX_MEMORY_BYTES, MAX_MEMORY_BYTES);
    if (this.top > max) {
      throw new RobustRegError('OUT_OF_MEMORY', `the ${formatBytes(this.liveBytes)} in use do not fit the shared memory maximum of ${formatBytes(max)}`,
        { bytesNeeded: this.top, bytesAvailable: max });
    }
    if (this.top > to.byteLength()) to.grow(this.top);
    const src = this.backend.f64().buffer, dst = to.f64().buffer;
    new Uint8Array(dst, this.base, this.top - this.base).set(new Uint8Array(src, this.base, this.top - this.base));
    next.base = this.base;
    next.top = this.top;
    next.free = this.free.map((b) => ({ ...b }));
    next.live = new Map(this.live);
    next.liveBytes = this.liveBytes;
    return next;
  }

  /** Free a persistent block returned by allocMany(..., persistent = true) (its first pointer). */
  freeBlock(start: number): void {
    const end = this.live.get(start);
    if (end === undefined) throw new RobustRegError('INTERNAL', `free of unknown block ${start}`);
    this.live.delete(start);
    this.liveBytes -= end - start;
    // insert into the sorted free list and coalesce with neighbours
    const f = this.free;
    let lo = 0, hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f[mid].start < start) lo = mid + 1; else hi = mid;
    }
    let blk = { start, end };
    if (lo > 0 && f[lo - 1].end === start) {
      blk = f[lo - 1];
      blk.end = end;
      lo--;
      f.splice(lo, 1);
    }
    if (lo < f.length && f[lo].start === blk.end) {
      blk.end = f[lo].end;
      f.splice(lo, 1);
    }
    if (blk.end === this.top) {
      this.top = blk.start; // give the tail back to the bump region
    } else {
      f.splice(lo, 0, blk);
    }
  }

  private allocBlock(bytes: number, what: string): number {
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.end - b.start >= bytes) {
        const start = b.start;
        if (b.end - b.start === bytes) this.free.splice(i, 1); else b.start += bytes;
        this.live.set(start, start + bytes);
        this.liveBytes += bytes;
        return start;
      }
    }
    const start = this.top;
    const end = start + bytes;
    // A shared memory (threads) has a fixed maximum below the wasm32 limit: check against it.
    const max = Math.min(this.backend.maxBytes ?? MAX_MEMORY_BYTES, MAX_MEMORY_BYTES);
    if (end > max) {
      const need = this.liveBytes + bytes;
      const limit = max < MAX_MEMORY_BYTES ? 'shared memory maximum' : 'wasm32 limit';
      throw new RobustRegError(
        'OUT_OF_MEMORY',
        `${what} needs ${formatBytes(bytes)} of WebAssembly memory (data plus workspace)${this.liveBytes ? ` on top of ${formatBytes(this.liveBytes)} in use` : ''}, more than the ${limit} of ${formatBytes(max - this.base)} allows`,
        { bytesNeeded: need, bytesRequested: bytes, bytesInUse: this.liveBytes, bytesAvailable: max - this.base },
      );
    }
    if (end > this.backend.byteLength()) this.backend.grow(end);
    this.top = end;
    this.live.set(start, end);
    this.liveBytes += bytes;
    return start;
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
