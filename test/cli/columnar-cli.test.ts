// robustreg fit on Parquet (hyparquet) and Arrow IPC (apache-arrow) files: the same fit as the CSV
// of the same data (factor, logical, missing values), and one-line errors for a truncated Parquet
// file and an Arrow column of an unsupported type.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'rr-columnar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: '', isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

const n = 120;
const rows = Array.from({ length: n }, (_, i) => ({
  y: i % 17 === 5 ? null : 3 + 0.5 * (i % 10) + (i % 3 === 0 ? 2 : 0) + Math.sin(i),
  x: i % 10,
  grp: ['lo', 'mid', 'hi'][Math.floor(i / 3) % 3],
  flag: i % 3 === 0,
}));
const csv = 'y,x,grp,flag\n' + rows.map((r) => `${r.y ?? 'NA'},${r.x},${r.grp},${r.flag ? 'TRUE' : 'FALSE'}`).join('\n') + '\n';
const csvPath = join(dir, 'd.csv');
writeFileSync(csvPath, csv);

describe('Parquet and Arrow files in the CLI', () => {
  it('a Parquet file written by DuckDB gives the fit of the same CSV; dropped rows are numbered from 1', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const pq = join(dir, 'd.parquet');
    await con.run(`COPY (SELECT * FROM read_csv('${csvPath}', nullstr = 'NA')) TO '${pq}' (FORMAT parquet)`);
    const a = JSON.parse((await cli(['fit', pq, '--y', 'y', '--loss', 'l2', '--json'])).out);
    const b = JSON.parse((await cli(['fit', csvPath, '--y', 'y', '--loss', 'l2', '--json'])).out);
    expect(a.predictors).toEqual(['x', 'grplo', 'grpmid', 'flagTRUE']);
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.droppedRows).toEqual({ count: b.droppedRows.count, rows: b.droppedRows.lines.map((l: number) => l - 1) });
    const text = (await cli(['fit', pq, '--y', 'y', '--loss', 'l2'])).out;
    expect(text).toMatch(/dropped 7 rows with missing values \(rows 6, 23, 40/);
    // a truncated file: one line, exit 1
    const cut = join(dir, 'cut.parquet');
    const bytes = readFileSync(pq);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    const t = await cli(['fit', cut, '--y', 'y']);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/^robustreg: error: cannot read ".*cut\.parquet" as Parquet: .*truncated or damaged/);
    expect(t.err.trim().split('\n').length).toBe(1);
  });

  it('an Arrow IPC file gives the same fit; an unsupported column type is named', async () => {
    const table = new arrow.Table({
      y: arrow.vectorFromArray(rows.map((r) => r.y), new arrow.Float64()),
      x: arrow.vectorFromArray(rows.map((r) => r.x), new arrow.Int32()),
      grp: arrow.vectorFromArray(rows.map((r) => r.grp), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8())),
      flag: arrow.vectorFromArray(rows.map((r) => r.flag), new arrow.Bool()),
      when: arrow.vectorFromArray(rows.map((_, i) => new Date(i * 1000)), new arrow.DateMillisecond()),
    });
    const f = join(dir, 'd.arrow');
    writeFileSync(f, arrow.tableToIPC(table, 'file'));
    const a = JSON.parse((await cli(['fit', f, '--y', 'y', '--x', 'x,grp,flag', '--loss', 'l2', '--json'])).out);
    const b = JSON.parse((await cli(['fit', csvPath, '--y', 'y', '--loss', 'l2', '--json'])).out);
    expect(a.coefficients).toEqual(b.coefficients);
    const bad = await cli(['fit', f, '--y', 'y']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^robustreg: error: .*Arrow column "when" has type Date.*not supported.*leave it out with --x/);
    expect(bad.err.trim().split('\n').length).toBe(1);
    expect(bad.out).toBe('');
  });
});
