// Must NOT compile under --strict (test/api/types.test.ts checks the errors): the general FitResult
// leaves loss-specific fields optional, and a precise result type does not widen its status.
import { fit, ols, type FitOptions } from '../../../src/index.js';

declare const options: FitOptions;
const X = [[1], [2]];
const y = [1, 2];
export const a: number = fit(X, y, options).certificate.gap; // error: possibly undefined (loss not a literal)
export const b: 'optimal' = ols(X, y).status; // error: 'solved' is not 'optimal'
