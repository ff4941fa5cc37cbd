// l1_fit's fullRank argument (issue 18: nid's refits skip the rank check a fit on the same Dataset
// already passed). With a start, fullRank = 1 skips the kernel's least-squares rank check and start,
// and nothing else: the answer must be the same bits as with the check, on every backend (WASM
// release, WASM debug, the TypeScript twin — which must also agree with each other). Without a start
// the flag is ignored (the least-squares fit is the start), so a rank-deficient design still fails.
// At the API: a quantile fit on a Dataset records its full rank, and summary(fit, dataset, nid) then
// gives the same standard errors as on a Dataset nothing has vouched for.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_LEN } from '../../src/abi/info.js';
import { STATUS_OK, STATUS_RANK_DEFICIENT } from '../../src/abi/status.js';
import { Dataset, init, quantile, summary } from '../../src/index.js';
import { knownFullRank } from '../../src/fit/solvers.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';

let backends: TestBackend[];
beforeAll(async () => {
  await init();
  backends = await allBackends();
});

/** n × p column-major X, y with t-like noise; column `alias` (if ≥ 0) copies column 0. */
function problem(seed: number, n: number, p: number, alias = -1): { X: Float64Array; y: Float64Array } {
  let s = seed >>> 0;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X[j * n + i] = j === alias ? X[i] : u() * 4 - 2;
  for (let i = 0; i < n; i++) {
    let lin = 0.5;
    for (let j = 0; j < p; j++) lin += X[j * n + i] * (j % 3 - 1);
    y[i] = lin + (u() - 0.5) / Math.sqrt(u());
  }
  return { X, y };
}

function run(tb: TestBackend, X: Float64Array, y: Float64Array, n: number, p: number, tau: number, start: Float64Array | null, fullRank: number) {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const mark = arena.mark();
  try {
    const [pX, pY, pS, pC, pI, pF, pWk] = arena.allocMany([8 * n * p, 8 * n, 8 * (p + 1), 8 * (p + 1), 8 * INFO_LEN, 4 * p, k.l1_work_bytes(n, p)]);
    const f = backend.f64();
    f.set(X, pX >>> 3);
    f.set(y, pY >>> 3);
    if (start) f.set(start, pS >>> 3);
    // stale values where the rank check would have written: the kernel must not read them
    f.fill(123.25, pC >>> 3, (pC >>> 3) + p + 1);
    backend.i32().fill(-7, pF >>> 2, (pF >>> 2) + p);
    const status = k.l1_fit(n, n, p, pX, pY, 0, 1, tau, 100_000, 1e-10, start ? pS : 0, pC, pI, pF, pWk, 0, fullRank);
    const g = backend.f64();
    return { status, coef: Array.from(g.slice(pC >>> 3, (pC >>> 3) + p + 1)), info: Array.from(g.slice(pI >>> 3, (pI >>> 3) + INFO_LEN)),
      flags: Array.from(backend.i32().slice(pF >>> 2, (pF >>> 2) + p)) };
  } finally {
    arena.release(mark);
  }
}

describe('l1_fit fullRank', () => {
  it('with a start: the same bits as with the rank check, on every backend, globbed and plain', () => {
    let compared = 0;
    for (const [n, p, tau] of [[400, 3, 0.3], [30_000, 5, 0.62]] as const) {
      const { X, y } = problem(11 + n + p, n, p);
      // a start near (not at) the optimum, as nid's refits at tau ± h have
      const start = new Float64Array(p + 1).map((_, j) => (j === 0 ? 0.4 : ((j - 1) % 3) - 1 + 0.01 * j));
      const ref = run(backends[0], X, y, n, p, tau, start, 0);
      expect(ref.status).toBe(STATUS_OK);
      for (const tb of backends) {
        for (const fr of [0, 1]) {
          const r = run(tb, X, y, n, p, tau, start, fr);
          expect(r.status, `${tb.label} fullRank=${fr}`).toBe(STATUS_OK);
          expect(r.coef, `${tb.label} fullRank=${fr} n=${n}`).toEqual(ref.coef);
          expect(r.info, `${tb.label} fullRank=${fr} n=${n}`).toEqual(ref.info);
          expect(r.flags).toEqual(new Array(p).fill(0));
          compared++;
        }
      }
    }
    expect(compared).toBe(2 * 2 * backends.length);
  });

  it('without a start the flag is ignored: a rank-deficient design still fails, on every backend', () => {
    const n = 200, p = 3;
    const { X, y } = problem(5, n, p, 2);
    for (const tb of backends) {
      const r = run(tb, X, y, n, p, 0.5, null, 1);
      expect(r.status, tb.label).toBe(STATUS_RANK_DEFICIENT);
      expect(r.flags[2], tb.label).not.toBe(0);
    }
  });
});

describe('Dataset full rank, recorded by a fit', () => {
  it('a quantile fit records it; nid standard errors equal those of an unvouched Dataset', () => {
    const n = 12_000, p = 4;
    const { X, y } = problem(29, n, p);
    const mat = { data: X, rows: n, cols: p, layout: 'column-major' as const };
    for (const backend of ['wasm', 'js'] as const) {
      const a = Dataset.from(mat, y, { backend });
      const b = Dataset.from(mat, y, { backend });
      try {
        expect(knownFullRank(a, true)).toBe(false);
        const fa = quantile(a, { tau: 0.35 });
        expect(knownFullRank(a, true)).toBe(true);
        expect(knownFullRank(b, true)).toBe(false);
        const sa = summary(fa, a, { se: 'nid' });
        const sb = summary(fa, b, { se: 'nid' }); // b: the refits run the rank check
        expect(knownFullRank(b, true)).toBe(true); // … and record it
        expect(sa.method).toBe('nid');
        expect(sa.coefficients.map((c) => c.stdError)).toEqual(sb.coefficients.map((c) => c.stdError));
        expect(sa.coefficients.every((c) => c.stdError > 0)).toBe(true);
      } finally {
        a.dispose();
        b.dispose();
      }
    }
  });

  it('a fit without the intercept vouches only for the design without it', () => {
    const n = 3000, p = 3;
    const { X, y } = problem(41, n, p);
    const ds = Dataset.from({ data: X, rows: n, cols: p, layout: 'column-major' }, y);
    try {
      quantile(ds, { tau: 0.5, intercept: false });
      expect(knownFullRank(ds, false)).toBe(true);
      expect(knownFullRank(ds, true)).toBe(false);
      quantile(ds, { tau: 0.5 });
      expect(knownFullRank(ds, true)).toBe(true);
      quantile(ds, { tau: 0.5, intercept: false });
      expect(knownFullRank(ds, true)).toBe(true);
    } finally {
      ds.dispose();
    }
  });
});
