// The L2 kernel (assembly/l2.ts and its twin src/twin/l2.ts) on every backend: bit-identical twins,
// rank deficiency, invariance, weights, and accuracy against exact rational references.
import { describe, expect, it } from 'vitest';
import { INFO_LEN, INFO_ITERATIONS, INFO_METHOD, INFO_OBJECTIVE, INFO_RANK, INFO_RCOND, INFO_REFINE } from '../../src/abi/info.js';
import { STATUS_OK, STATUS_RANK_DEFICIENT } from '../../src/abi/status.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';

// ---------------------------------------------------------------------------------------------
// Harness

interface Fit {
  status: number;
  coef: Float64Array;
  info: Float64Array;
  flags: Int32Array;
}

interface FitOptions {
  w?: ArrayLike<number> | null;
  intercept?: boolean;
  ridge?: number;
}

/** Column-major fit on one backend; also checks that X, y and w are left untouched. */
function fitL2(tb: TestBackend, cols: ArrayLike<number>[], y: ArrayLike<number>, opt: FitOptions = {}): Fit {
  const n = y.length;
  const p = cols.length;
  const k = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const [pX, pY, pW, pC, pI, pF, pWk] = tb.arena.allocMany(
      [8 * n * p, 8 * n, 8 * n, 8 * (p + 1), 8 * INFO_LEN, 4 * p, k.l2_work_bytes(n, p)]);
    const f = tb.backend.f64();
    cols.forEach((c, j) => f.set(c, (pX >>> 3) + j * n));
    f.set(y, pY >>> 3);
    if (opt.w) f.set(opt.w, pW >>> 3);
    const before = f.slice(pX >>> 3, (pY >>> 3) + 2 * n);
    const status = k.l2_fit(n, p, pX, pY, opt.w ? pW : 0, opt.intercept === false ? 0 : 1, opt.ridge ?? 0, pC, pI, pF, pWk);
    const g = tb.backend.f64();
    const after = g.slice(pX >>> 3, (pY >>> 3) + 2 * n);
    if (!after.every((v, i) => Object.is(v, before[i]))) throw new Error(`${tb.label}: l2_fit modified its inputs`);
    return {
      status,
      coef: g.slice(pC >>> 3, (pC >>> 3) + p + 1),
      info: g.slice(pI >>> 3, (pI >>> 3) + INFO_LEN),
      flags: tb.backend.i32().slice(pF >>> 2, (pF >>> 2) + p),
    };
  } finally {
    tb.arena.release(mark);
  }
}

/** Seeded uniform [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seq = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
/** wasm-release, wasm-debug and js: every per-backend loop counts its backends and must reach all three. */
const BACKEND_COUNT = 3;

/** max_j |a_j - b_j| / |b_j| (absolute where b_j = 0), with a readable failure message. */
function expectRel(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  let worst = 0;
  let at = -1;
  for (let j = 0; j < expected.length; j++) {
    const e = expected[j];
    const d = Math.abs(actual[j] - e) / (e === 0 ? 1 : Math.abs(e));
    if (!(d <= worst)) {
      worst = d;
      at = j;
    }
  }
  if (!(worst <= tol)) {
    throw new Error(`${what}: relative difference ${worst.toExponential(3)} at index ${at} exceeds ${tol} ` +
      `(actual ${actual[at]}, expected ${expected[at]})\n actual   ${Array.from(actual).join(', ')}\n expected ${Array.from(expected).join(', ')}`);
  }
}

/** Bitwise equality of two results (Object.is: distinguishes -0 and +0, NaN equals NaN). */
function sameBits(a: Fit, b: Fit): string | null {
  if (a.status !== b.status) return `status ${a.status} vs ${b.status}`;
  for (let j = 0; j < a.coef.length; j++) if (!Object.is(a.coef[j], b.coef[j])) return `coef[${j}] ${a.coef[j]} vs ${b.coef[j]}`;
  for (let j = 0; j < INFO_LEN; j++) if (!Object.is(a.info[j], b.info[j])) return `info[${j}] ${a.info[j]} vs ${b.info[j]}`;
  for (let j = 0; j < a.flags.length; j++) if (a.flags[j] !== b.flags[j]) return `flags[${j}] ${a.flags[j]} vs ${b.flags[j]}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Exact rational reference (BigInt): every double is a dyadic rational, so the weighted normal
// equations of the data as stored can be solved exactly.

interface Rat { n: bigint; d: bigint }
const babs = (a: bigint) => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function rat(n: bigint, d: bigint): Rat {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const radd = (a: Rat, b: Rat) => rat(a.n * b.d + b.n * a.d, a.d * b.d);
const rsub = (a: Rat, b: Rat) => rat(a.n * b.d - b.n * a.d, a.d * b.d);
const rmul = (a: Rat, b: Rat) => rat(a.n * b.n, a.d * b.d);
const rdiv = (a: Rat, b: Rat) => rat(a.n * b.d, a.d * b.n);
const ZERO: Rat = { n: 0n, d: 1n };

function fromDouble(x: number): Rat {
  if (x === 0) return ZERO;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(dv.getUint32(4));
  if (e !== 0) m |= 1n << 52n;
  const ex = (e === 0 ? 1 : e) - 1075;
  if (hi >>> 31) m = -m;
  return ex >= 0 ? { n: m << BigInt(ex), d: 1n } : rat(m, 1n << BigInt(-ex));
}

function toDouble(a: Rat): number {
  if (a.n === 0n) return 0;
  const shift = a.n.toString(2).length - a.d.toString(2).length - 70;
  const q = shift >= 0 ? a.n / (a.d << BigInt(shift)) : (a.n << BigInt(-shift)) / a.d;
  return Number(q) * 2 ** shift;
}

/** Exact minimiser of sum w r^2 + ridge |b|^2 (intercept unpenalised): [b0, b1..bp] as rationals. */
function exactLS(cols: number[][], y: number[], w: number[] | null, intercept: boolean, ridge = 0): Rat[] {
  const n = y.length;
  const A = [seq(n, () => (intercept ? 1 : 0)), ...cols].map((c) => c.map(fromDouble));
  const Y = y.map(fromDouble);
  const W = seq(n, (i) => fromDouble(w ? w[i] : 1));
  const m = A.length;
  const M: Rat[][] = [];
  for (let a = 0; a < m; a++) {
    const row: Rat[] = [];
    for (let b = 0; b < m; b++) {
      let s = ZERO;
      for (let i = 0; i < n; i++) s = radd(s, rmul(W[i], rmul(A[a][i], A[b][i])));
      row.push(s);
    }
    let g = ZERO;
    for (let i = 0; i < n; i++) g = radd(g, rmul(W[i], rmul(A[a][i], Y[i])));
    row.push(g);
    M.push(row);
  }
  if (ridge > 0) for (let a = 1; a < m; a++) M[a][a] = radd(M[a][a], fromDouble(ridge));
  if (!intercept) M[0] = M[0].map((_, b) => (b === 0 ? { n: 1n, d: 1n } : ZERO)); // b0 = 0
  for (let c = 0; c < m; c++) {
    const piv = M.findIndex((r, i) => i >= c && r[c].n !== 0n);
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < m; r++) {
      if (r === c || M[r][c].n === 0n) continue;
      const f = rdiv(M[r][c], M[c][c]);
      M[r] = M[r].map((v, b) => rsub(v, rmul(f, M[c][b])));
    }
  }
  return M.map((r, a) => rdiv(r[m], r[a]));
}

/** Exact objective sum w r^2 + ridge |b|^2 at double coefficients. */
function exactObjective(cols: number[][], y: number[], w: number[] | null, coef: ArrayLike<number>, ridge = 0): number {
  let s = ZERO;
  const b = Array.from(coef, fromDouble);
  for (let i = 0; i < y.length; i++) {
    let r = rsub(fromDouble(y[i]), b[0]);
    cols.forEach((c, j) => (r = rsub(r, rmul(fromDouble(c[i]), b[j + 1]))));
    s = radd(s, rmul(fromDouble(w ? w[i] : 1), rmul(r, r)));
  }
  for (let j = 1; j < b.length; j++) s = radd(s, rmul(fromDouble(ridge), rmul(b[j], b[j])));
  return toDouble(s);
}

/** Minimum log relative error (digits) of est against exact rationals (absolute where exact = 0), capped at 17. */
function minDigits(est: ArrayLike<number>, exact: Rat[]): number {
  let min = 17;
  exact.forEach((e, j) => {
    const diff = rsub(fromDouble(est[j]), e);
    const rel = Math.abs(toDouble(e.n === 0n ? diff : rdiv(diff, e)));
    min = Math.min(min, rel === 0 ? 17 : -Math.log10(rel));
  });
  return min;
}

// ---------------------------------------------------------------------------------------------

describe('l2 kernel: twins', () => {
  it('exports a work size that does not depend on the backend', async () => {
    const bs = await allBackends();
    const shapes = [[1, 0], [7, 3], [511, 9], [100000, 20], [3, 600]];
    let compared = 0;
    for (const [n, p] of shapes) {
      const sizes = bs.map((tb) => tb.backend.kernels.l2_work_bytes(n, p));
      expect(new Set(sizes).size, `${n}x${p}`).toBe(1);
      expect(sizes[0] % 16).toBe(0);
      compared += sizes.length;
    }
    expect(compared).toBe(shapes.length * BACKEND_COUNT);
  });

  // Shapes around the block (512 rows) and SIMD (2 rows) widths, with and without weights,
  // intercept and ridge; plus designs that take the QR path and rank-deficient ones.
  it('wasm-release, wasm-debug and js return bit-identical coef / info / flags on a seeded grid', async () => {
    const bs = await allBackends();
    const ns = [1, 2, 3, 4, 5, 6, 7, 8, 9, 511, 512, 513, 1023, 1025];
    let cases = 0;
    let qr = 0;
    let deficient = 0;
    let compared = 0;
    const mismatches: string[] = [];
    const check = (label: string, cols: number[][], y: number[], opt: FitOptions) => {
      const fits = bs.map((tb) => fitL2(tb, cols, y, opt));
      for (let b = 1; b < fits.length; b++) {
        const d = sameBits(fits[0], fits[b]);
        if (d) mismatches.push(`${label}: ${bs[0].label} vs ${bs[b].label}: ${d}`);
        compared++;
      }
      cases++;
      if (fits[0].info[INFO_METHOD] === 1) qr++;
      if (fits[0].status === STATUS_RANK_DEFICIENT) deficient++;
    };
    const r = rng(20240611);
    for (const n of ns) {
      for (let p = 0; p <= 9; p++) {
        const cols = seq(p, (j) => seq(n, () => (r() - 0.5) * 10 ** (j % 3)));
        const y = seq(n, (i) => 1 + cols.reduce((s, c, j) => s + c[i] * (j + 1), 0) + r() - 0.5);
        const w = seq(n, () => (r() < 0.15 ? 0 : r() * 3));
        for (const weighted of [false, true]) {
          for (const intercept of [true, false]) {
            for (const ridge of [0, 0.75]) {
              check(`n=${n} p=${p} w=${weighted} ic=${intercept} ridge=${ridge}`, cols, y, { w: weighted ? w : null, intercept, ridge });
            }
          }
        }
      }
    }
    // QR path: ill-conditioned polynomial designs, duplicated / collinear columns, and a tiny ridge.
    for (const n of [9, 511, 513, 1025]) {
      const x = seq(n, (i) => 5 + (i % 97) / 16 + r() * 0.01);
      const cols = [x.slice()];
      for (let k = 2; k <= 7; k++) cols.push(cols[k - 2].map((v, i) => v * x[i]));
      const y = seq(n, (i) => Math.sin(x[i]) + r() * 0.01);
      const w = seq(n, () => r() * 2);
      check(`poly n=${n}`, cols, y, {});
      check(`poly n=${n} weighted`, cols, y, { w });
      check(`poly n=${n} ridge`, cols, y, { ridge: 1e-9 });
      const dup = [cols[0], cols[1], cols[0].map((v, i) => 2 * v - cols[1][i]), cols[2]];
      check(`collinear n=${n}`, dup, y, {});
      check(`collinear n=${n} ridge`, dup, y, { ridge: 1e-14 });
    }
    // More columns than one block of ridge rows (p > 512) with n < p: QR with chunked ridge rows.
    {
      const n = 60;
      const p = 530;
      const cols = seq(p, () => seq(n, () => r() - 0.5));
      const y = seq(n, () => r());
      check('n=60 p=530 ridge', cols, y, { ridge: 1e-3 });
      check('n=60 p=530', cols, y, {});
    }
    console.log(`twin identity: ${cases} fits x ${bs.length} backends, ${qr} on the QR path, ${deficient} rank deficient; mismatches: ${mismatches.length}`);
    expect(mismatches).toEqual([]);
    // the grid (ns x p 0..9 x weighted x intercept x ridge), 5 QR-path checks per n of 4, 2 wide ones;
    // each fit compared on the two other backends against the first
    expect(cases).toBe(ns.length * 10 * 2 * 2 * 2 + 4 * 5 + 2);
    expect(compared).toBe(cases * (BACKEND_COUNT - 1));
    expect(qr).toBeGreaterThan(20);
    expect(deficient).toBeGreaterThan(20);
  });
});

describe('l2 kernel: rank deficiency', () => {
  const r = rng(7);
  const n = 40;
  const x1 = seq(n, () => r() * 10 - 3);
  const x2 = seq(n, () => r() * 100);
  const x4 = seq(n, () => r());
  const y = seq(n, (i) => 1 + x1[i] - 2 * x2[i] + 3 * x4[i] + r());
  // zeroScale: the column whose weighted scale is 0 (zero, or constant with an intercept).
  const cases: { name: string; cols: number[][]; flags: number[]; w?: number[]; y?: number[]; intercept?: boolean; zeroScale?: number }[] = [
    { name: 'duplicate column', cols: [x1, x2, x1.slice(), x4], flags: [0, 0, 1, 0] },
    { name: 'constant column with intercept', cols: [x1, seq(n, () => 0.1), x2], flags: [0, 1, 0], zeroScale: 1 },
    { name: 'x3 = 2 x1 - x2', cols: [x1, x2, x1.map((v, i) => 2 * v - x2[i]), x4], flags: [0, 0, 1, 0] },
    { name: 'x3 = 2 x1 - x2 without intercept', cols: [x1, x2, x1.map((v, i) => 2 * v - x2[i]), x4], flags: [0, 0, 1, 0], intercept: false },
    { name: 'four-term combination', cols: [x1, x2, x4, x1.map((v, i) => 0.1 * v + 3 * x2[i] - 7 * x4[i])], flags: [0, 0, 0, 1] },
    { name: 'collinear through a 1e6 offset', cols: [x1.map((v) => v + 1e6), x2, x1.map((v, i) => 2 * (v + 1e6) - x2[i]), x4], flags: [0, 0, 1, 0] },
    { name: 'zero column', cols: [x1, seq(n, () => 0), x2], flags: [0, 1, 0], zeroScale: 1 },
    { name: 'zero column without intercept', cols: [x1, seq(n, () => 0), x2], flags: [0, 1, 0], intercept: false, zeroScale: 1 },
    { name: 'n < p', cols: [x1, x2, x4, x1.map((v) => v * v), x2.map((v) => Math.sqrt(v))].map((c) => c.slice(0, 3)), y: y.slice(0, 3), flags: [0, 0, 1, 1, 1] },
    { name: 'positive weight on p rows only', cols: [x1, x2, x4, x1.map((v) => v * v)], w: seq(n, (i) => (i % 9 === 0 && i < 36 ? 1 + i : 0)), flags: [0, 0, 0, 1] },
  ];
  for (const c of cases) {
    it(`${c.name}: RANK_DEFICIENT, later column flagged, finite; with ridge > 0: OK`, async () => {
      let compared = 0;
      for (const tb of await allBackends()) {
        const yy = c.y ?? y;
        const f = fitL2(tb, c.cols, yy, { w: c.w, intercept: c.intercept });
        expect(f.status, tb.label).toBe(STATUS_RANK_DEFICIENT);
        expect(Array.from(f.flags), tb.label).toEqual(c.flags);
        expect(f.coef.every(Number.isFinite)).toBe(true);
        c.flags.forEach((a, j) => a && expect(f.coef[j + 1]).toBe(0));
        const rank = c.flags.filter((a) => !a).length + (c.intercept === false ? 0 : 1);
        expect(f.info[INFO_RANK]).toBe(rank);
        // The fit equals the fit without the aliased columns.
        const kept = c.cols.filter((_, j) => !c.flags[j]);
        const g = fitL2(tb, kept, yy, { w: c.w, intercept: c.intercept });
        const coefKept = [f.coef[0], ...Array.from(f.coef.slice(1)).filter((_, j) => !c.flags[j])];
        expectRel(coefKept, g.coef, 1e-9, `${c.name} on ${tb.label} vs the reduced design`);
        const ridged = fitL2(tb, c.cols, yy, { w: c.w, intercept: c.intercept, ridge: 0.5 });
        expect(ridged.status, `${tb.label} ridge`).toBe(STATUS_OK);
        expect(ridged.coef.every(Number.isFinite)).toBe(true);
        // With ridge, only zero columns (constant ones with an intercept) are excluded: coefficient 0.
        expect(Array.from(ridged.flags), `${tb.label} ridge flags`).toEqual(c.flags.map((_, j) => (c.zeroScale === j ? 1 : 0)));
        if (c.zeroScale !== undefined) expect(ridged.coef[c.zeroScale + 1]).toBe(0);
        compared++;
      }
      expect(compared).toBe(BACKEND_COUNT);
    });
  }

  it('NIST Filip-like conditioning is not rank deficient (the tolerance margin)', async () => {
    const x = seq(82, (i) => -3 - (i % 41) * 0.14 - (i > 40 ? 0.003 : 0));
    const cols = [x.slice()];
    for (let k = 2; k <= 10; k++) cols.push(cols[k - 2].map((v, i) => v * x[i]));
    const y = x.map((v) => 0.8 + 0.01 * Math.sin(v));
    let compared = 0;
    for (const tb of await allBackends()) {
      const f = fitL2(tb, cols, y);
      expect(f.status, tb.label).toBe(STATUS_OK);
      expect(f.info[INFO_METHOD]).toBe(1);
      expect(f.info[INFO_RANK]).toBe(11);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('a ridge too small to regularise at working precision drops the later duplicate (status OK)', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      const plain = fitL2(tb, [x1, x2], y);
      for (const ridge of [1e-300, 1e-22]) {
        const f = fitL2(tb, [x1, x2, x1.slice()], y, { ridge });
        expect(f.status, `${tb.label} ridge ${ridge}`).toBe(STATUS_OK);
        expect(Array.from(f.flags)).toEqual([0, 0, 1]);
        expectRel(f.coef, [...plain.coef, 0], 1e-12, `${tb.label} ridge ${ridge} vs the reduced design`);
        expectRel([f.info[INFO_OBJECTIVE]], [plain.info[INFO_OBJECTIVE]], 1e-12, `${tb.label} objective`);
      }
      // A ridge that does regularise splits the duplicated coefficient evenly.
      const g = fitL2(tb, [x1, x2, x1.slice()], y, { ridge: 1e-6 });
      expect(Array.from(g.flags)).toEqual([0, 0, 0]);
      expectRel([g.coef[1]], [g.coef[3]], 1e-9, `${tb.label} ridge split`);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('all weights zero: nothing identified', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      const f = fitL2(tb, [x1, x2], y, { w: seq(n, () => 0) });
      expect(f.status).toBe(STATUS_RANK_DEFICIENT);
      expect(Array.from(f.flags)).toEqual([1, 1]);
      expect(Array.from(f.coef)).toEqual([0, 0, 0]);
      const g = fitL2(tb, [x1, x2], y, { w: seq(n, () => 0), intercept: false, ridge: 1 });
      expect(g.status).toBe(STATUS_OK);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });
});

describe('l2 kernel: accuracy against exact rational solutions', () => {
  const r = rng(99);
  const problems: { name: string; cols: number[][]; y: number[]; w?: number[]; intercept?: boolean; ridge?: number; digits: number }[] = [];
  {
    const n = 50;
    const scales = [1e-8, 1e-4, 1, 1e4, 1e8];
    const cols = scales.map((s) => seq(n, () => (r() - 0.5) * s));
    const y = seq(n, (i) => 2 + cols.reduce((a, c, j) => a + c[i] / scales[j] * (j + 1), 0) + 0.1 * r());
    problems.push({ name: 'columns scaled 1e-8 ... 1e8', cols, y, digits: 14 });
    problems.push({ name: 'columns scaled 1e-8 ... 1e8, weighted, ridge', cols, y, w: seq(n, () => r() * 4), ridge: 1e-3, digits: 14 });
  }
  {
    const n = 60;
    const t = seq(n, (i) => 1.7e12 + i * 1000 + Math.floor(r() * 1000));
    const u = seq(n, () => Math.floor(r() * 64) / 8);
    const y = seq(n, (i) => 3 + 2e-3 * (t[i] - 1.7e12) - u[i] + r());
    problems.push({ name: 'millisecond timestamps (1.7e12 + ms)', cols: [t, u], y, digits: 14 });
    problems.push({ name: 'timestamps without intercept', cols: [t, u], y, intercept: false, digits: 14 });
  }
  {
    const n = 40;
    const x = seq(n, (i) => 1000 + i / 4);
    const cols = [x.slice(), x.map((v) => v * v), x.map((v) => v * v * v)];
    const y = seq(n, (i) => 1 + 1e-3 * x[i] + 1e-7 * x[i] ** 2 - 1e-11 * x[i] ** 3 + 1e-6 * r());
    problems.push({ name: 'cubic in x offset by 1000', cols, y, digits: 12 });
  }
  {
    const n = 30;
    const cols = [seq(n, () => r()), seq(n, () => r())];
    const y = seq(n, (i) => 1e6 * (cols[0][i] + cols[1][i]) + 1e3 * (r() - 0.5));
    problems.push({ name: 'large residuals (noise 1e3, signal 1e6)', cols, y, digits: 14 });
  }
  {
    // The one-pass standardisation shifts each column by the median of its values at the rows
    // (2k + 1) n / 10 (assembly/l2.ts onePass). Here those rows hold outliers 1e7 away, so the shift
    // is far from the mean and the shifted sum of squares would cancel: the multi-pass fallback runs.
    // With weights 0 on exactly those rows there is no sample at all: the fallback again.
    const n = 50;
    const sampled = [5, 15, 25, 35, 45];
    const c0 = seq(n, (i) => (sampled.includes(i) ? 1e7 + r() : r()));
    const c1 = seq(n, () => r() - 0.5);
    const y = seq(n, (i) => 1 + 2 * c0[i] - 3 * c1[i] + 0.01 * (r() - 0.5));
    problems.push({ name: 'outliers at the one-pass sample rows (multi-pass fallback)', cols: [c0, c1], y, digits: 14 });
    const w = seq(n, (i) => (sampled.includes(i) ? 0 : 0.5 + r()));
    problems.push({ name: 'zero weights at the one-pass sample rows (multi-pass fallback)', cols: [c0, c1], y, w, digits: 14 });
    const c2 = seq(n, (i) => 1e8 + (i % 7) + r()); // offset 1e8: the shift is a value of the column
    const y2 = seq(n, (i) => 5 - c2[i] + 4 * c1[i] + 0.01 * (r() - 0.5));
    problems.push({ name: 'column offset by 1e8 (one-pass shift from the data)', cols: [c2, c1], y: y2, digits: 14 });
  }

  for (const pb of problems) {
    it(`${pb.name}: coefficients and objective`, async () => {
      const exact = exactLS(pb.cols, pb.y, pb.w ?? null, pb.intercept !== false, pb.ridge ?? 0);
      const rows: Record<string, string> = {};
      let compared = 0;
      for (const tb of await allBackends()) {
        const f = fitL2(tb, pb.cols, pb.y, { w: pb.w, intercept: pb.intercept, ridge: pb.ridge });
        expect(f.status).toBe(STATUS_OK);
        const d = minDigits(f.coef, exact);
        const obj = exactObjective(pb.cols, pb.y, pb.w ?? null, f.coef, pb.ridge ?? 0);
        rows[tb.label] = `${d.toFixed(1)} digits (${f.info[INFO_METHOD] ? 'QR' : 'Chol'}, rcond ${f.info[INFO_RCOND].toExponential(1)}, it ${f.info[INFO_ITERATIONS]}, refine ${f.info[INFO_REFINE].toExponential(1)})`;
        expect(d, `${tb.label} digits`).toBeGreaterThanOrEqual(pb.digits);
        expectRel([f.info[INFO_OBJECTIVE]], [obj], 1e-14, `${tb.label} objective`);
        compared++;
      }
      expect(compared).toBe(BACKEND_COUNT);
      console.log(pb.name, rows);
    });
  }

  it('the mean model (p = 0) and the empty model', async () => {
    const y = seq(21, () => r() * 1e3);
    const w = seq(21, () => r());
    let compared = 0;
    for (const tb of await allBackends()) {
      const f = fitL2(tb, [], y, { w });
      const exact = exactLS([], y, w, true);
      expect(minDigits(f.coef, exact)).toBeGreaterThanOrEqual(15);
      expect(f.info[INFO_RANK]).toBe(1);
      const g = fitL2(tb, [], y, { intercept: false });
      expect(Array.from(g.coef)).toEqual([0]);
      expectRel([g.info[INFO_OBJECTIVE]], [exactObjective([], y, null, [0])], 1e-15, 'empty objective');
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('rcond is the 1-norm reciprocal condition of the centered, scaled Gram matrix', async () => {
    const n = 30;
    const cols = [seq(n, () => r()), seq(n, () => r()), seq(n, () => r())];
    cols[2] = cols[2].map((v, i) => v * 0.01 + cols[0][i]);
    const y = seq(n, () => r());
    // Reference in plain doubles: C = Z^T Z, Z = centered columns / norms; rcond = 1 / (|C|_1 |C^-1|_1).
    const Z = cols.map((c) => {
      const m = c.reduce((a, b) => a + b, 0) / n;
      const d = c.map((v) => v - m);
      const s = Math.hypot(...d);
      return d.map((v) => v / s);
    });
    const C = Z.map((a) => Z.map((b) => a.reduce((s, v, i) => s + v * b[i], 0)));
    const inv = invert(C);
    const norm1 = (M: number[][]) => Math.max(...M.map((_, j) => M.reduce((s, row) => s + Math.abs(row[j]), 0)));
    const truth = 1 / (norm1(C) * norm1(inv));
    let compared = 0;
    for (const tb of await allBackends()) {
      const f = fitL2(tb, cols, y);
      expect(f.info[INFO_METHOD]).toBe(0);
      // Hager's estimate is a lower bound on |C^-1|_1: rcond is an upper bound, usually exact.
      expect(f.info[INFO_RCOND]).toBeGreaterThanOrEqual(truth * (1 - 1e-9));
      expect(f.info[INFO_RCOND]).toBeLessThanOrEqual(truth * 3);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });
});

function invert(A: number[][]): number[][] {
  const m = A.length;
  const M = A.map((row, i) => [...row, ...seq(m, (j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c];
    M[c] = M[c].map((v) => v / d);
    for (let r = 0; r < m; r++) if (r !== c) M[r] = M[r].map((v, j) => v - M[r][c] * M[c][j]);
  }
  return M.map((row) => row.slice(m));
}

describe('l2 kernel: invariances and weights', () => {
  const r = rng(3);

  it('adding 1e12 to a feature column changes only the intercept', async () => {
    const n = 80;
    const x1 = seq(n, () => Math.floor(r() * 8192) / 1024); // multiples of 1/1024: exact after + 1e12
    const x2 = seq(n, () => r() * 5);
    const y = seq(n, (i) => 0.5 + 1.25 * x1[i] - 0.75 * x2[i] + r());
    const x1s = x1.map((v) => v + 1e12);
    expect(x1s.every((v, i) => v - 1e12 === x1[i])).toBe(true);
    let compared = 0;
    for (const tb of await allBackends()) {
      for (const opt of [{}, { w: seq(n, () => r() * 2) }, { ridge: 0.3 }]) {
        const a = fitL2(tb, [x1, x2], y, opt);
        const b = fitL2(tb, [x1s, x2], y, opt);
        expect(b.status).toBe(STATUS_OK);
        // Required: 1e-9. Achieved: identical (the double-double mean keeps the correction centered).
        expectRel(b.coef.slice(1), a.coef.slice(1), 1e-13, `${tb.label} slopes after the shift`);
        expectRel([b.coef[0]], [a.coef[0] - 1e12 * a.coef[1]], 1e-9, `${tb.label} intercept after the shift`);
      }
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('integer weights equal duplicated rows; zero weights equal deleted rows', async () => {
    const n = 45;
    const cols = [seq(n, () => r() * 3), seq(n, () => r() - 0.5), seq(n, () => r() * 100)];
    const y = seq(n, (i) => cols[0][i] - 4 * cols[1][i] + 0.01 * cols[2][i] + r());
    const w = seq(n, () => Math.floor(r() * 4)); // 0..3, zeros included
    const rep = (v: number[]) => v.flatMap((x, i) => Array(w[i]).fill(x) as number[]);
    const kept = (v: number[]) => v.filter((_, i) => w[i] > 0);
    let compared = 0;
    for (const tb of await allBackends()) {
      for (const ridge of [0, 2]) {
        const a = fitL2(tb, cols, y, { w, ridge });
        const b = fitL2(tb, cols.map(rep), rep(y), { ridge });
        expectRel(a.coef, b.coef, 1e-13, `${tb.label} weights vs duplicated rows (ridge ${ridge})`);
        expectRel([a.info[INFO_OBJECTIVE]], [b.info[INFO_OBJECTIVE]], 1e-13, `${tb.label} objective`);
        const w01 = w.map((v) => (v > 0 ? 1 : 0));
        const c = fitL2(tb, cols, y, { w: w01, ridge });
        const d = fitL2(tb, cols.map(kept), kept(y), { ridge });
        expectRel(c.coef, d.coef, 1e-13, `${tb.label} zero weights vs deleted rows (ridge ${ridge})`);
      }
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('scaling a column by 2^k scales its coefficient by 2^-k exactly, even at 2^+-600', async () => {
    const n = 37;
    const cols = [seq(n, () => r()), seq(n, () => r() - 0.5)];
    const y = seq(n, (i) => cols[0][i] - cols[1][i] + r());
    const w = seq(n, () => r());
    let compared = 0;
    for (const tb of await allBackends()) {
      for (const opt of [{}, { w }, { intercept: false }]) {
        const a = fitL2(tb, cols, y, opt);
        for (const k of [600, -600, 37]) {
          const f = 2 ** k;
          const b = fitL2(tb, [cols[0].map((v) => v * f), cols[1]], y, opt);
          expect(Array.from(b.coef), `${tb.label} 2^${k}`).toEqual([a.coef[0], a.coef[1] / f, a.coef[2]]);
        }
      }
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('exact fits, the smallest designs and a column below 1 / DBL_MAX', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      const x = [0.5, 1.5, -2, 3.25, 7];
      const f = fitL2(tb, [x, x.map((v) => v * v)], x.map((v) => 3 + v - 0.25 * v * v));
      expect(Array.from(f.coef)).toEqual([3, 1, -0.25]);
      expect(f.info[INFO_OBJECTIVE]).toBe(0);
      const g = fitL2(tb, [[3, 4]], [2, 5]);
      expect(Array.from(g.coef)).toEqual([-7, 3]);
      const h = fitL2(tb, [[3]], [2]);
      expect(h.status).toBe(STATUS_RANK_DEFICIENT);
      expect(Array.from(h.coef)).toEqual([2, 0]);
      const tiny = fitL2(tb, [x.map((v) => v * 1e-310), x], x.map((v) => 1 + v));
      expect(Array.from(tiny.flags)).toEqual([1, 0]);
      expect(Array.from(tiny.coef)).toEqual([1, 0, 1]);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('zero-weight rows may hold any finite values', async () => {
    const n = 30;
    const cols = [seq(n, () => r()), seq(n, () => r())];
    const y = seq(n, () => r());
    const w = seq(n, (i) => (i % 5 === 0 ? 0 : 1));
    const wild = cols.map((c) => c.map((v, i) => (w[i] === 0 ? 1e300 * (i % 2 ? -1 : 1) : v)));
    const ywild = y.map((v, i) => (w[i] === 0 ? -1e300 : v));
    let compared = 0;
    for (const tb of await allBackends()) {
      const a = fitL2(tb, cols, y, { w });
      const b = fitL2(tb, wild, ywild, { w });
      expect(b.status).toBe(STATUS_OK);
      expectRel(b.coef, a.coef, 1e-13, `${tb.label} wild zero-weight rows`);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });
});

const EPS = 2 ** -52;

describe('l2 kernel: the plain float64 refinement (n (p + 1) >= 2^20, rcond >= 1e-4)', () => {
  // Problems with a known exact solution at the size where l2_fit refines in plain float64
  // (assembly/l2.ts PLAIN_MIN_NQ): rows come in pairs with the same x and residuals +e, -e (equal
  // weights within a pair), so X^T W r = 0 and 1^T W r = 0 exactly and (b0*, b*) is the exact
  // least-squares solution; every product and sum of the construction is exact in doubles
  // (integer x, dyadic coefficients and residuals). An odd last row lies on the plane.
  const p = 7;
  const bStar = [3, 0.125, -2.5, 7.75, -0.375, 1, 0.5, -6.25];
  function pairs(n: number, seed: number, offset = 0): { cols: number[][]; y: number[]; e: number[] } {
    const r = rng(seed);
    const cols = seq(p, () => new Array<number>(n).fill(0));
    const y = new Array<number>(n).fill(0);
    const e = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const twin = i % 2 === 1;
      let fit = bStar[0];
      for (let j = 0; j < p; j++) {
        const v = twin ? cols[j][i - 1] : Math.floor(r() * 1025) - 512 + (j === 3 ? offset : 0);
        cols[j][i] = v;
        fit += v * bStar[j + 1];
      }
      e[i] = twin ? -e[i - 1] : i === n - 1 ? 0 : (Math.floor(r() * 201) - 100) / 16;
      y[i] = fit + e[i];
    }
    return { cols, y, e };
  }
  const n = 1 << 17; // n (p + 1) = 2^20
  const base = pairs(n, 7);
  const odd = pairs(n + 1, 8);
  // column 3 offset by 5000: its mean dominates its sum of squares, so the in-place Gram
  // (assembly/l2.ts gramMatrix) takes a centred copy of it; the others are read in place
  const shifted = pairs(n, 9, 5000);
  const wPair = seq(n, (i) => (((i >> 1) % 11 === 0) ? 0 : 1 + ((i >> 1) % 5) / 4));
  // column 1 offset by 2^20 at the row pairs the fused pass samples (rows (2k + 1) n / 128: even here),
  // so its sampled mean is ~2^20 and the true one ~2^20 / 1024: the same exact solution
  const spiked = (i: number) => (i % 1024 < 2 && (i >> 10) % 2 === 1 ? 1048576 : 0);
  const jump = {
    cols: base.cols.map((c, j) => (j === 1 ? c.map((v, i) => v + spiked(i)) : c)),
    y: base.y.map((v, i) => v + spiked(i) * bStar[2]),
    e: base.e,
  };
  // a 0/1 column with ~30% ones (pairs equal) and another offset by 5000 with a trend in row order:
  // sampled-mean shifts, no fallback
  const dummyTrend = (() => {
    const r = rng(13);
    const d01 = seq(n, () => 0);
    for (let i = 0; i < n; i += 2) d01[i] = d01[i + 1] = r() < 0.3 ? 1 : 0;
    const trend = seq(n, (i) => 5000 + (i >> 1) * 0.0625);
    const cols = [...base.cols.slice(0, 5), d01, trend];
    const y = base.y.map((v, i) => v - base.cols[5][i] * bStar[6] - base.cols[6][i] * bStar[7] + d01[i] * bStar[6] + trend[i] * bStar[7]);
    return { cols, y, e: base.e };
  })();

  // Plain residuals carry eps |y| noise, so the bound is normwise (relative to max |b*|), not per
  // coefficient: measured, the intercept 3 (|y| up to ~1e4) ends 3.6e-14 away, the slopes <= 1 ulp.
  it('exact solutions: plain path (INFO_METHOD 2), coefficients within 1e-14 normwise, objective within 1e-14', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      for (const [label, d, w] of [['even n', base, null], ['odd n', odd, null], ['pair weights with zeros', base, wPair],
        ['an offset column', shifted, null]] as const) {
        const f = fitL2(tb, d.cols, d.y, { w });
        expect(f.status, `${tb.label} ${label}`).toBe(STATUS_OK);
        expect(f.info[INFO_METHOD], `${tb.label} ${label} method`).toBe(2);
        const bmax = Math.max(...bStar.map(Math.abs));
        const err = Math.max(...bStar.map((v, j) => (j === 0 ? 0 : Math.abs(f.coef[j] - v)))) / bmax;
        expect(err, `${tb.label} ${label} slopes ${Array.from(f.coef).join(' ')}`).toBeLessThanOrEqual(1e-14);
        // The intercept: float64 residuals resolve it to about eps max|y| (each r_i = (y_i - b0) - ...
        // rounds at ulp(y_i), the same way on every row, so the mean residual cannot see a smaller
        // intercept error): 1e-14 max|b*| where |y| <~ 1e4; with the offset column (|y| ~ 4.5e4) the
        // bound is eps max|y| — measured 8.5e-13 = 0.09 eps max|y| with the fused Gram pass (its initial
        // intercept lands elsewhere in that interval than the two-pass route's did: 1.9e-14).
        const ymax = d.y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const tol0 = label === 'an offset column' ? EPS * ymax : 1e-14 * bmax;
        expect(Math.abs(f.coef[0] - bStar[0]), `${tb.label} ${label} intercept`).toBeLessThanOrEqual(tol0);
        const obj = d.e.reduce((s, v, i) => s + (w ? w[i] : 1) * v * v, 0); // exact: dyadic squares
        expectRel([f.info[INFO_OBJECTIVE]], [obj], 1e-14, `${tb.label} ${label} objective`);
        expect(f.info[INFO_REFINE]).toBeLessThan(1e-12);
        compared++;
      }
    }
    expect(compared).toBe(4 * BACKEND_COUNT);
  });

  it('bit-identical on every backend; below the size or the rcond threshold the exact refinement runs', async () => {
    const bs = await allBackends();
    const near = base.cols.map((c) => c.slice());
    const r = rng(11);
    near[2] = near[0].map((v) => v + (r() - 0.5) * 2); // nearly collinear: rcond ~ 1e-6, Cholesky path
    const cases: [string, number[][], number[], FitOptions, number][] = [
      ['intercept', base.cols, base.y, {}, 2],
      ['no intercept', base.cols, base.y, { intercept: false }, 2],
      ['weights with zeros, ridge', base.cols, base.y, { w: wPair, ridge: 0.5 }, 2],
      ['odd n', odd.cols, odd.y, {}, 2],
      ['an offset column', shifted.cols, shifted.y, {}, 2],
      ['an offset column, no intercept', shifted.cols, shifted.y, { intercept: false }, 2],
      ['near-collinear', near, base.y, {}, 0],
      ['n (p + 1) = 2^20 - 8', base.cols.map((c) => c.slice(1)), base.y.slice(1), {}, 0],
      ['a spiked column (fused pass falls back)', jump.cols, jump.y, {}, 2],
      ['a 0/1 column and a trend (sampled-mean shifts)', dummyTrend.cols, dummyTrend.y, {}, 2],
      ['a constant column (fused pass falls back)', [...base.cols, new Array<number>(n).fill(7)], base.y, {}, 2],
    ];
    for (const [label, cols, y, opt, method] of cases) {
      const fits = bs.map((tb) => fitL2(tb, cols, y, opt));
      for (let b = 0; b < fits.length; b++) {
        expect(fits[b].info[INFO_METHOD], `${label}: ${bs[b].label} method`).toBe(method);
        expect(sameBits(fits[0], fits[b]), `${label}: ${bs[0].label} vs ${bs[b].label}`).toBeNull();
      }
    }
  });

  it('the fused Gram pass (assembly/l2.ts fusedNormalMatrix) and its fallback give the exact solution', async () => {
    // jump: column 1 is offset by 2^20 exactly at the rows the fused pass samples, so its shift is
    // ~2^20 and the centring then cancels ~20 bits: the fused pass must fall back to the two-pass
    // route. shifted: column 3 and y are copied with a sampled shift; dummy / trend: a 0/1 column and
    // a trend in row order offset by 5000. constant: a constant column is aliased on both routes.
    let compared = 0;
    for (const tb of await allBackends()) {
      for (const [label, d] of [['jump', jump], ['shifted', shifted], ['dummy / trend', dummyTrend]] as const) {
        const f = fitL2(tb, d.cols, d.y);
        expect(f.status).toBe(STATUS_OK);
        const err = Math.max(...bStar.map((v, j) => (j === 0 ? 0 : Math.abs(f.coef[j] - v)))) / Math.max(...bStar.map(Math.abs));
        expect(err, `${tb.label} ${label}`).toBeLessThanOrEqual(1e-14);
        compared++;
      }
      const c = fitL2(tb, [...base.cols, new Array<number>(n).fill(7)], base.y);
      expect(c.status).toBe(STATUS_RANK_DEFICIENT);
      expect(c.info[INFO_METHOD]).toBe(2);
      expect(Array.from(c.flags)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
      compared++;
    }
    expect(compared).toBe(4 * BACKEND_COUNT);
  });
});
