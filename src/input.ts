// Validation and marshaling of user inputs into a backend's linear memory. Everything the caller
// passes is read, never written. Values are checked (finite, shapes) while they are copied, so each
// input is touched once.
import { RobustRegError, describe } from './errors.js';

/** A dense matrix in one buffer. Default layout: row-major. */
export interface MatrixLike {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
  layout?: 'row-major' | 'column-major';
}

/** `number[][]` (one array per row) or a dense buffer with its shape. */
export type XInput = ArrayLike<ArrayLike<number>> | MatrixLike;

export interface Shape {
  n: number;
  p: number;
}

function isMatrixLike(X: unknown): X is MatrixLike {
  return typeof X === 'object' && X !== null && !Array.isArray(X) && 'data' in X && 'rows' in X && 'cols' in X;
}

function checkCount(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new RobustRegError('INVALID_INPUT', `${name} must be a non-negative integer, received ${describe(v)}`, { argument: name, value: v });
  }
  return v;
}

/** Shape of X, with structural validation (no value checks: those happen during the copy). */
export function shapeOf(X: unknown, argName = 'X'): Shape {
  if (isMatrixLike(X)) {
    const rows = checkCount(`${argName}.rows`, X.rows);
    const cols = checkCount(`${argName}.cols`, X.cols);
    const d = X.data as unknown;
    if (!(ArrayBuffer.isView(d) || Array.isArray(d)) || typeof (d as ArrayLike<number>).length !== 'number') {
      throw new RobustRegError('INVALID_INPUT', `${argName}.data must be a Float64Array (or another array of numbers), received ${describe(d)}`, { argument: `${argName}.data` });
    }
    if (X.layout !== undefined && X.layout !== 'row-major' && X.layout !== 'column-major') {
      throw new RobustRegError('INVALID_INPUT', `${argName}.layout must be 'row-major' or 'column-major', received ${describe(X.layout)}`, { argument: `${argName}.layout`, value: X.layout });
    }
    const len = (d as ArrayLike<number>).length;
    if (len !== rows * cols) {
      throw new RobustRegError('DIMENSION_MISMATCH', `${argName}.data has length ${len} but ${argName}.rows × ${argName}.cols = ${rows} × ${cols} = ${rows * cols}`, { argument: `${argName}.data`, length: len, rows, cols });
    }
    return { n: rows, p: cols };
  }
  if (!Array.isArray(X) && !(typeof X === 'object' && X !== null && typeof (X as ArrayLike<unknown>).length === 'number' && !ArrayBuffer.isView(X))) {
    throw new RobustRegError('INVALID_INPUT', `${argName} must be an array of rows (number[][]) or { data, rows, cols, layout }, received ${describe(X)}`, { argument: argName });
  }
  const arr = X as ArrayLike<unknown>;
  const n = arr.length;
  if (n === 0) return { n: 0, p: 0 };
  const first = arr[0];
  if (!isRow(first)) {
    throw new RobustRegError('INVALID_INPUT', `${argName}[0] must be an array of numbers (one row of X), received ${describe(first)}`, { argument: `${argName}[0]` });
  }
  const p = (first as ArrayLike<number>).length;
  for (let i = 1; i < n; i++) {
    const row = arr[i];
    if (!isRow(row)) {
      throw new RobustRegError('INVALID_INPUT', `${argName}[${i}] must be an array of numbers (one row of X), received ${describe(row)}`, { argument: `${argName}[${i}]` });
    }
    if ((row as ArrayLike<number>).length !== p) {
      throw new RobustRegError('DIMENSION_MISMATCH', `${argName} is ragged: ${argName}[${i}] has ${(row as ArrayLike<number>).length} values but ${argName}[0] has ${p}`, { argument: `${argName}[${i}]`, row: i, length: (row as ArrayLike<number>).length, expected: p });
    }
  }
  return { n, p };
}

function isRow(r: unknown): boolean {
  return Array.isArray(r) || (ArrayBuffer.isView(r) && !(r instanceof DataView));
}

function nonFinite(argName: string, where: string, v: unknown): RobustRegError {
  if (typeof v !== 'number') {
    return new RobustRegError('INVALID_INPUT', `${argName}${where} must be a number, received ${describe(v)}`, { argument: `${argName}${where}`, value: v });
  }
  return new RobustRegError('NON_FINITE', `${argName}${where} is ${describe(v)}; every value must be a finite number`, { argument: `${argName}${where}`, value: v });
}

/**
 * Copy X into `f64` at byte offset `ptr` as column-major n×p (column stride `ld` ≥ n rows), checking
 * every value. Throws RobustRegError naming the first bad entry.
 */
export function copyX(X: XInput, shape: Shape, f64: Float64Array, ptr: number, ld: number = shape.n, argName = 'X'): void {
  const { n, p } = shape;
  const base = ptr >>> 3;
  if (isMatrixLike(X)) {
    const d = X.data;
    const colMajor = X.layout === 'column-major';
    for (let j = 0; j < p; j++) {
      const o = base + j * ld;
      for (let i = 0; i < n; i++) {
        const v = colMajor ? d[j * n + i] : d[i * p + j];
        if (typeof v !== 'number' || v - v !== 0) {
          throw nonFinite(`${argName}.data`, `[${colMajor ? j * n + i : i * p + j}] (row ${i}, column ${j})`, v);
        }
        f64[o + i] = v;
      }
    }
    return;
  }
  const rows = X as ArrayLike<ArrayLike<number>>;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    let o = base + i;
    for (let j = 0; j < p; j++, o += ld) {
      const v = row[j];
      if (typeof v !== 'number' || v - v !== 0) throw nonFinite(argName, `[${i}][${j}]`, v);
      f64[o] = v;
    }
  }
}

/** Validate a length-n vector argument (y or weights) without copying. */
export function checkVectorShape(v: unknown, n: number, argName: string): ArrayLike<number> {
  if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))) {
    throw new RobustRegError('INVALID_INPUT', `${argName} must be an array of numbers (or a typed array), received ${describe(v)}`, { argument: argName });
  }
  const len = (v as ArrayLike<number>).length;
  if (len !== n) {
    throw new RobustRegError('DIMENSION_MISMATCH', `${argName} has length ${len} but X has ${n} rows`, { argument: argName, length: len, expected: n });
  }
  return v as ArrayLike<number>;
}

/** Copy a vector into memory, checking finiteness (and non-negativity when `nonNegative`). Returns its sum. */
export function copyVec(v: ArrayLike<number>, f64: Float64Array, ptr: number, argName: string, nonNegative = false): number {
  const base = ptr >>> 3;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || x - x !== 0) throw nonFinite(argName, `[${i}]`, x);
    if (nonNegative && !(x >= 0)) {
      throw new RobustRegError('INVALID_INPUT', `${argName}[${i}] is ${describe(x)}; weights must be non-negative`, { argument: `${argName}[${i}]`, value: x });
    }
    f64[base + i] = nonNegative && x === 0 ? 0 : x; // -0 weights become +0
    sum += x;
  }
  return sum;
}
