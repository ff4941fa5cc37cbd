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
    for (const backend of ['wasm', 'js'] as const) {
      const before = memoryStats().wasmInUse;
      const ds = Dataset.fromColumns({ y, x1, g }, { y: 'y', backend });
      expect(ds.frame!.names).toEqual(['x1', 'gv', 'gw']);
      expect(ds.rows).toBe(n - 1);
      const a = fit(ds, { loss: 'l2' });
      const b = fit(f.X, f.y, { loss: 'l2', backend });
      expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
      expect(a.intercept).toBe(b.intercept);
      ds.dispose();
      if (backend === 'wasm') expect(memoryStats().wasmInUse).toBe(before);
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
