// Inference for fitted models: summary() tables with standard errors, p-values and confidence
// intervals for every loss, formatSummary() for text output, and the distributions under them.
export {
  summary, QUANTILE_SE,
  type Summary, type SummaryOptions, type CoefficientRow, type SummarizableResult, type QuantileSe, type RankSummary,
} from './summary.js';
export type { RankBounds } from './rank.js';
export { formatSummary } from './format.js';
export { quantileTest, type QuantileTest, type QuantileTestOptions, type QuantileTestRow } from './wald.js';
export {
  quantileProcess, processAt,
  type QuantileProcess, type QuantileProcessOptions, type ProcessPiece, type ProcessCertificate,
} from './process.js';
export { bandwidth, type Bandwidth } from './quantile.js';
export type { L2Vcov } from './l2.js';
export type { HuberVcov } from './huber.js';
export {
  normalPdf, normalCdf, normalSf, normalQuantile,
  studentTPdf, studentTCdf, studentTSf, studentTTwoSided, studentTQuantile,
  fCdf, fSf, incompleteBeta, logGamma, logBeta,
} from './distributions.js';
