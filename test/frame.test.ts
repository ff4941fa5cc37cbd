// modelFrame and Dataset.fromColumns: R's model.matrix coding (treatment contrasts, logical → TRUE
// column, first factor in full without an intercept), na.omit, and the bad-input errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, memoryStats, modelFrame, RobustRegError } from '../src/index.js';

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
      const before = memoryStats().bytesInUse;
      const ds = Dataset.fromColumns({ y, x1, g }, { y: 'y', backend });
      expect(ds.frame!.names).toEqual(['x1', 'gv', 'gw']);
      expect(ds.rows).toBe(n - 1);
      const a = fit(ds, { loss: 'l2' });
      const b = fit(f.X, f.y, { loss: 'l2', backend });
      expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
      expect(a.intercept).toBe(b.intercept);
      ds.dispose();
      if (backend === 'wasm') expect(memoryStats().bytesInUse).toBe(before);
    }
  });
});

describe('CLI residual quantiles by selection', () => {
  it('equal type-7 quantiles of the sorted sample (ties, duplicates, n = 1)', async () => {
    const fc = await import('fast-check');
    const { quantiles } = await import('../src/cli/fit.js');
    fc.assert(fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), (v) => {
      const x = Float64Array.from(v, (t) => t / 2);
      const s = Float64Array.from(x).sort();
      const probs = [0, 0.25, 0.5, 0.75, 1];
      const want = probs.map((p) => {
        const h = (s.length - 1) * p;
        const lo = Math.floor(h);
        const hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
      });
      expect(quantiles(x, probs)).toEqual(want);
    }), { numRuns: 300 });
  });
});

describe('CLI reading straight into linear memory', () => {
  it('frees its buffers on success and on every kind of failure; --f32 gives the fit of fl32(X)', async () => {
    const { main } = await import('../src/cli/run.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'rr-frame-'));
    const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    const run = async (args: string[]) => {
      let out = '', err = '';
      const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: '', isTTY: false });
      return { code, out, err };
    };
    const rows = Array.from({ length: 5000 }, (_, i) => `${(i % 17) * 0.3 + Math.sin(i)},${i % 13},${(i * 7) % 11}.${i % 10}`).join('\n');
    const good = file('good.csv', `y,a,b\n${rows}\n`);
    const before = memoryStats().wasmInUse;
    try {
      const r64 = await run(['fit', good, '--y', 'y', '--loss', 'l2', '--json']);
      expect(r64.code).toBe(0);
      const r32 = await run(['fit', good, '--y', 'y', '--loss', 'l2', '--json', '--f32']);
      expect(r32.code).toBe(0);
      // the f32 fit equals the library's fit of the same data stored as float32
      const X: number[][] = [], y: number[] = [];
      for (const line of rows.split('\n')) { const v = line.split(',').map(Number); y.push(v[0]); X.push([v[1], v[2]]); }
      const ds = Dataset.from(X, y, { precision: 'f32' });
      const ref = fit(ds, { loss: 'l2' });
      ds.dispose();
      expect(JSON.parse(r32.out).coef).toEqual(Array.from(ref.coef));
      const bad = [
        file('texty.csv', `y,a\n1,2\n${rows.split('\n').slice(0, 50).map((l) => l.split(',').slice(0, 2).join(',')).join('\n')}\nzz,3\n`),
        file('ragged.csv', `y,a,b\n${rows}\n1,2\n`),
        file('quote.csv', `y,a,b\n${rows}\n1,"2,3\n`),
        file('inf.csv', `y,a,b\n${rows}\n1,Inf,3\n`),
        file('allna.csv', `y,a\nNA,1\nNA,2\n`),
      ];
      for (const f of bad) expect((await run(['fit', f, '--y', 'y', '--loss', 'l2'])).code).toBe(1);
      expect((await run(['fit', good, '--y', 'y', '--na', 'fail', '--f32', '--weights', 'a', '--loss', 'l2'])).code).toBe(0);
      expect(memoryStats().wasmInUse).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CSV stream parser', () => {
  it('gives the same records whatever the chunk boundaries (quotes, CRLF, lone CR, BOM, numbers)', async () => {
    const fc = await import('fast-check');
    const { CsvStreamParser, fieldText } = await import('../src/cli/csv.js');
    const field = fc.oneof(
      fc.constantFrom('', '1', '-2.5', '1e3', '007', '.5', '12345678901234567', 'NA', 'abc', ' 3 '),
      fc.string({ maxLength: 4 }).map((s) => s.replace(/[",\r\n]/g, 'x')),
      fc.string({ maxLength: 5 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.constantFrom('"a,b"', '"two\nlines"', '"cr\r\nlf"', '"q""q"'),
    );
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const doc = fc.tuple(fc.boolean(), fc.array(fc.tuple(fc.array(field, { minLength: 1, maxLength: 4 }), eol), { minLength: 1, maxLength: 8 }), fc.boolean())
      .map(([bom, recs, last]) => (bom ? '\uFEFF' : '') + recs.map(([f, e], i) => f.join(',') + (i < recs.length - 1 || last ? e : '')).join(''));
    const parse = (bytes: Uint8Array, cuts: number[]) => {
      const out: { f: string[]; n: number[]; line: number }[] = [];
      const p = new CsvStreamParser((buf, starts, ends, quoted, count, line, nums) => {
        const f: string[] = [], n: number[] = [];
        for (let k = 0; k < count; k++) { f.push(fieldText(buf, starts[k], ends[k], quoted[k])); n.push(nums[k]); }
        out.push({ f, n, line });
      });
      let at = 0;
      for (const c of [...cuts, bytes.length]) { p.push(bytes.slice(at, Math.max(at, c))); at = Math.max(at, c); }
      p.end();
      return out;
    };
    fc.assert(fc.property(doc, fc.array(fc.nat(200), { maxLength: 6 }), (text, cuts) => {
      const bytes = new TextEncoder().encode(text);
      const whole = parse(bytes, []);
      const split = parse(bytes, cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b));
      expect(split).toEqual(whole);
      // numbers read on the way are exactly Number() of the field, or NaN (converted later)
      for (const r of whole) r.f.forEach((t, k) => { if (!Number.isNaN(r.n[k])) expect(r.n[k]).toBe(Number(t)); });
    }), { numRuns: 500 });
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

describe('CLI column names and progress', () => {
  const run = async (args: string[], opts: { isTTY?: boolean; now?: () => number } = {}) => {
    const { main } = await import('../src/cli/run.js');
    let out = '', err = '';
    const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: '', isTTY: opts.isTTY ?? false, now: opts.now });
    return { code, out, err };
  };
  const file = async (name: string, text: string) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const p = join(mkdtempSync(join(tmpdir(), 'rr-names-')), name);
    writeFileSync(p, text);
    return p;
  };

  it('a column whose name has a comma is selected by --x and quoted in the model line', async () => {
    const f = await file('c.csv', '"y","dose, mg","a b"\n1,2,3\n2,3,5\n4,5,4\n5,7,8\n7,8,7\n');
    const r = await run(['fit', f, '--y', 'y', '--x', 'dose, mg', '--x', 'a b', '--loss', 'l2']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model:  y ~ `dose, mg` + `a b`');
    expect(r.out).toMatch(/dose, mg\s+-?\d/);
  });

  it('draws a reading progress line on a terminal and erases it', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i % 7},${i % 5}`).join('\n');
    const f = await file('p.csv', `y,x\n${rows}\n`);
    let t = 0;
    const r = await run(['fit', f, '--y', 'y', '--loss', 'l2'], { isTTY: true, now: () => (t += 1000) });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\rreading .*p\.csv {2}100% \(0 MB of 0 MB, \d+ MB\/s\)\x1b\[K/);
    expect(r.err).toContain('\r\x1b[K');
  });
});
