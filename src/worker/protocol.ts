// Messages between fitAsync() and its worker.
import type { ErrorCode } from '../errors.js';

export interface FitRequest {
  type: 'fit';
  id: number;
  X: { data: Float64Array; rows: number; cols: number; layout: 'row-major' | 'column-major' };
  y: Float64Array;
  /** Serializable fit options (loss, tau, weights, …) — no functions, no signal. */
  options: Record<string, unknown>;
  module?: WebAssembly.Module;
}

export type WorkerReply =
  | { type: 'progress'; id: number; iteration: number; objective: number; gap: number }
  | { type: 'result'; id: number; result: Record<string, unknown> }
  | { type: 'error'; id: number; code: ErrorCode; message: string; details: Record<string, unknown> };
