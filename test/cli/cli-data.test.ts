// The CLI's data path: the streaming CSV parser (any chunk boundaries), reading straight into linear
// memory (buffers freed on every error, --f32), residual quantiles by selection, column names with
// commas, and the reading progress line.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, memoryStats } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

describe('CLI residual quantiles by selection', () => {
  it('equal type-7 quantiles of the sorted sample (ties, duplicates, n = 1)', async () => {
    const fc = await import('fast-check');
    const { quantiles } = await import('../../src/cli/fit.js');
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
    const { main } = await import('../../src/cli/run.js');
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
    const { CsvStreamParser, fieldText } = await import('../../src/cli/csv.js');
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

describe('CSV numbers read on the way', () => {
  it('equal Number(text) bit for bit, and the common decimal forms take the fast path', async () => {
    const fc = await import('fast-check');
    const { CsvStreamParser } = await import('../../src/cli/csv.js');
    const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
    const num = fc.tuple(fc.constantFrom('', '-', '+'), digits(0, 19), fc.boolean(), digits(0, 25))
      .map(([s, a, dot, b]) => s + a + (dot ? '.' + b : ''));
    const readAll = (texts: string[]): number[] => {
      const out: number[] = [];
      const p = new CsvStreamParser((_b, _s, _e, _q, count, _l, nums) => { for (let k = 0; k < count; k++) out.push(nums[k]); });
      p.push(new TextEncoder().encode(['z', ...texts].join(',') + '\n')); // 'z': never a blank line
      p.end();
      expect(out.length).toBe(texts.length + 1);
      return out.slice(1);
    };
    fc.assert(fc.property(fc.array(num, { minLength: 1, maxLength: 20 }), (texts) => {
      const got = readAll(texts);
      texts.forEach((t, k) => {
        if (Number.isNaN(got[k])) return; // converted from the text later
        expect(Object.is(got[k], Number(t))).toBe(true);
      });
    }), { numRuns: 3000 });
    // hard cases near the limits: a 2^53 mantissa, 22 and 23 decimals, halfway cases, -0
    const hard = ['9007199254740991', '9007199254740993', '900719925474099.3', '0.1234567890123456789012', '0.12345678901234567890123',
      '123456789.123456', '-0', '-0.0', '+.5', '5.', '0.30000000000000004', '2.2250738585072014', '1.7976931348623157', '000000000000012.5'];
    const got = readAll(hard);
    hard.forEach((t, k) => { if (!Number.isNaN(got[k])) expect(Object.is(got[k], Number(t))).toBe(true); });
    // the forms of a typical numeric CSV are all read on the way (no text conversion)
    const common = ['12', '-3.25', '0.001', '123456.789012', '-23.456789', '1234567890.5', '100000000000000'];
    expect(readAll(common).every((v) => !Number.isNaN(v))).toBe(true);
  });
});

describe('CLI column names and progress', () => {
  const run = async (args: string[], opts: { isTTY?: boolean; now?: () => number } = {}) => {
    const { main } = await import('../../src/cli/run.js');
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
