/** Stable error codes. Messages name the argument, the valid range and the value received. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NON_FINITE'
  | 'DIMENSION_MISMATCH'
  | 'RANK_DEFICIENT'
  | 'OUT_OF_MEMORY'
  | 'NOT_INITIALIZED'
  | 'WASM_UNAVAILABLE'
  | 'CANCELLED'
  | 'NUMERICAL'
  | 'INTERNAL'
  | 'QUERY_FAILED'
  | 'DATA_CHANGED';

/** The one error type robustreg throws. `code` is stable; `details` carries machine-readable facts. */
export class RobustRegError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RobustRegError';
    this.code = code;
    this.details = details;
  }
}

/** Short, safe rendering of a received value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as { length: number }).length}`;
  return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
}
