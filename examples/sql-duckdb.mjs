#!/usr/bin/env node
// Least squares and exact least-absolute-deviations regression over a Parquet file, with DuckDB
// doing the passes over the rows and robustreg the small exact solves (README "Beyond one machine").
//
//   npm install robustreg @duckdb/node-api
//   node examples/sql-duckdb.mjs [--rows 1000000]
//
// The file is generated here by DuckDB (y = 1 + 2·x1 − 3·x2 + Laplace noise, 5% gross outliers);
// point `source` at your own table, view or read_parquet('…/*.parquet') instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { init, sql } from 'robustreg';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const rows = Number(values.rows);

await init();
const conn = await (await DuckDBInstance.create(':memory:')).connect();
// the adapter: any object with query(text) → Promise<row objects>
const db = { query: async (text) => (await conn.runAndReadAll(text)).getRowObjectsJS() };

const dir = mkdtempSync(join(tmpdir(), 'robustreg-example-'));
const file = join(dir, 'points.parquet');
const u = (k) => `(((hash(i, ${k}) % 1000003) + 0.5) / 1000003.0)`;
await conn.run(`COPY (SELECT x1, x2, 1 + 2 * x1 - 3 * x2 + ln(${u(3)} / ${u(4)}) + CASE WHEN ${u(5)} < 0.05 THEN 40 ELSE 0 END AS y
  FROM (SELECT i, ${u(1)} * 10 AS x1, ${u(2)} * 10 AS x2 FROM range(${rows}) AS r(i))) TO '${file}' (FORMAT parquet)`);
const source = `read_parquet('${file}')`;

const l2 = await sql.leastSquares(db, source, { y: 'y', x: ['x1', 'x2'] });
console.log(`least squares: intercept ${l2.intercept.toFixed(4)}, coef ${Array.from(l2.coef, (b) => b.toFixed(4)).join(', ')} ` +
  `(${l2.queries} statements, ${l2.rowsFetched} row fetched) — pulled up by the outliers`);

const l1 = await sql.quantile(db, source, {
  y: 'y', x: ['x1', 'x2'], tau: 0.5,
  onProgress: (p) => console.log(`  ${p.stage}: ${p.queries} statements, ${p.rowsFetched} rows fetched`),
});
console.log(`least absolute deviations: intercept ${l1.intercept.toFixed(4)}, coef ${Array.from(l1.coef, (b) => b.toFixed(4)).join(', ')}, ` +
  `${l1.status} (gap ${l1.certificate.gap.toExponential(1)} on Σ ρ = ${l1.objective.toFixed(1)} over all ${l1.n} rows); ` +
  `${l1.rowsFetched} of ${l1.n} rows left the engine`);

conn.closeSync();
rmSync(dir, { recursive: true, force: true });
