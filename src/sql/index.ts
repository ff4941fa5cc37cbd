// sql: least squares and exact L1/quantile regression over tables that live in a SQL engine
// (DuckDB, PostgreSQL, Spark SQL, BigQuery, …). The engine does the passes over all rows (sums);
// robustreg does the small exact solves. `import { sql } from 'robustreg'`.
export { leastSquares, momentsQuery, type SqlLeastSquaresOptions, type SqlMomentsOptions, type SqlMomentsQuery, type SqlL2Result } from './moments.js';
export { quantile, type SqlQuantileOptions, type SqlL1Result } from './quantile.js';
export type { SqlDatabase, SqlProgress } from './session.js';
export type { SqlDialect } from './dialect.js';
