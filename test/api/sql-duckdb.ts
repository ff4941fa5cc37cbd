// Test helpers for sql.*: an in-memory DuckDB behind the two-line { query } adapter, and a Parquet
// file of seeded rows written by DuckDB itself.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import type { SqlDatabase } from '../../src/index.js';

export interface Duck {
  conn: DuckDBConnection;
  db: SqlDatabase;
  /** Every statement the adapter ran. */
  log: string[];
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await inst.connect();
  const log: string[] = [];
  const db: SqlDatabase = {
    async query(text) {
      log.push(text);
      return (await conn.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[];
    },
  };
  return { conn, db, log, close: () => { conn.closeSync(); inst.closeSync(); } };
}

export const BETA = [1.5, -0.7, 0.1, 3, -2];

/**
 * n rows: x1..x5 uniform from a hash of the row number (x3 offset by 1000 to exercise centering),
 * y = 2 + x·BETA + Laplace noise (log of a ratio of uniforms), w = 0.5 + uniform. Written by DuckDB to
 * a Parquet file; returns its path.
 */
export async function writeParquet(conn: DuckDBConnection, n: number, name = 'data'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'robustreg-sql-'));
  const path = join(dir, `${name}.parquet`);
  const u = (k: number): string => `(((hash(i, ${k}) % 1000003) + 0.5) / 1000003.0)`;
  const x = [`${u(1)} * 10 - 5`, `${u(2)} * 4`, `1000 + ${u(3)} * 20`, `${u(4)} - 0.5`, `${u(5)} * 6 - 1`];
  await conn.run(`COPY (
    SELECT x1, x2, x3, x4, x5,
           2 + ${BETA.map((b, j) => `${b} * x${j + 1}`).join(' + ')} + ln(${u(6)} / ${u(7)}) AS y,
           0.5 + ${u(8)} AS w
    FROM (SELECT i, ${x.map((e, j) => `${e} AS x${j + 1}`).join(', ')} FROM range(${n}) AS r(i))
  ) TO '${path}' (FORMAT parquet)`);
  return path;
}

/**
 * Read columns of the Parquet file into Float64Arrays (the in-memory side of the comparisons), with
 * hyparquet — an independent reader, and 5-10x faster than converting DuckDB's values one by one.
 */
export async function readColumns(path: string, columns: string[]): Promise<Float64Array[]> {
  const file = await asyncBufferFromFile(path);
  const n = Number((await parquetMetadataAsync(file)).num_rows);
  const out = columns.map(() => new Float64Array(n));
  await parquetRead({
    file, columns,
    onChunk: (c) => { out[columns.indexOf(c.columnName)].set(c.columnData as ArrayLike<number>, c.rowStart); },
  });
  return out;
}
