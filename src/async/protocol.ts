// Messages between fitAsync() and its worker.
import type { ErrorCode } from '../errors.js';

export interface FitRequest {
  type: 'fit';
  id: number;
  /** Float32Array only for a Dataset with precision 'f32' (its stored values, exactly). */
  X: { data: Float64Array | Float32Array; rows: number; cols: number; layout: 'row-major' | 'column-major' };
  y: Float64Array;
  /** 'f32': the worker stores X in a Dataset of that precision and fits it (same bits as the caller's Dataset). */
  precision?: 'f32';
  /** Serializable fit options (loss, tau, weights, …) — no functions, no signal. */
  options: Record<string, unknown>;
  /** The compiled module: sent with a worker's first request only (the worker keeps its instance). */
  module?: WebAssembly.Module;
  /** With `module`: run init()'s warm-up in the worker (the main thread's init() skipped it). */
  warm?: boolean;
}

/** init()'s background warm-up: instantiate `module` and run the kernel warm-up table (then stay for fitAsync). */
export interface WarmRequest {
  type: 'warm';
  id: number;
  module: WebAssembly.Module;
  /** Kernel families to warm (default all). */
  kernels?: readonly string[];
}

export type WorkerRequest = FitRequest | WarmRequest;

export type WorkerReply =
  | { type: 'progress'; id: number; iteration: number; objective: number; gap: number }
  | { type: 'result'; id: number; result: Record<string, unknown> }
  | { type: 'error'; id: number; code: ErrorCode; message: string; details: Record<string, unknown> }
  | { type: 'warmed'; id: number; ms: number };
