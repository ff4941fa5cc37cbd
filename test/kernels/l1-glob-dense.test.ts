// The full level's reduced problem (assembly/l1-glob.ts gatherDense: glob sums per 16384-row chunk, four
// partial sums per glob, chunk sums in chunk order; kSample and the sides pass's counts): the kernel and
// the twin build the SAME reduced problem — its membership, row map, columns, responses and weights
// compared byte for byte in the work region after the fit (the final outputs alone rarely show a last
// bit of a glob row) — and reach the plain solve's certified optimum. Sizes with a last chunk of 1-3
// rows past a multiple of 4, weights with zeros, tau 0.1 / 0.5 / 0.9, no intercept, a column whose mean
// is ~1e3 times its spread; a full level built by the list gather (80% zero weights).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFO_GAP, INFO_GLOB_ROUNDS, INFO_LEN, INFO_OBJECTIVE, INFO_PRIMAL } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import { rsCapRows } from '../../src/twin/l1-state.js';
import { SELECT_SCRATCH_BYTES } from '../../src/twin/select.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { expectRel, rng } from '../helpers/close.js';
import { globFit, l1Objective as objective, type L1Problem } from '../helpers/l1-problem.js';

const TOL = 1e-10;
/** Glob from 1 row, smallest level 40 rows (levels below the full one), or never. */
const FORCE: [number, number] = [1, 40];
const OFF: [number, number] = [1 << 30, 0];

/** Uniform design (column 0 moved by `offset`), Cauchy noise; weights with ~5% zeros when `weights`. */
function problem(seed: number, n: number, p: number,
  o: { offset?: number; weights?: boolean; intercept?: boolean; zeros?: number } = {}): L1Problem {
  const u = rng(seed);
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 1;
    for (let j = 0; j < p; j++) { const v = u() * 4 - 2 + j; X[j * n + i] = v + (j === 0 ? o.offset ?? 0 : 0); f += v * (j % 3 - 1); }
    y[i] = f + Math.tan(Math.PI * (u() - 0.5));
  }
  const pr: L1Problem = { n, p, X, y, intercept: o.intercept };
  if (o.weights) pr.w = Float64Array.from({ length: n }, () => (u() < (o.zeros ?? 0.05) ? 0 : 0.5 + u()));
  return pr;
}

/** The byte range of the reduced problem's area in a work region (membership, row map, X, y, w:
 *  globBegin's first five regions), after the full layout (src/twin/l1-state.ts layout, the kernel's
 *  alike; the work region 16-aligned). */
function reducedArea(pr: L1Problem): [number, number] {
  const { n, p } = pr, q = p + (pr.intercept === false ? 0 : 1);
  const cap = n <= 65536 ? n + 2 : Math.max(n >> 2, 65536) + 2, rb = (b: number) => Math.ceil(b / 16) * 16;
  let e = 6 * rb(8 * n) + 2 * rb(4 * n) + 9 * rb(8 * q) + 3 * rb(4 * q) + 2 * rb(8 * q * q) + SELECT_SCRATCH_BYTES;
  e = rb(e) + rsCapRows(n, p) * p * 8;
  return [e, e + rb(4 * n) + rb(4 * cap) + rb(8 * cap * p) + 2 * rb(8 * cap)];
}

let backends: TestBackend[];
beforeAll(async () => { backends = await allBackends(); });
afterAll(() => { for (const tb of backends ?? []) tb.backend.kernels.l1_glob(0, 0); });

describe('the full level\'s dense reduced-problem build', () => {
  const cases: Array<[string, L1Problem, number]> = [
    ['n 40003 p 4 tau 0.5', problem(1, 40003, 4), 0.5],
    ['n 40003 p 4 tau 0.1 weights', problem(2, 40003, 4, { weights: true }), 0.1],
    ['n 33793 p 3 tau 0.9 no intercept', problem(3, 33793, 3, { intercept: false }), 0.9],
    ['n 34818 p 5 offset column, weights', problem(4, 34818, 5, { offset: 1e3, weights: true }), 0.5],
    // 80% of the weights 0: the globs hold under a quarter of the rows even on the full level, whose
    // build is then the list gather's (kGather) — the same sums by construction
    ['n 40003 p 4 tau 0.3, 80% zero weights (list gather)', problem(5, 40003, 4, { weights: true, zeros: 0.8 }), 0.3],
  ];

  it('kernel and twin build the same reduced problem, byte for byte, and return the same bits', () => {
    const rel = backends.find((b) => b.label === 'wasm-release')!;
    const js = backends.find((b) => b.label === 'js')!;
    let compared = 0;
    for (const [what, pr, tau] of cases) {
      const a = globFit(rel, pr, tau, FORCE, undefined, 100_000, TOL, true), b = globFit(js, pr, tau, FORCE, undefined, 100_000, TOL, true);
      expect(a.status, what).toBe(STATUS_OK);
      expect(a.info[INFO_GLOB_ROUNDS], `${what}: globbed`).toBeGreaterThan(0);
      const [s0, s1] = reducedArea(pr);
      const x = a.work!.subarray(s0, s1), y = b.work!.subarray(s0, s1);
      // the area holds the full level's build: some of its bytes are set
      expect(x.some((v) => v !== 0), `${what}: area written`).toBe(true);
      let first = -1;
      for (let k = 0; k < x.length && first < 0; k++) if (x[k] !== y[k]) first = k;
      expect(first, `${what}: first differing byte of the reduced area`).toBe(-1);
      for (let j = 0; j <= pr.p; j++) expect(Object.is(a.coef[j], b.coef[j]), `${what} coef[${j}]`).toBe(true);
      for (let k = 0; k < INFO_LEN; k++) expect(Object.is(a.info[k], b.info[k]), `${what} info[${k}]`).toBe(true);
      compared++;
    }
    expect(compared).toBe(cases.length);
  });

  it('reaches the plain solve\'s certified optimum on every backend', () => {
    let compared = 0;
    for (const tb of backends) {
      for (const [what, pr, tau] of cases) {
        const plain = globFit(tb, pr, tau, OFF, undefined, 100_000, TOL);
        const glob = globFit(tb, pr, tau, FORCE, undefined, 100_000, TOL);
        expect(glob.status, `${tb.label} ${what}`).toBe(STATUS_OK);
        expect(glob.info[INFO_GLOB_ROUNDS]).toBeGreaterThan(0);
        expectRel(objective(pr, glob.coef, tau), glob.info[INFO_PRIMAL], 1e-12, `${tb.label} ${what}: primal`);
        expectRel(glob.info[INFO_OBJECTIVE], plain.info[INFO_OBJECTIVE], 1e-9, `${tb.label} ${what}: vs plain`);
        expect(glob.info[INFO_GAP]).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(glob.info[INFO_PRIMAL])) * 1.0001 + 1e-12);
        compared++;
      }
    }
    expect(compared).toBe(3 * cases.length);
  });
});
