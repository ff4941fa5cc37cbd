// Dataset.fromColumns on columnar tables from the real libraries (devDependencies only; the library
// recognises them by shape): Apache Arrow tables (numeric, int64, bool, utf8, dictionary, nulls,
// several record batches, an unsupported type) and a DuckDB query over a Parquet file written here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, memoryStats, modelFrame, RobustRegError, summary } from '../../src/index.js';

beforeAll(async () => {
  await init();
});
const dir = mkdtempSync(join(tmpdir(), 'rr-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = 40;
const plain = () => {
  const y: (number | null)[] = [], x: number[] = [], k: bigint[] = [], flag: (boolean | null)[] = [], g: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    x.push(Math.cos(i) * 3);
    k.push(BigInt(i % 5));
    flag.push(i === 7 ? null : i % 3 === 0);
    g.push(i === 11 ? null : ['north', 'east', 'south'][Math.floor(i / 2) % 3]);
    y.push(i === 2 ? null : 2 + x[i] - 0.5 * (i % 5) + (i % 3 === 0 ? 1 : 0) + Math.sin(5 * i));
  }
  return { y, x, k, flag, g };
};

function arrowTable(batches = 1): arrow.Table {
  const c = plain();
  const dict = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  const parts: arrow.Table[] = [];
  const per = Math.ceil(n / batches);
  for (let b = 0; b < batches; b++) {
    const s = b * per, e = Math.min(n, s + per);
    parts.push(new arrow.Table({
      y: arrow.vectorFromArray(c.y.slice(s, e), new arrow.Float64()),
      x: arrow.vectorFromArray(c.x.slice(s, e), new arrow.Float32()),
      k: arrow.vectorFromArray(c.k.slice(s, e), new arrow.Int64()),
      flag: arrow.vectorFromArray(c.flag.slice(s, e), new arrow.Bool()),
      g: arrow.vectorFromArray(c.g.slice(s, e), dict),
    }));
  }
  return parts.length === 1 ? parts[0] : parts[0].concat(...parts.slice(1));
}

describe('Apache Arrow tables', () => {
  it('numeric, int64, bool, dictionary columns and nulls: the same frame as plain arrays', () => {
    const c = plain();
    const ref = modelFrame({ ...c, x: Float32Array.from(c.x), k: c.k.map(Number) }, { y: 'y', factors: ['k'] });
    for (const batches of [1, 3]) {
      const t = arrowTable(batches);
      expect(t.batches.length).toBe(batches);
      const f = modelFrame(t, { y: 'y', factors: ['k'] });
      expect(f.names).toEqual(['x', 'k1', 'k2', 'k3', 'k4', 'flagTRUE', 'gnorth', 'gsouth']);
      expect(Array.from(f.dropped)).toEqual([2, 7, 11]);
      expect(Array.from(f.X.data)).toEqual(Array.from(ref.X.data));
      expect(Array.from(f.y)).toEqual(Array.from(ref.y));
      const before = memoryStats().wasmInUse;
      const ds = Dataset.fromColumns(t, { y: 'y', factors: ['k'] });
      const r = fit(ds, { loss: 'l2' });
      expect(Array.from(r.coef)).toEqual(Array.from(fit(f.X, f.y, { loss: 'l2' }).coef));
      expect(summary(r, ds).coefficients.map((s) => s.name)[6]).toBe('flagTRUE'); // after (Intercept)
      ds.dispose();
      expect(memoryStats().wasmInUse).toBe(before);
    }
  });

  it('plain utf8 columns become factors; an unsupported type names the column and its type', () => {
    const t = new arrow.Table({
      y: arrow.vectorFromArray([1, 2, 3, 4], new arrow.Float64()),
      s: arrow.vectorFromArray(['b', 'a', 'b', null], new arrow.Utf8()),
      d: arrow.vectorFromArray([new Date(0), new Date(1), new Date(2), new Date(3)], new arrow.DateMillisecond()),
    });
    expect(modelFrame(t, { y: 'y', x: ['s'] }).names).toEqual(['sb']);
    let err: unknown;
    try { modelFrame(t, { y: 'y' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RobustRegError);
    expect((err as Error).message).toMatch(/Arrow column "d" has type Date.*not supported/);
  });
});

describe('Arrow dictionaries with unused entries', () => {
  it('a dictionary entry that no row uses is a clear error naming the level', () => {
    const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    const dictionary = arrow.vectorFromArray(['lo', 'mid', 'hi'], new arrow.Utf8());
    const codes = Int32Array.of(0, 2, 0, 2, 2, 0);
    const g = arrow.makeVector(arrow.makeData({ type, length: 6, nullCount: 0, data: codes, dictionary }));
    const t = new arrow.Table({ y: arrow.vectorFromArray([1, 2, 3, 4, 5, 6], new arrow.Float64()), g });
    let err: unknown;
    try { Dataset.fromColumns(t, { y: 'y' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RobustRegError);
    expect((err as RobustRegError).message).toMatch(/level "mid" of the factor "g" has no rows: it is declared \(in the column's levels or its Arrow dictionary\)/);
    // all entries used: fine
    const g2 = arrow.makeVector(arrow.makeData({ type, length: 6, nullCount: 0, data: Int32Array.of(0, 2, 1, 2, 2, 0), dictionary }));
    expect(modelFrame(new arrow.Table({ y: t.getChild('y')!, g: g2 }), { y: 'y' }).names).toEqual(['glo', 'gmid']);
  });
});

describe('DuckDB', () => {
  it('fits a query result over a Parquet file written here', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const file = join(dir, 'sales.parquet');
    await con.run(`COPY (SELECT i::BIGINT AS id, (i % 4)::BIGINT AS store, CASE i % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'shop' ELSE 'phone' END AS channel,
      (i % 7 = 0) AS promo, 10 + 2.5 * (i % 4) + CASE WHEN i % 7 = 0 THEN 4 ELSE 0 END + sin(i) AS sales
      FROM range(500) t(i)) TO '${file}' (FORMAT parquet)`);
    const reader = await con.runAndReadAll(`SELECT sales, store, channel, promo FROM read_parquet('${file}') WHERE id >= 10`);
    const cols = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    const ds = Dataset.fromColumns(cols as never, { y: 'sales', factors: ['store'] });
    try {
      expect(ds.rows).toBe(490);
      expect(ds.frame!.names).toEqual(['store1', 'store2', 'store3', 'channelshop', 'channelweb', 'promoTRUE']);
      const r = fit(ds, { loss: 'l1' });
      expect(r.status).toBe('optimal');
      // the store effects are 2.5 per step, promo 4 (the median fit of data with sin(i) noise)
      expect(Math.abs(r.coef[2] - 7.5)).toBeLessThan(0.5);
      expect(Math.abs(r.coef[5] - 4)).toBeLessThan(0.5);
    } finally {
      ds.dispose();
      con.closeSync?.();
    }
  });
});
