// Dataset: data copied ONCE into a backend's linear memory (column-major), fitted many times
// (several losses, several τ) without copying again — the low-level tier of the two-tier API.
// X is stored as float64, or as float32 with { precision: 'f32' } (half the memory; every kernel
// widens each entry to f64 on load and computes in f64, so the fit is the f64 fit of fl32(X):
// docs/large-data.md). y and the weights are always float64.
import type { Backend } from '../abi/kernels.js';
import { RobustRegError, describe } from '../errors.js';
import { planFrame, type ColumnTable, type FrameInfo, type ModelFrameOptions } from './frame.js';
import { F32_OVERFLOW, checkVectorShape, copyVec, copyX, readXyw, shapeOf, type XInput } from './input.js';
import { alignUp, formatBytes } from '../backend/arena.js';
import { checkOptionsObject, optBackend } from './options.js';
import { acquire, type Slot } from '../backend/runtime.js';

/** Storage precision of X: 'f64' (default) or 'f32' (half the memory; y and weights stay f64). */
export type Precision = 'f64' | 'f32';

export interface DatasetOptions {
  /** Non-negative observation weights (length n), stored with the data. */
  weights?: ArrayLike<number>;
  /** Backend whose memory holds the data: 'auto' (default), 'wasm' or 'js'. */
  backend?: 'auto' | 'wasm' | 'js';
  /**
   * Storage of X: 'f64' (default) or 'f32' — 4 bytes per entry instead of 8. Fits read the float32
   * values exactly and compute in float64: the result is the float64-accurate fit of X rounded to
   * float32 (relative rounding ≤ 2^-24 per entry). y and weights are always stored as float64.
   */
  precision?: Precision;
}

/** Float32 view of a backend's linear memory (fresh: views detach when memory grows). */
export function f32View(b: Backend): Float32Array {
  const f = b.f64();
  return new Float32Array(f.buffer, f.byteOffset, f.byteLength >>> 2);
}

/** The view X of this precision is stored through. */
export function xViewOf(b: Backend, precision: Precision): Float64Array | Float32Array {
  return precision === 'f32' ? f32View(b) : b.f64();
}

function optPrecision(o: Record<string, unknown>, fn: string): Precision {
  const v = o.precision;
  if (v === undefined) return 'f64';
  if (v !== 'f64' && v !== 'f32') {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option precision must be 'f64' or 'f32', received ${describe(v)}`, { argument: 'precision', value: v });
  }
  return v;
}

/** Bytes per X entry. */
function xEntryBytes(precision: Precision): number {
  return precision === 'f32' ? 4 : 8;
}

/**
 * Allocate the persistent block of a dataset (X, y, weights), checked before anything grows. Past
 * the wasm32 limit: OUT_OF_MEMORY naming the bytes needed and the largest n that fits (in both
 * precisions).
 */
function allocData(slot: Slot, what: string, n: number, p: number, precision: Precision, withW: boolean): number[] {
  const xe = xEntryBytes(precision);
  try {
    return slot.arena.allocMany([xe * n * p, 8 * n, withW ? 8 * n : 0], what, true);
  } catch (e) {
    if (!(e instanceof RobustRegError) || e.code !== 'OUT_OF_MEMORY') throw e;
    const d = e.details as { bytesAvailable?: number; bytesInUse?: number; bytesRequested?: number };
    // only the arena's size check (the wasm32 limit) is restated; an engine refusing to grow memory
    // below it (bytesRequested absent) keeps its own message
    if (d.bytesRequested === undefined || d.bytesAvailable === undefined) throw e;
    const free = Math.max(0, (d.bytesAvailable ?? 0) - (d.bytesInUse ?? 0) - 48);
    const rowsFit = (entry: number) => Math.floor(free / (entry * p + 8 + (withW ? 8 : 0)));
    const here = rowsFit(xe);
    const other = precision === 'f64' ? `; with precision 'f32' (4 bytes per X entry) about ${rowsFit(4)} rows would` : '';
    throw new RobustRegError('OUT_OF_MEMORY',
      `${what} needs ${formatBytes(d.bytesRequested ?? xe * n * p)} of WebAssembly memory (X at ${xe} bytes per entry, y${withW ? ', weights' : ''} at 8 bytes per row), beyond the wasm32 limit of 4 GiB${d.bytesInUse ? ` with ${formatBytes(d.bytesInUse)} already in use` : ''}: at most about ${here} rows of ${p} columns fit${other} (fits need workspace on top of that)`,
      { ...e.details, rows: n, cols: p, precision, largestRows: here });
  }
}

const MAX_ROWS = 2 ** 31 - 1;

export class Dataset {
  /** Number of observations. */
  readonly rows: number;
  /** Number of columns of X. */
  readonly cols: number;
  /** Storage precision of X ('f64' or 'f32'; y and weights are always f64). */
  readonly precision: Precision;
  /** @internal */ readonly slot: Slot;
  /** @internal byte offsets of X (column-major, rows × cols), y, weights (0 = none). */
  readonly pX: number;
  readonly pY: number;
  readonly pW: number;
  /** @internal number of rows with positive weight. */
  readonly nPos: number;
  /** Made by Dataset.fromColumns: the coefficient names, terms and the rows used or dropped. */
  frame?: FrameInfo;
  private block: number | null;

  /** @internal use Dataset.from or Dataset.builder. */
  constructor(slot: Slot, rows: number, cols: number, pX: number, pY: number, pW: number, nPos: number, block: number,
    precision: Precision = 'f64') {
    this.slot = slot;
    this.rows = rows;
    this.cols = cols;
    this.precision = precision;
    this.pX = pX;
    this.pY = pY;
    this.pW = pW;
    this.nPos = nPos;
    this.block = block;
  }

  /**
   * Copy X, y (and weights) into linear memory once. Requires `await init()` unless backend is 'js'.
   * `precision: 'f32'` stores X as float32 (values beyond ±3.4e38 are rejected).
   */
  static from(X: XInput, y: ArrayLike<number>, options?: DatasetOptions): Dataset {
    const o = checkOptionsObject(options, ['weights', 'backend', 'precision'], 'Dataset.from');
    const precision = optPrecision(o, 'Dataset.from');
    const slot = acquire(optBackend(o), 'Dataset.from');
    let ptrs: number[] = [];
    try {
      const r = readXyw('Dataset.from', X, y, o.weights, ({ n, p }, weighted) => {
        ptrs = allocData(slot, `Dataset.from (n = ${n}, p = ${p}, precision '${precision}')`, n, p, precision, weighted);
        return { x: xViewOf(slot.backend, precision), pX: ptrs[0], rows: n, f64: slot.backend.f64(), pY: ptrs[1], pW: ptrs[2] };
      });
      const [pX, pY, pW] = ptrs;
      return new Dataset(slot, r.n, r.p, pX, pY, r.weighted ? pW : 0, r.nPos, pX, precision);
    } catch (e) {
      if (ptrs.length) slot.arena.freeBlock(ptrs[0]);
      throw e;
    }
  }

  /**
   * Copy named columns (an object of arrays or typed arrays, an Apache Arrow Table, an Arquero
   * table) into linear memory once, through a model frame (src/frame.ts): numeric columns as they
   * are, logical columns as 0/1, text and dictionary columns as treatment-coded factors, rows with
   * a missing value (null, NaN) dropped (or refused with na: 'fail'). `dataset.frame` gives the
   * coefficient names (pass them to summary) and the rows used and dropped.
   */
  static fromColumns(table: ColumnTable, options: ModelFrameOptions & { backend?: 'auto' | 'wasm' | 'js'; precision?: Precision }): Dataset {
    const o = checkOptionsObject(options, ['y', 'x', 'factors', 'weights', 'rowNames', 'na', 'intercept', 'maxLevels', 'backend', 'precision'], 'Dataset.fromColumns');
    const precision = optPrecision(o, 'Dataset.fromColumns');
    const { backend, precision: _p, ...frameOptions } = o as Record<string, unknown>;
    const plan = planFrame(table, frameOptions as unknown as ModelFrameOptions, 'Dataset.fromColumns');
    const n = plan.rowIndex.length;
    const p = plan.cols;
    const slot = acquire(optBackend({ backend }), 'Dataset.fromColumns');
    const [pX, pY, pW] = allocData(slot, `Dataset.fromColumns (n = ${n}, p = ${p}, precision '${precision}')`, n, p, precision, plan.hasWeights);
    let ds: Dataset;
    try {
      // the frame's blocks go straight into linear memory (its values are checked finite already;
      // float32 storage also checks the range)
      const xe = xEntryBytes(precision);
      let r0 = 0;
      let nPos = 0;
      let wsum = 0;
      plan.forEachBlock(Math.min(n, 16384), (X, y, w, count) => {
        const xv = xViewOf(slot.backend, precision);
        const f = slot.backend.f64();
        if (precision === 'f32') {
          for (let k = 0; k < count * p; k++) {
            if (Math.abs(X[k]) >= F32_OVERFLOW) {
              const j = Math.floor(k / count);
              throw new RobustRegError('NON_FINITE', `Dataset.fromColumns: column ${JSON.stringify(plan.names[j])}, row ${plan.rowIndex[r0 + (k % count)]}: ${X[k]} is beyond the float32 range (precision 'f32')`, { argument: 'x', column: plan.names[j], row: plan.rowIndex[r0 + (k % count)] });
            }
          }
        }
        for (let j = 0; j < p; j++) xv.set(X.subarray(j * count, (j + 1) * count), pX / xe + j * n + r0);
        f.set(y.subarray(0, count), (pY >>> 3) + r0);
        if (w) {
          f.set(w.subarray(0, count), (pW >>> 3) + r0);
          for (let i = 0; i < count; i++) { wsum += w[i]; if (w[i] > 0) nPos++; }
        }
        r0 += count;
      });
      if (plan.hasWeights && !(wsum > 0)) throw new RobustRegError('INVALID_INPUT', 'Dataset.fromColumns: the weights of the rows used are all zero; at least one observation needs a positive weight', { argument: 'weights' });
      ds = new Dataset(slot, n, p, pX, pY, plan.hasWeights ? pW : 0, plan.hasWeights ? nPos : n, pX, precision);
    } catch (e) {
      slot.arena.freeBlock(pX);
      throw e;
    }
    const { forEachBlock: _f, cols: _c, hasWeights: _h, ...info } = plan;
    ds.frame = info;
    return ds;
  }

  /**
   * A ColumnWriter: `cols` X columns, y (and weights) written in place in linear memory by a
   * streaming reader, then `finish`ed through the model frame into a Dataset — one copy of the data.
   */
  static columnWriter(cols: number, options?: { weights?: boolean; backend?: 'auto' | 'wasm' | 'js'; capacity?: number; precision?: Precision }): ColumnWriter {
    const { o, precision, cap } = streamOptions('Dataset.columnWriter', cols, options);
    return new ColumnWriter(o.backend as 'auto' | 'wasm' | 'js' | undefined, cols, o.weights === true, cap, precision);
  }

  /**
   * Build a dataset from row chunks without holding the whole matrix in JS memory. `capacity`
   * (rows) avoids regrowth; without it the buffer doubles as needed.
   */
  static builder(cols: number, options?: { weights?: boolean; backend?: 'auto' | 'wasm' | 'js'; capacity?: number; precision?: Precision }): DatasetBuilder {
    const { o, precision, cap } = streamOptions('Dataset.builder', cols, options);
    if (o.weights !== undefined && typeof o.weights !== 'boolean') {
      throw new RobustRegError('INVALID_INPUT', `Dataset.builder: option weights must be true or false, received ${describe(o.weights)}`, { argument: 'weights', value: o.weights });
    }
    return new DatasetBuilder(acquire(optBackend(o), 'Dataset.builder'), cols, o.weights === true, cap, precision);
  }

  get disposed(): boolean {
    return this.block === null;
  }

  /** Bytes of linear memory held (X at 8 or 4 bytes per entry, y and weights at 8 per row). */
  get byteLength(): number {
    return this.block === null ? 0 : this.rows * (xEntryBytes(this.precision) * this.cols + 8 * (1 + (this.pW ? 1 : 0)));
  }

  /** @internal the kernels' xf32 argument: 1 when X is stored as float32. */
  get xf32(): number {
    return this.precision === 'f32' ? 1 : 0;
  }

  /** @internal a fresh view of linear memory in X's storage type (index base: pX / BYTES_PER_ELEMENT). */
  xView(): Float64Array | Float32Array {
    return xViewOf(this.slot.backend, this.precision);
  }

  /**
   * @internal throws when disposed, and (unless the caller reads X through xView()/xf32, `f32Ok`)
   * when X is stored as float32: code that reads pX as float64 must never see float32 bytes.
   */
  check(fn: string, f32Ok = false): void {
    if (this.block === null) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset has been disposed; create a new one with Dataset.from`, { argument: 'X' });
    }
    if (this.slot.retired) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset was built on the WebAssembly module that a later init({ wasm }) replaced; build it again (e.g. Dataset.from) after that init()`, { argument: 'X' });
    }
    if (this.precision === 'f32' && !f32Ok) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset stores X as float32 (precision 'f32'), which ${fn} does not read; create the Dataset with precision 'f64' or pass the rows as arrays`, { argument: 'X', precision: 'f32' });
    }
  }

  /**
   * Copies of the stored data (X column-major, a Float32Array for precision 'f32': the stored values
   * exactly), e.g. to send to a worker.
   */
  toArrays(): { X: { data: Float64Array | Float32Array; rows: number; cols: number; layout: 'column-major' }; y: Float64Array; weights?: Float64Array } {
    this.check('Dataset.toArrays', true);
    const f = this.slot.backend.f64();
    const n = this.rows;
    const xv = this.xView();
    const x0 = this.pX / xv.BYTES_PER_ELEMENT;
    const X = { data: xv.slice(x0, x0 + n * this.cols), rows: n, cols: this.cols, layout: 'column-major' as const };
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

/**
 * Numeric columns written in place in linear memory by a streaming reader (the CLI's CSV reader):
 * `cols` X columns (X's precision) and y (and weights) as float64, each `capacity` rows long. Write
 * through `views()` (fresh after every `grow`, which may grow memory and detach older views); `finish`
 * runs the model frame on what was written and compacts the rows it keeps in place into a Dataset.
 * Made by `Dataset.columnWriter`.
 */
export class ColumnWriter {
  /** @internal */ readonly slot: Slot;
  /** Columns of X. */
  readonly cols: number;
  /** @internal */ readonly hasW: boolean;
  /** Storage of X. */
  readonly precision: Precision;
  /** Rows each column can hold. */
  cap: number;
  private block: number | null = null;
  private pX = 0;
  private pY = 0;
  private pW = 0;

  /** @internal use Dataset.columnWriter. */
  constructor(backend: 'auto' | 'wasm' | 'js' | undefined, cols: number, hasW: boolean, cap: number, precision: Precision) {
    this.slot = acquire(optBackend({ backend }), 'Dataset.columnWriter');
    this.cols = cols;
    this.hasW = hasW;
    this.precision = precision;
    this.cap = 0;
    this.grow(cap, 0);
  }

  /** Views of the X columns (X's storage type), y and weights, each `cap` rows long (fresh after `grow`). */
  views(): { x: (Float64Array | Float32Array)[]; y: Float64Array; w?: Float64Array } {
    const xv = xViewOf(this.slot.backend, this.precision);
    const f = this.slot.backend.f64();
    const xe = xEntryBytes(this.precision);
    const x = Array.from({ length: this.cols }, (_, j) => xv.subarray(this.pX / xe + j * this.cap, this.pX / xe + (j + 1) * this.cap));
    const y = f.subarray(this.pY >>> 3, (this.pY >>> 3) + this.cap);
    return this.hasW ? { x, y, w: f.subarray(this.pW >>> 3, (this.pW >>> 3) + this.cap) } : { x, y };
  }

  /** Room for `cap` rows, keeping the first `n` of every column (may grow memory: take new views). */
  grow(cap: number, n: number): void {
    const p = this.cols;
    const [pX, pY, pW] = allocData(this.slot, `reading the data (capacity ${cap} rows × ${p} columns, precision '${this.precision}')`, cap, p, this.precision, this.hasW);
    if (this.block !== null) {
      const xv = xViewOf(this.slot.backend, this.precision);
      const f = this.slot.backend.f64();
      const xe = xEntryBytes(this.precision);
      for (let j = 0; j < p; j++) xv.copyWithin(pX / xe + j * cap, this.pX / xe + j * this.cap, this.pX / xe + j * this.cap + n);
      f.copyWithin(pY >>> 3, this.pY >>> 3, (this.pY >>> 3) + n);
      if (this.hasW) f.copyWithin(pW >>> 3, this.pW >>> 3, (this.pW >>> 3) + n);
      this.slot.arena.freeBlock(this.block);
    }
    this.block = pX;
    this.pX = pX;
    this.pY = pY;
    this.pW = pW;
    this.cap = cap;
  }

  /**
   * Keep the rows `rowIndex` (ascending) of the first rows, compacting in place (each destination
   * precedes its source), and hand the memory to a Dataset. Values must be checked already (finite;
   * weights ≥ 0); float32 X is checked here for overflow (±Infinity after rounding).
   */
  /**
   * The first `rows` rows through the model frame (`names`: the column names of y, of each X column
   * and of the weights; `intercept` as in ModelFrameOptions): every column must be numeric (NaN =
   * missing). Returns the Dataset (with `frame`); the writer is then finished.
   */
  finish(rows: number, names: { y: string; x: readonly string[]; weights?: string }, options?: { intercept?: boolean }): Dataset {
    if (this.block === null) throw new RobustRegError('INVALID_INPUT', 'ColumnWriter.finish: the writer is finished or disposed', {});
    if (!Number.isInteger(rows) || rows < 0 || rows > this.cap) {
      throw new RobustRegError('INVALID_INPUT', `ColumnWriter.finish: rows must be an integer in [0, ${this.cap}], received ${describe(rows)}`, { argument: 'rows', value: rows });
    }
    if (names.x.length !== this.cols || (names.weights !== undefined) !== this.hasW) {
      throw new RobustRegError('DIMENSION_MISMATCH', `ColumnWriter.finish: names must give ${this.cols} x columns${this.hasW ? ' and the weights' : ''}`, { argument: 'names' });
    }
    const v = this.views();
    const columns: Record<string, Float64Array | Float32Array> = { [names.y]: v.y.subarray(0, rows) };
    names.x.forEach((c, j) => (columns[c] = v.x[j].subarray(0, rows)));
    if (names.weights !== undefined) columns[names.weights] = v.w!.subarray(0, rows);
    const { forEachBlock: _f, cols: _c, hasWeights: _h, ...info } = planFrame(columns, {
      y: names.y, x: names.x, weights: names.weights, intercept: options?.intercept ?? true, na: 'omit',
    }, 'ColumnWriter.finish');
    const ds = this.compact(info.rowIndex, info.names);
    ds.frame = info;
    return ds;
  }

  private compact(rowIndex: Int32Array, names: readonly string[]): Dataset {
    if (this.block === null) throw new RobustRegError('INVALID_INPUT', 'ColumnWriter.finish: the writer is finished or disposed', {});
    const n = rowIndex.length;
    const p = this.cols;
    const xe = xEntryBytes(this.precision);
    const xv = xViewOf(this.slot.backend, this.precision);
    const f = this.slot.backend.f64();
    const x0 = this.pX / xe;
    // runs of consecutive kept rows move with copyWithin (all of them when nothing is dropped)
    const runs: number[] = [];
    for (let r = 0; r < n;) {
      let e = r + 1;
      while (e < n && rowIndex[e] === rowIndex[e - 1] + 1) e++;
      runs.push(r, e, rowIndex[r]);
      r = e;
    }
    const move = (a: Float64Array | Float32Array, d: number, src: number) => {
      for (let k = 0; k < runs.length; k += 3) a.copyWithin(d + runs[k], src + runs[k + 2], src + runs[k + 2] + runs[k + 1] - runs[k]);
    };
    for (let j = 0; j < p; j++) {
      const d = x0 + j * n, src = x0 + j * this.cap;
      move(xv, d, src);
      if (this.precision === 'f32') {
        for (let r = 0; r < n; r++) {
          const v = xv[d + r];
          if (v === Infinity || v === -Infinity) {
            throw new RobustRegError('NON_FINITE', `column ${JSON.stringify(names[j])}, row ${rowIndex[r]}: the value is beyond the float32 range (precision 'f32')`, { argument: 'x', column: names[j], row: rowIndex[r] });
          }
        }
      }
    }
    const pY = this.pX + alignUp(xe * n * p);
    const yd = pY >>> 3, ys = this.pY >>> 3;
    move(f, yd, ys);
    let pW = 0;
    let nPos = n;
    if (this.hasW) {
      pW = pY + alignUp(8 * n);
      const wd = pW >>> 3, ws = this.pW >>> 3;
      nPos = 0;
      let sum = 0;
      move(f, wd, ws);
      for (let r = 0; r < n; r++) {
        const v = f[wd + r];
        sum += v;
        if (v > 0) nPos++;
      }
      if (!(sum > 0)) throw new RobustRegError('INVALID_INPUT', 'the weights of the rows used are all zero; at least one observation needs a positive weight', { argument: 'weights' });
    }
    const ds = new Dataset(this.slot, n, p, this.pX, pY, pW, nPos, this.block, this.precision);
    this.block = null;
    return ds;
  }

  /** Abandon the writer and free its memory. Idempotent. */
  dispose(): void {
    if (this.block !== null) this.slot.arena.freeBlock(this.block);
    this.block = null;
  }
}

/** Appends row chunks straight into linear memory (column-major), growing geometrically. */
export class DatasetBuilder {
  private readonly slot: Slot;
  readonly cols: number;
  private readonly hasW: boolean;
  /** Storage precision of X. */
  readonly precision: Precision;
  private cap: number;
  private n = 0;
  private block: number | null;
  private pX = 0;
  private pY = 0;
  private pW = 0;
  private nPos = 0;
  private wsum = 0;

  /** @internal */
  constructor(slot: Slot, cols: number, hasW: boolean, cap: number, precision: Precision = 'f64') {
    this.slot = slot;
    this.cols = cols;
    this.hasW = hasW;
    this.precision = precision;
    this.cap = cap;
    this.block = null;
    this.allocate(cap);
  }

  get rows(): number {
    return this.n;
  }

  private allocate(cap: number): void {
    const p = this.cols;
    const xe = xEntryBytes(this.precision);
    const [pX, pY, pW] = allocData(this.slot,
      `Dataset.builder (capacity ${cap} rows × ${p} columns, precision '${this.precision}', ${formatBytes(cap * (xe * p + 8 * (this.hasW ? 2 : 1)))})`,
      cap, p, this.precision, this.hasW);
    const f = this.slot.backend.f64();
    if (this.block !== null) {
      const xv = xViewOf(this.slot.backend, this.precision);
      const nx = pX / xe, ox = this.pX / xe;
      for (let j = 0; j < p; j++) xv.copyWithin(nx + j * cap, ox + j * this.cap, ox + j * this.cap + this.n);
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
      const xe = xEntryBytes(this.precision);
      const [pc, py, pw] = a.allocMany([xe * shape.n * shape.p, 8 * shape.n, wv ? 8 * shape.n : 0], 'DatasetBuilder.append');
      copyX(X, shape, xViewOf(this.slot.backend, this.precision), pc);
      const f = this.slot.backend.f64();
      copyVec(yv, f, py, 'y');
      let sum = 0;
      let pos = 0;
      if (wv) {
        sum = copyVec(wv, f, pw, 'weights', true);
        for (let i = 0; i < wv.length; i++) if (wv[i] > 0) pos++;
      }
      const xv = xViewOf(this.slot.backend, this.precision);
      const dx = this.pX / xe, sx = pc / xe;
      for (let j = 0; j < this.cols; j++) xv.copyWithin(dx + j * this.cap + this.n, sx + j * shape.n, sx + (j + 1) * shape.n);
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
    const xe = xEntryBytes(this.precision);
    const xv = xViewOf(this.slot.backend, this.precision);
    const x0 = this.pX / xe;
    for (let j = 1; j < p; j++) xv.copyWithin(x0 + j * n, x0 + j * this.cap, x0 + j * this.cap + n);
    const pY = this.pX + alignUp(xe * n * p);
    f.copyWithin(pY >>> 3, this.pY >>> 3, (this.pY >>> 3) + n);
    let pW = 0;
    if (this.hasW) {
      pW = pY + alignUp(8 * n);
      f.copyWithin(pW >>> 3, this.pW >>> 3, (this.pW >>> 3) + n);
    }
    const ds = new Dataset(this.slot, n, p, this.pX, pY, pW, this.nPos, this.block, this.precision);
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

/**
 * The options shared by Dataset.columnWriter and Dataset.builder, checked in this order: the options
 * object, precision, cols (a non-negative integer), capacity (an integer in [1, MAX_ROWS], default 1024).
 */
function streamOptions(fn: string, cols: unknown, options: unknown): { o: Record<string, unknown>; precision: Precision; cap: number } {
  const o = checkOptionsObject(options, ['weights', 'backend', 'capacity', 'precision'], fn);
  const precision = optPrecision(o, fn);
  if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: cols must be a non-negative integer, received ${describe(cols)}`, { argument: 'cols', value: cols });
  }
  const cap = o.capacity === undefined ? 1024 : o.capacity;
  if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1 || cap > MAX_ROWS) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option capacity must be an integer in [1, ${MAX_ROWS}], received ${describe(cap)}`, { argument: 'capacity', value: cap });
  }
  return { o, precision, cap };
}
