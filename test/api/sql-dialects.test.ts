// The SQL robustreg emits for PostgreSQL, Spark SQL and BigQuery. What is run here, and what is not:
// - every statement of sql.leastSquares / sql.quantile in the 'postgres' dialect is parsed by the
//   real PostgreSQL parser (libpg-query: PostgreSQL's own grammar compiled to WebAssembly), and in
//   the 'spark' dialect by dt-sql-parser's SparkSQL grammar (ANTLR, from Spark's SqlBaseParser);
//   BigQuery has no parser on npm that we trust, so its statements are kept as golden files;
// - then the same statements are EXECUTED on DuckDB, with the dialect-specific functions the
//   statements use replaced by DuckDB macros of the same name and arity (xxhash64, pmod,
//   hashtextextended, farm_fingerprint, to_json_string; Spark's backtick quotes → double quotes;
//   BigQuery's FLOAT64 → an alias type): the fits must equal the DuckDB dialect's. The hash
//   functions differ from the engines' own, so the subsample differs; the optimum may not.
// - Nothing here ran on a real PostgreSQL, Spark or BigQuery server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse as pgParse } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, sql, type SqlDatabase, type SqlDialect } from '../../src/index.js';
import { openDuck, type Duck } from './sql-duckdb.js';

let duck: Duck;
let sparkValidate: (text: string) => unknown[];

beforeAll(async () => {
  await init();
  duck = await openDuck();
  // dt-sql-parser's ES build uses extensionless imports (for bundlers): bundle its Spark grammar once.
  const dir = mkdtempSync(join(tmpdir(), 'robustreg-spark-'));
  const entry = createRequire(import.meta.url).resolve('dt-sql-parser').replace(/index\.js$/, 'parser/spark/index.js');
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'spark.mjs'), logLevel: 'error' });
  const { SparkSQL } = await import(/* @vite-ignore */ pathToFileURL(join(dir, 'spark.mjs')).href);
  const spark = new SparkSQL();
  sparkValidate = (text) => spark.validate(text);
  await duck.conn.run(`CREATE TABLE pts AS SELECT i::DOUBLE AS "x1", ((hash(i, 9) % 1000) / 100.0) AS "Weird Name", 1.5 + 2 * i + ln(((hash(i, 1) % 997) + 0.5) / ((hash(i, 2) % 997) + 0.5)) AS y,
    0.5 + (hash(i, 3) % 100) / 100.0 AS w FROM range(30000) AS r(i)`);
  // DuckDB stand-ins for the other engines' functions (same names and arities as emitted)
  const arities = [3, 4, 5, 6, 7, 8];
  await duck.conn.run(`CREATE MACRO xxhash64${arities.map((k) => `(${Array.from({ length: k }, (_, i) => `a${i}`).join(', ')}) AS CAST(hash(${Array.from({ length: k }, (_, i) => `a${i}`).join(', ')}) >> 1 AS BIGINT)`).join(', ')}`);
  await duck.conn.run('CREATE MACRO pmod(a, b) AS ((a % b) + b) % b');
  await duck.conn.run('CREATE MACRO hashtextextended(s, seed) AS CAST(hash(s, seed) >> 1 AS BIGINT) - 4611686018427387904');
  await duck.conn.run('CREATE MACRO farm_fingerprint(s) AS CAST(hash(s) >> 1 AS BIGINT) - 4611686018427387904');
  await duck.conn.run('CREATE MACRO to_json_string(a) AS CAST(to_json(a) AS VARCHAR)');
  await duck.conn.run('CREATE TYPE FLOAT64 AS DOUBLE');
});

afterAll(() => duck?.close());

/** An adapter for `dialect`: checks each statement with the dialect's parser, then runs it on DuckDB. */
function shim(dialect: SqlDialect, seen: string[]): SqlDatabase {
  return {
    async query(text) {
      seen.push(text);
      if (dialect === 'postgres') await pgParse(text); // throws on a syntax error
      if (dialect === 'spark') {
        const errors = sparkValidate(text);
        if (errors.length) throw new Error(`Spark SQL grammar: ${JSON.stringify(errors).slice(0, 400)}`);
      }
      const duckText = dialect === 'spark' || dialect === 'bigquery' ? text.replace(/`/g, '"') : text;
      return duck.db.query(duckText);
    },
  };
}

const X = ['x1', 'Weird Name'];

describe('the parsers reject what they should (the checks can fail)', () => {
  it('PostgreSQL: a syntax error and Spark-style backticks are rejected', async () => {
    await expect(pgParse('SELEC 1')).rejects.toThrow();
    await expect(pgParse('SELECT `x` FROM t')).rejects.toThrow();
    await expect(pgParse('SELECT "x" FROM t')).resolves.toBeDefined();
  });
  it('Spark SQL: a syntax error is reported', () => {
    expect(sparkValidate('SELECT FROM WHERE').length).toBeGreaterThan(0);
    expect(sparkValidate('SELECT pmod(xxhash64(`a b`, 7), 10) FROM t')).toEqual([]);
  });
});

describe.each(['postgres', 'spark', 'bigquery'] as const)('dialect %s', (dialect) => {
  it('every statement of leastSquares and quantile parses, runs, and gives the DuckDB dialect\'s fit', async () => {
    const seen: string[] = [];
    const db = shim(dialect, seen);
    const l2 = await sql.leastSquares(db, 'pts', { y: 'y', x: X, weights: 'w', dialect });
    const l2d = await sql.leastSquares(duck.db, 'pts', { y: 'y', x: X, weights: 'w' });
    expect(Math.abs(l2.coef[0] - l2d.coef[0]) / Math.abs(l2d.coef[0])).toBeLessThan(1e-12);
    for (const tau of [0.5, 0.9]) {
      const q = await sql.quantile(db, 'pts', { y: 'y', x: X, tau, dialect });
      const qd = await sql.quantile(duck.db, 'pts', { y: 'y', x: X, tau });
      expect(q.sampleRows).toBeGreaterThan(0); // the globbing path ran (not the small-table path)
      expect(q.status).toBe('optimal');
      expect(Math.abs(q.objective - qd.objective) / qd.objective).toBeLessThan(1e-12);
    }
    // the statements use the dialect's spelling
    const all = seen.join('\n');
    if (dialect === 'postgres') expect(all).toMatch(/DOUBLE PRECISION[\s\S]*hashtextextended/);
    if (dialect === 'spark') expect(all).toMatch(/`Weird Name`[\s\S]*pmod\(xxhash64\(/);
    if (dialect === 'bigquery') expect(all).toMatch(/FLOAT64[\s\S]*FARM_FINGERPRINT\(TO_JSON_STRING\(\[/);
    expect(all).not.toMatch(/fsum/);
    console.log(`dialect ${dialect}: ${seen.length} statements ${dialect === 'bigquery' ? 'run on DuckDB (no parser)' : 'parsed by the grammar and run on DuckDB'}`);
  });

  it('momentsQuery text matches its golden file (reviewed against the dialect\'s documentation)', async () => {
    const q = sql.momentsQuery('sales', { y: 'revenue', x: ['price', 'ad spend'], weights: 'w', dialect });
    await expect(q.text + '\n').toMatchFileSnapshot(`./__golden__/sql-moments-${dialect}.sql`);
  });
});
