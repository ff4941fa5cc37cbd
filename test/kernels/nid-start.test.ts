// l1_fit's pStartR (src/abi/kernels.ts): summary's nid refits at tau ± h start from the fit and hand the
// kernel the start's residuals and the data's maxima, computed once for both refits by nid_rows (c = b0,
// a = −b, pMax). The kernel reads them instead of its first residual pass of the warm-started globbing
// solve: the refit is then bit for bit the one without pStartR (status, coefficients, every info slot),
// on every backend (WASM release, debug, TypeScript twin), on continuous and tied integer data, f64 and
// f32 X. And the values are read: residuals of the wrong sign classify the rows on the wrong sides, the
// solve fixes them up and still reaches the certified optimum.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_GLOB_FIXUPS, INFO_GLOB_ROUNDS, INFO_LEN, INFO_OBJECTIVE } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';

let backends: TestBackend[] = [];
beforeAll(async () => {
  backends = await allBackends();
});

interface Problem { n: number; p: number; X: Float64Array; y: Float64Array; f32: boolean }

/** Column-major X: Gaussian (continuous) or integers in −2..2 with integer y (ties on the fit). */
function problem(seed: number, n: number, p: number, integer: boolean, f32: boolean): Problem {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let t = 0; t < n * p; t++) X[t] = integer ? Math.floor(u() * 5) - 2 : normal();
  for (let i = 0; i < n; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) lin += X[j * n + i] * (j % 2 === 0 ? 1 : -0.5);
    const e = 2 * normal() / Math.sqrt((normal() ** 2 + normal() ** 2) / 2);
    y[i] = integer ? Math.round(lin + e) : lin + e;
  }
  return { n, p, X: f32 ? Float64Array.from(Float32Array.from(X)) : X, y, f32 };
}

/** One l1_fit call (intercept, fullRank with a start); startR: 'none', 'nid' (nid_rows' residuals and
 *  maxima of the start) or 'flipped' (those residuals negated). */
function fit(tb: TestBackend, pr: Problem, tau: number, start: Float64Array | null, startR: 'none' | 'nid' | 'flipped') {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const { n, p } = pr;
  const mark = arena.mark();
  try {
    const [pX, pY, pS, pC, pI, pF, pR, pA, pWk] = arena.allocMany([
      (pr.f32 ? 4 : 8) * n * p, 8 * n, 8 * (p + 1), 8 * (p + 1), 8 * INFO_LEN, 4 * p, 8 * (n + p + 1), 8 * p, k.l1_work_bytes(n, p),
    ]);
    const f = backend.f64();
    if (pr.f32) new Float32Array(f.buffer).set(Float32Array.from(pr.X), pX >>> 2);
    else f.set(pr.X, pX >>> 3);
    f.set(pr.y, pY >>> 3);
    if (start) f.set(start, pS >>> 3);
    if (start && startR !== 'none') {
      for (let j = 0; j < p; j++) f[(pA >>> 3) + j] = -start[j + 1];
      k.nid_rows(n, p, pX, pY, start[0], pA, pR, pr.f32 ? 1 : 0, pR + 8 * n);
      const g = backend.f64();
      if (startR === 'flipped') for (let i = 0; i < n; i++) g[(pR >>> 3) + i] = -g[(pR >>> 3) + i];
    }
    const status = k.l1_fit(n, n, p, pX, pY, 0, 1, tau, 100_000, 1e-10, start ? pS : 0, pC, pI, pF, pWk, pr.f32 ? 1 : 0,
      start ? 1 : 0, startR === 'none' ? 0 : pR);
    const g = backend.f64();
    return { status, coef: g.slice(pC >>> 3, (pC >>> 3) + p + 1), info: g.slice(pI >>> 3, (pI >>> 3) + INFO_LEN) };
  } finally {
    arena.release(mark);
  }
}

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('l1_fit pStartR (the nid refits\' shared first pass)', () => {
  it('gives the refit of the start without it, bit for bit, on every backend; residuals of the wrong sign are fixed up', () => {
    let compared = 0, fixed = 0;
    for (const [seed, n, p, integer, f32, tau, h] of [
      [1, 6000, 4, false, false, 0.5, 0.03], [2, 6000, 3, true, false, 0.1, 0.02], [3, 5000, 5, true, true, 0.9, 0.02],
      [4, 7000, 6, false, true, 0.3, 0.04],
    ] as const) {
      const pr = problem(seed, n, p, integer, f32);
      const bits: Float64Array[] = [];
      for (const tb of backends) {
        const base = fit(tb, pr, tau, null, 'none');
        expect(base.status).toBe(STATUS_OK);
        for (const t of [tau + h, tau - h]) {
          const plain = fit(tb, pr, t, base.coef, 'none');
          const shared = fit(tb, pr, t, base.coef, 'nid');
          const label = `${tb.label} seed ${seed} tau ${t}`;
          expect(plain.status, label).toBe(STATUS_OK);
          expect(plain.info[INFO_GLOB_ROUNDS], label).toBeGreaterThan(0); // the warm-started globbing solve ran
          expect(shared.status, label).toBe(STATUS_OK);
          expect(same(shared.coef, plain.coef), `${label}: coefficients`).toBe(true);
          expect(same(shared.info, plain.info), `${label}: info`).toBe(true);
          bits.push(shared.coef);
          const flipped = fit(tb, pr, t, base.coef, 'flipped');
          expect(flipped.status, label).toBe(STATUS_OK);
          expect(Math.abs(flipped.info[INFO_OBJECTIVE] - plain.info[INFO_OBJECTIVE]), label).toBeLessThanOrEqual(1e-9 * plain.info[INFO_OBJECTIVE]);
          if (flipped.info[INFO_GLOB_FIXUPS] > plain.info[INFO_GLOB_FIXUPS]) fixed++;
          compared++;
        }
      }
      // the backends agree bit for bit too
      const per = bits.length / backends.length;
      for (let b = 1; b < backends.length; b++) for (let t = 0; t < per; t++) expect(same(bits[b * per + t], bits[t])).toBe(true);
    }
    expect(compared).toBe(4 * 2 * 3);
    expect(fixed).toBe(compared); // the flipped residuals were read every time
  });
});
