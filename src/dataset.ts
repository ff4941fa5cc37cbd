// Dataset: data copied ONCE into a backend's linear memory (column-major), fitted many times
// (several losses, several τ) without copying again — the low-level tier of the two-tier API.
import { RobustRegError, describe } from './errors.js';
import { checkVectorShape, copyVec, copyX, shapeOf, type XInput } from './input.js';
import { formatBytes } from './memory.js';
import { checkOptionsObject, optBackend } from './options.js';
import { acquire, type Slot } from './runtime.js';

export interface DatasetOptions {
  /** Non-negative observation weights (length n), stored with the data. */
  weights?: ArrayLike<number>;
  /** Backend whose memory holds the data: 'auto' (default), 'wasm' or 'js'. */
  backend?: 'auto' | 'wasm' | 'js';
}

const MAX_ROWS = 2 ** 31 - 1;

export class Dataset {
  /** Number of observations. */
  readonly rows: number;
  /** Number of columns of X. */
  readonly cols: number;
  /** @internal */ readonly slot: Slot;
  /** @internal byte offsets of X (column-major, rows × cols), y, weights (0 = none). */
  readonly pX: number;
  readonly pY: number;
  readonly pW: number;
  /** @internal number of rows with positive weight. */
  readonly nPos: number;
  private block: number | null;

  /** @internal use Dataset.from or Dataset.builder. */
  constructor(slot: Slot, rows: number, cols: number, pX: number, pY: number, pW: number, nPos: number, block: number) {
    this.slot = slot;
    this.rows = rows;
    this.cols = cols;
    this.pX = pX;
    this.pY = pY;
    this.pW = pW;
    this.nPos = nPos;
    this.block = block;
  }

  /** Copy X, y (and weights) into linear memory once. Requires `await init()` unless backend is 'js'. */
  static from(X: XInput, y: ArrayLike<number>, options?: DatasetOptions): Dataset {
    const o = checkOptionsObject(options, ['weights', 'backend'], 'Dataset.from');
    const slot = acquire(optBackend(o), 'Dataset.from');
    const shape = shapeOf(X);
    const { n, p } = shape;
    if (n === 0) throw new RobustRegError('INVALID_INPUT', 'Dataset.from: X has no rows; at least one observation is needed', { argument: 'X', rows: 0 });
    const yv = checkVectorShape(y, n, 'y');
    const wv = o.weights === undefined ? undefined : checkVectorShape(o.weights, n, 'weights');
    const [pX, pY, pW] = slot.arena.allocMany([8 * n * p, 8 * n, wv ? 8 * n : 0], `Dataset.from (n = ${n}, p = ${p})`, true);
    try {
      const f64 = slot.backend.f64();
      copyX(X, shape, f64, pX);
      copyVec(yv, f64, pY, 'y');
      const nPos = wv ? copyWeights(wv, f64, pW) : n;
      return new Dataset(slot, n, p, pX, pY, wv ? pW : 0, nPos, pX);
    } catch (e) {
      slot.arena.freeBlock(pX);
      throw e;
    }
  }

  /**
   * Build a dataset from row chunks without holding the whole matrix in JS memory. `capacity`
   * (rows) avoids regrowth; without it the buffer doubles as needed.
   */
  static builder(cols: number, options?: { weights?: boolean; backend?: 'auto' | 'wasm' | 'js'; capacity?: number }): DatasetBuilder {
    const o = checkOptionsObject(options, ['weights', 'backend', 'capacity'], 'Dataset.builder');
    if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 0) {
      throw new RobustRegError('INVALID_INPUT', `Dataset.builder: cols must be a non-negative integer, received ${describe(cols)}`, { argument: 'cols', value: cols });
    }
    const cap = o.capacity === undefined ? 1024 : o.capacity;
    if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1 || cap > MAX_ROWS) {
      throw new RobustRegError('INVALID_INPUT', `Dataset.builder: option capacity must be an integer in [1, ${MAX_ROWS}], received ${describe(cap)}`, { argument: 'capacity', value: cap });
    }
    if (o.weights !== undefined && typeof o.weights !== 'boolean') {
      throw new RobustRegError('INVALID_INPUT', `Dataset.builder: option weights must be true or false, received ${describe(o.weights)}`, { argument: 'weights', value: o.weights });
    }
    return new DatasetBuilder(acquire(optBackend(o), 'Dataset.builder'), cols, o.weights === true, cap);
  }

  get disposed(): boolean {
    return this.block === null;
  }

  /** Bytes of linear memory held. */
  get byteLength(): number {
    return this.block === null ? 0 : 8 * this.rows * (this.cols + 1 + (this.pW ? 1 : 0));
  }

  /** @internal throws when disposed. */
  check(fn: string): void {
    if (this.block === null) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset has been disposed; create a new one with Dataset.from`, { argument: 'X' });
    }
  }

  /** Copies of the stored data (X column-major), e.g. to send to a worker. */
  toArrays(): { X: { data: Float64Array; rows: number; cols: number; layout: 'column-major' }; y: Float64Array; weights?: Float64Array } {
    this.check('Dataset.toArrays');
    const f = this.slot.backend.f64();
    const n = this.rows;
    const X = { data: f.slice(this.pX >>> 3, (this.pX >>> 3) + n * this.cols), rows: n, cols: this.cols, layout: 'column-major' as const };
    const y = f.slice(this.pY >>> 3, (this.pY >>> 3) + n);
    return this.pW ? { X, y, weights: f.slice(this.pW >>> 3, (this.pW >>> 3) + n) } : { X, y };
  }

  /** Free the memory. Idempotent. Using the dataset afterwards is a clear error. */
  dispose(): void {
    if (this.block === null) return;
    this.slot.arena.freeBlock(this.block);
    this.block = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function copyWeights(wv: ArrayLike<number>, f64: Float64Array, pW: number): number {
  const sum = copyVec(wv, f64, pW, 'weights', true);
  if (!(sum > 0)) throw new RobustRegError('INVALID_INPUT', 'weights are all zero; at least one observation needs a positive weight', { argument: 'weights' });
  let nPos = 0;
  for (let i = 0; i < wv.length; i++) if (wv[i] > 0) nPos++;
  return nPos;
}

/** Appends row chunks straight into linear memory (column-major), growing geometrically. */
export class DatasetBuilder {
  private readonly slot: Slot;
  readonly cols: number;
  private readonly hasW: boolean;
  private cap: number;
  private n = 0;
  private block: number | null;
  private pX = 0;
  private pY = 0;
  private pW = 0;
  private nPos = 0;
  private wsum = 0;

  /** @internal */
  constructor(slot: Slot, cols: number, hasW: boolean, cap: number) {
    this.slot = slot;
    this.cols = cols;
    this.hasW = hasW;
    this.cap = cap;
    this.block = null;
    this.allocate(cap);
  }

  get rows(): number {
    return this.n;
  }

  private allocate(cap: number): void {
    const p = this.cols;
    const [pX, pY, pW] = this.slot.arena.allocMany([8 * cap * p, 8 * cap, this.hasW ? 8 * cap : 0],
      `Dataset.builder (capacity ${cap} rows × ${p} columns, ${formatBytes(8 * cap * (p + 2))})`, true);
    const f = this.slot.backend.f64();
    if (this.block !== null) {
      for (let j = 0; j < p; j++) f.copyWithin((pX >>> 3) + j * cap, (this.pX >>> 3) + j * this.cap, (this.pX >>> 3) + j * this.cap + this.n);
      f.copyWithin(pY >>> 3, this.pY >>> 3, (this.pY >>> 3) + this.n);
      if (this.hasW) f.copyWithin(pW >>> 3, this.pW >>> 3, (this.pW >>> 3) + this.n);
      this.slot.arena.freeBlock(this.block);
    }
    this.block = pX;
    this.pX = pX;
    this.pY = pY;
    this.pW = pW;
    this.cap = cap;
  }

  /** Append rows (number[][] or {data, rows, cols, layout}), their y and (if enabled) weights. */
  append(X: XInput, y: ArrayLike<number>, weights?: ArrayLike<number>): this {
    if (this.block === null) throw new RobustRegError('INVALID_INPUT', 'DatasetBuilder.append: the builder is finished or disposed', {});
    const shape = shapeOf(X);
    if (shape.n === 0) return this;
    if (shape.p !== this.cols) {
      throw new RobustRegError('DIMENSION_MISMATCH', `DatasetBuilder.append: X has ${shape.p} columns but the builder has ${this.cols}`, { argument: 'X', cols: shape.p, expected: this.cols });
    }
    const yv = checkVectorShape(y, shape.n, 'y');
    if (this.hasW !== (weights !== undefined)) {
      throw new RobustRegError('INVALID_INPUT', `DatasetBuilder.append: ${this.hasW ? 'weights are required (the builder was created with weights: true)' : 'weights were given but the builder was created without weights: true'}`, { argument: 'weights' });
    }
    const wv = weights === undefined ? undefined : checkVectorShape(weights, shape.n, 'weights');
    if (this.n + shape.n > MAX_ROWS) throw new RobustRegError('OUT_OF_MEMORY', `DatasetBuilder.append: more than ${MAX_ROWS} rows`, {});
    if (this.n + shape.n > this.cap) this.allocate(Math.min(MAX_ROWS, Math.max(this.n + shape.n, 2 * this.cap)));
    // copy the chunk: stage it in a scoped region (validation may throw half-way: the dataset stays intact)
    const a = this.slot.arena;
    const mark = a.mark();
    try {
      const [pc, py, pw] = a.allocMany([8 * shape.n * shape.p, 8 * shape.n, wv ? 8 * shape.n : 0], 'DatasetBuilder.append');
      const f = this.slot.backend.f64();
      copyX(X, shape, f, pc);
      copyVec(yv, f, py, 'y');
      let sum = 0;
      let pos = 0;
      if (wv) {
        sum = copyVec(wv, f, pw, 'weights', true);
        for (let i = 0; i < wv.length; i++) if (wv[i] > 0) pos++;
      }
      for (let j = 0; j < this.cols; j++) f.copyWithin((this.pX >>> 3) + j * this.cap + this.n, (pc >>> 3) + j * shape.n, (pc >>> 3) + (j + 1) * shape.n);
      f.copyWithin((this.pY >>> 3) + this.n, py >>> 3, (py >>> 3) + shape.n);
      if (wv) f.copyWithin((this.pW >>> 3) + this.n, pw >>> 3, (pw >>> 3) + shape.n);
      this.n += shape.n;
      this.wsum += sum;
      this.nPos += wv ? pos : shape.n;
    } finally {
      a.release(mark);
    }
    return this;
  }

  /** Compact to exactly `rows` rows and hand over a Dataset (the builder is then finished). */
  finish(): Dataset {
    if (this.block === null) throw new RobustRegError('INVALID_INPUT', 'DatasetBuilder.finish: the builder is finished or disposed', {});
    const n = this.n;
    if (n === 0) {
      this.dispose();
      throw new RobustRegError('INVALID_INPUT', 'DatasetBuilder.finish: no rows were appended', { argument: 'rows' });
    }
    if (this.hasW && !(this.wsum > 0)) {
      this.dispose();
      throw new RobustRegError('INVALID_INPUT', 'weights are all zero; at least one observation needs a positive weight', { argument: 'weights' });
    }
    // compact in place: column j moves from offset j·cap to j·n (never overlapping forward), then y, w
    const f = this.slot.backend.f64();
    const p = this.cols;
    const x0 = this.pX >>> 3;
    for (let j = 1; j < p; j++) f.copyWithin(x0 + j * n, x0 + j * this.cap, x0 + j * this.cap + n);
    const pY = this.pX + 8 * n * p;
    f.copyWithin(pY >>> 3, this.pY >>> 3, (this.pY >>> 3) + n);
    let pW = 0;
    if (this.hasW) {
      pW = pY + 8 * n;
      f.copyWithin(pW >>> 3, this.pW >>> 3, (this.pW >>> 3) + n);
    }
    const ds = new Dataset(this.slot, n, p, this.pX, pY, pW, this.nPos, this.block);
    this.block = null;
    return ds;
  }

  /** Abandon the builder and free its memory. */
  dispose(): void {
    if (this.block !== null) this.slot.arena.freeBlock(this.block);
    this.block = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
