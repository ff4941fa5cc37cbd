// robustreg — robust linear regression (L1/LAD, quantile, Huber, smooth-L1) and NIST-accurate least
// squares, with AssemblyScript/WebAssembly kernels and a pure-TypeScript twin.
export { isInitialized, memoryStats, type InitOptions, type InitResult } from './backend/runtime.js';
export { init } from './async/startup.js';
export { fit, ols, lad, quantile, type FitOptions, type QuantileOptions, type QuantileSetResult } from './fit/api.js';
export type { L1Options, L2Options } from './fit/solvers.js';
export { RobustRegError, type ErrorCode } from './errors.js';
export type { FitResult, L2Result, L1Result, Certificate } from './fit/result.js';
export type { FitStatus } from './fit/status.js';
export type { XInput, MatrixLike } from './data/input.js';
export type { Loss, Progress, BackendChoice } from './data/options.js';
export { Dataset, DatasetBuilder, ColumnWriter, type DatasetOptions } from './data/dataset.js';
export { modelFrame, type ModelFrame, type ModelFrameOptions, type FrameInfo, type FrameTerm, type ColumnLike, type ColumnTable, type FactorColumn } from './data/frame.js';
export { configureWorkers, fitAsync, terminateWorkers, workerStats, type FitAsyncOptions, type WorkerOptions, type WorkerStats } from './async/fit-async.js';
export { huber, smoothL1, solvePath, lambdaMax, type HuberOptions, type HuberResult, type SmoothL1Options, type SmoothL1Result, type PathOptions, type LambdaMaxOptions } from './fit/robust.js';
export { GramAccumulator, type GramAccumulatorOptions, type GramSolveOptions, type GramAccumulatorJSON, type GramMoments } from './fit/accumulator.js';
export { mm, type MMOptions, type MMResult, type MMInit, type MMStart } from './fit/mm.js';
export { lts, type LtsOptions, type LtsResult, type LtsRawFit } from './fit/lts.js';
export {
  summary, formatSummary, quantileProcess, processAt, quantileTest,
  type QuantileTest, type QuantileTestOptions, type QuantileTestRow,
  type QuantileProcess, type QuantileProcessOptions, type ProcessPiece, type ProcessCertificate,
  type Summary, type SummaryOptions, type CoefficientRow, type SummarizableResult,
  type QuantileSe, type L2Vcov, type HuberVcov, type Bandwidth, type RankSummary, type RankBounds,
} from './inference/index.js';
export {
  normalCdf, normalQuantile, studentTCdf, studentTQuantile, fCdf, fSf,
} from './inference/index.js';
export { median, weightedMedian, weightedQuantile } from './fit/stats.js';
export { hatValues, type HatValuesOptions } from './inference/leverage.js';
export * as sql from './sql/index.js';
export type {
  SqlDatabase, SqlProgress, SqlDialect, SqlMomentsOptions, SqlMomentsQuery, SqlLeastSquaresOptions, SqlL2Result,
  SqlQuantileOptions, SqlL1Result,
} from './sql/index.js';
