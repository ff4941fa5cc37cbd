// robustreg — robust linear regression (L1/LAD, quantile, Huber, smooth-L1) and NIST-accurate least
// squares, with AssemblyScript/WebAssembly kernels and a pure-TypeScript twin.
export { init, isInitialized, memoryStats, type InitOptions, type InitResult } from './runtime.js';
export { fit, ols, lad, quantile, type FitOptions, type QuantileOptions, type QuantileSetResult } from './api.js';
export type { L1Options, L2Options } from './solvers.js';
export { RobustRegError, type ErrorCode } from './errors.js';
export type { FitResult, Certificate } from './result.js';
export type { XInput, MatrixLike } from './input.js';
export type { Loss, Progress, BackendChoice } from './options.js';
export { Dataset, DatasetBuilder, type DatasetOptions } from './dataset.js';
export { modelFrame, type ModelFrame, type ModelFrameOptions, type FrameInfo, type FrameTerm, type ColumnLike, type ColumnTable, type FactorColumn } from './frame.js';
export { fitAsync, terminateWorkers, type FitAsyncOptions } from './async.js';
export { huber, smoothL1, solvePath, lambdaMax, type HuberOptions, type HuberResult, type SmoothL1Options, type SmoothL1Result, type PathOptions, type LambdaMaxOptions } from './robust.js';
export { GramAccumulator, type GramAccumulatorOptions, type GramSolveOptions, type GramAccumulatorJSON } from './accumulator.js';
export {
  summary, formatSummary,
  type Summary, type SummaryOptions, type CoefficientRow, type SummarizableResult,
  type QuantileSe, type L2Vcov, type HuberVcov, type Bandwidth,
} from './inference/index.js';
export {
  normalCdf, normalQuantile, studentTCdf, studentTQuantile, fCdf, fSf,
} from './inference/index.js';
export { median, weightedMedian, weightedQuantile } from './stats.js';
