// A TypeScript consumer compiled under `tsc --strict` by test/api/types.test.ts: every
// loss-specific field of the precise result types is read without `!` or casts.
import { fit, huber, lad, ols, quantile, smoothL1, solvePath, GramAccumulator, type FitStatus } from '../../../src/index.js';

const X = [[1], [2], [3], [4], [5]];
const y = [1, 3, 5, 7, 100];

const gap: number = lad(X, y).certificate.gap;
const nonUnique: boolean = quantile(X, y, { tau: 0.25 }).nonUnique;
const dual: number = fit(X, y, { loss: 'quantile', tau: 0.5 }).certificate.dual;
const primal: number = fit(X, y, { loss: 'l1' }).certificate.primal;
const rcond: number = ols(X, y).rcond;
const method: 'cholesky' | 'cholesky-f64' | 'cholesky-f32' | 'qr' = fit(X, y, { loss: 'l2' }).method;
const lastCorrection: number = ols(X, y).lastCorrection;
const scale: number = huber(X, y).scale;
const outliers: Uint8Array = fit(X, y, { loss: 'huber' }).outliers;
const epsilon: number = fit(X, y, { loss: 'smooth-l1' }).epsilon;
const eps2: number = smoothL1(X, y).epsilon;
const pathGaps: number[] = solvePath('lambda', [1, 0.1], X, y).map((r) => r.certificate.gap);
const edge: number = quantile(X, y, { taus: [0.25, 0.75] })[0].edgeSteps;
const acc = new GramAccumulator(1);
const accRcond: number = acc.solve().rcond;
const status: FitStatus = huber(X, y).status;
const l2Status: 'solved' = ols(X, y).status;
const l1Status: 'optimal' | 'max-iterations' = lad(X, y).status;

export const consumed = [gap, nonUnique, dual, primal, rcond, method, lastCorrection, scale, outliers, epsilon, eps2, pathGaps, edge, accRcond, status, l2Status, l1Status];
