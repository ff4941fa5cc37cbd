// modelFrame and Dataset.fromColumns: R's model.matrix coding (treatment contrasts, logical → TRUE
// column, first factor in full without an intercept), na.omit, and the bad-input errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, memoryStats, modelFrame, RobustRegError } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

const cols = () => ({
  y: [1, 2, 3, 4, 5, null, 7],
  a: Float64Array.of(1, 2, 3, 4, 5, 6, NaN),
  sp: ['b', 'a', 'c', 'a', 'b', 'c', 'a'],
  ok: [true, false, true, true, false, true, false],
});

describe('modelFrame', () => {
  it('codes factors and logicals as R model.matrix does, dropping rows with missing values', () => {
    const f = modelFrame(cols(), { y: 'y' });
    expect(f.names).toEqual(['a', 'spb', 'spc', 'okTRUE']);
    expect(Array.from(f.dropped)).toEqual([5, 6]);
    expect(Array.from(f.rowIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(f.X.rows).toBe(5);
    expect(Array.from(f.y)).toEqual([1, 2, 3, 4, 5]);
    // column-major: a, spb, spc, okTRUE
    expect(Array.from(f.X.data)).toEqual([1, 2, 3, 4, 5, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0]);
    expect(f.terms.map((t) => [t.column, t.kind, t.reference])).toEqual([['a', 'numeric', undefined], ['sp', 'factor', 'a'], ['ok', 'logical', 'FALSE']]);
  });

  it('without an intercept the first categorical term is coded in full', () => {
    const f = modelFrame(cols(), { y: 'y', x: ['ok', 'sp'], intercept: false });
    expect(f.names).toEqual(['okFALSE', 'okTRUE', 'spb', 'spc']);
  });

  it('factors: numeric codes as levels in numeric order', () => {
    const f = modelFrame({ y: [1, 2, 3, 4, 5], r: [10, 2, 2, 1, 10] }, { y: 'y', factors: ['r'] });
    expect(f.names).toEqual(['r2', 'r10']);
    expect(Array.from(f.X.data)).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('reads { codes, levels } columns and typed arrays, leaving the input untouched', () => {
    const codes = Int32Array.of(1, 0, -1, 1, 0);
    const f = modelFrame({ y: Float32Array.of(1, 2, 3, 4, 5), g: { codes, levels: ['z', 'b'] } }, { y: 'y' });
    expect(f.names).toEqual(['gz']);
    expect(Array.from(f.dropped)).toEqual([2]);
    expect(Array.from(codes)).toEqual([1, 0, -1, 1, 0]);
  });

  it('na: fail refuses missing values, naming the rows', () => {
    expect(() => modelFrame(cols(), { y: 'y', na: 'fail' })).toThrow(/2 rows have a missing value.*rows 5, 6/);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['text y', () => modelFrame(cols(), { y: 'sp' }), /response column "sp" is text/],
    ['unknown column', () => modelFrame(cols(), { y: 'nope' }), /"nope" \(y\) is not in the table/],
    ['single level', () => modelFrame({ y: [1, 2], f: ['a', 'a'] }, { y: 'y' }), /single level "a"/],
    ['too many levels', () => modelFrame({ y: [1, 2, 3], f: ['a', 'b', 'c'] }, { y: 'y', maxLevels: 2 }), /3 distinct values.*more than 2 levels.*leave it out of x/],
    ['mixed types', () => modelFrame({ y: [1, 2], f: [1, 'b'] }, { y: 'y' }), /mixes numbers and strings/],
    ['ragged', () => modelFrame({ y: [1, 2], f: [1] }, { y: 'y' }), /"f" has 1 rows but column "y" has 2/],
    ['infinite', () => modelFrame({ y: [1, Infinity] }, { y: 'y' }), /row 1: Infinity is not finite/],
    ['all missing', () => modelFrame({ y: [null, 2], a: [1, null] }, { y: 'y' }), /no rows left/],
    ['text weights', () => modelFrame({ y: [1, 2], w: ['a', 'b'] }, { y: 'y', weights: 'w' }), /weights column "w" is text/],
    ['unknown option', () => modelFrame({ y: [1, 2] }, { y: 'y', z: 1 } as never), /unknown option "z"/],
  ];
  it.each(bad)('%s is a RobustRegError naming it', (_label, f, re) => {
    let err: unknown;
    try { f(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RobustRegError);
    expect((err as Error).message).toMatch(re);
  });
});

describe('Dataset.fromColumns', () => {
  it('fits the same as the materialised frame, on both backends, and frees its memory', () => {
    const n = 3000;
    const x1 = new Float64Array(n), y = new Float64Array(n);
    const g: string[] = [];
    for (let i = 0; i < n; i++) {
      x1[i] = Math.sin(i);
      g.push(['u', 'v', 'w'][i % 3]);
      y[i] = 1 + 2 * x1[i] + (i % 3) + Math.cos(7 * i);
    }
    if (n > 10) y[10] = NaN;
    const f = modelFrame({ y, x1, g }, { y: 'y' });
    let compared = 0;
    for (const backend of ['wasm', 'js'] as const) {
      const before = memoryStats().wasmInUse;
      const ds = Dataset.fromColumns({ y, x1, g }, { y: 'y', backend });
      expect(ds.frame!.names).toEqual(['x1', 'gv', 'gw']);
      expect(ds.rows).toBe(n - 1);
      const a = fit(ds, { loss: 'l2' });
      const b = fit(f.X, f.y, { loss: 'l2', backend });
      expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
      expect(a.intercept).toBe(b.intercept);
      compared++;
      ds.dispose();
      if (backend === 'wasm') expect(memoryStats().wasmInUse).toBe(before);
    }
    expect(compared).toBe(2);
  });
});

describe('factor levels with no rows', () => {
  const thrown = (f: () => unknown): RobustRegError => {
    try { f(); } catch (e) { if (e instanceof RobustRegError) return e; throw e; }
    throw new Error('no error');
  };
  it('a level declared in { codes, levels } that no row has is an INVALID_INPUT naming the level', () => {
    const e = thrown(() => modelFrame({ y: [1, 2, 3, 4], g: { codes: [0, 2, 0, 2], levels: ['a', 'b', 'c'] } }, { y: 'y' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/level "b" of the factor "g" has no rows: it is declared/);
    expect(e.details).toMatchObject({ column: 'g', level: 'b' });
    // the same column with its levels all used is fine
    expect(modelFrame({ y: [1, 2, 3, 4], g: { codes: [0, 2, 1, 2], levels: ['a', 'b', 'c'] } }, { y: 'y' }).names).toEqual(['gb', 'gc']);
  });
  it('a level whose rows are all dropped for a missing value elsewhere names its first row', () => {
    const cols = { y: [1, 2, null, 4, 5, 6], a: [1, 5, 2, NaN, 3, 1], g: ['u', 'v', 'w', 'w', 'u', 'v'] };
    const e = thrown(() => modelFrame(cols, { y: 'y' }));
    expect(e.message).toMatch(/level "w" of the factor "g" has no rows left: its 2 rows were dropped .*the first is row 2/);
    expect(e.details).toMatchObject({ column: 'g', level: 'w', row: 2 });
    // a numeric column given in factors: the same rule
    const e2 = thrown(() => modelFrame({ y: [1, 2, null, 4, 5], k: [1, 2, 3, 1, 2] }, { y: 'y', factors: ['k'] }));
    expect(e2.message).toMatch(/level "3" of the factor "k" has no rows left: its 1 row was dropped/);
    // without the missing value the level is used and the frame is built
    expect(modelFrame({ ...cols, y: [1, 2, 3, 4, 5, 6], a: [1, 5, 2, 7, 3, 1] }, { y: 'y' }).names).toEqual(['a', 'gv', 'gw']);
  });
});

describe('Arquero tables (the real arquero package)', () => {
  it('a table, a filtered table and a derived text column give the frame and fit of plain arrays', async () => {
    const aq = await import('arquero');
    const base = { y: [1.5, 2, 4.25, 3, 6, 5.5, 7, null, 9, 8.5], x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], g: ['u', 'v', 'u', 'w', 'v', 'w', 'u', 'v', 'w', 'u'], ok: [true, false, true, true, false, true, false, true, false, true] };
    const t = aq.table(base);
    const f = modelFrame(t, { y: 'y' });
    const ref = modelFrame(base, { y: 'y' });
    expect(f.names).toEqual(['x', 'gv', 'gw', 'okTRUE']);
    expect(Array.from(f.X.data)).toEqual(Array.from(ref.X.data));
    expect(Array.from(f.dropped)).toEqual([7]);
    // a filtered, derived table: arquero's array() of the selected rows
    const t2 = t.filter((d: { x: number }) => d.x > 1).derive({ big: (d: { x: number }) => (d.x > 5 ? 'hi' : 'lo') });
    const ds = Dataset.fromColumns(t2, { y: 'y', x: ['x', 'big'] });
    try {
      expect(ds.frame!.names).toEqual(['x', 'biglo']);
      expect(ds.rows).toBe(8);
      const rows = t2.objects() as { y: number | null; x: number; big: string }[];
      const kept = rows.filter((r) => r.y !== null);
      const r = fit(ds, { loss: 'l2' });
      const ref2 = fit(kept.map((k) => [k.x, k.big === 'lo' ? 1 : 0]), kept.map((k) => k.y as number), { loss: 'l2' });
      expect(Array.from(r.coef)).toEqual(Array.from(ref2.coef));
      expect(r.intercept).toBe(ref2.intercept);
    } finally {
      ds.dispose();
    }
  });
});

describe('Arquero-shaped tables', () => {
  it('are read through columnNames / numRows / array', () => {
    const cols: Record<string, unknown[]> = { y: [1, 2, 4, 3, 6], g: ['u', 'v', 'u', 'v', 'w'] };
    const aq = { columnNames: () => Object.keys(cols), numRows: () => 5, array: (name: string) => cols[name] };
    const f = modelFrame(aq, { y: 'y' });
    expect(f.names).toEqual(['gv', 'gw']);
    expect(Array.from(f.X.data)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 1]);
  });
});
