// Determinism (issue #9): the same input gives bit-identical results (coefficients, intercept,
// objective, certificate, iterations, scale/epsilon) across repeated runs, across fresh module
// instances (a new import of the library with its own WebAssembly instance and memory, and a fresh
// fitAsync worker), for every loss, on both backends; and the WebAssembly kernels and the TypeScript
// twin agree bit for bit, as docs/design.md declares.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as lib from '../../src/index.js';
import { rng } from '../helpers/close.js';

type Lib = typeof lib;
type Backend = 'wasm' | 'js';

interface Problem {
  name: string;
  X: number[][];
  y: number[];
  w?: number[];
}

function synth(name: string, n: number, p: number, seed: number, weighted: boolean): Problem {
  const r = rng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => (r() * 2 - 1) * 10 ** (r() * 2)));
  const y = X.map((row) => row.reduce((s, v, j) => s + v * (j % 2 ? -1 : 1) * (j + 1), 3) + (r() < 0.15 ? 50 * (r() - 0.3) : r() - 0.5));
  return { name, X, y, w: weighted ? y.map(() => Math.floor(r() * 4)) : undefined };
}

const PROBLEMS: Problem[] = [
  synth('n=40 p=2', 40, 2, 11, false),
  synth('n=257 p=5 weighted', 257, 5, 12, true),
  synth('n=1200 p=9', 1200, 9, 13, false),
];

interface Spec {
  label: string;
  options: Record<string, unknown>;
}

/** Every loss, plus the penalised variants (their kernels take other paths). */
const SPECS: Spec[] = [
  { label: 'l2', options: { loss: 'l2' } },
  { label: 'l2 ridge', options: { loss: 'l2', ridge: 0.5 } },
  { label: 'l1', options: { loss: 'l1' } },
  { label: 'l1 lasso', options: { loss: 'l1', lambda: 2 } },
  { label: 'quantile 0.2', options: { loss: 'quantile', tau: 0.2 } },
  { label: 'quantile 0.9', options: { loss: 'quantile', tau: 0.9 } },
  { label: 'huber', options: { loss: 'huber' } },
  { label: 'huber fixed scale', options: { loss: 'huber', scale: 1.5, delta: 1 } },
  { label: 'smooth-l1', options: { loss: 'smooth-l1' } },
];

/** Every number of a result, as exact bit patterns (NaN-safe, -0 distinguished). */
function fingerprint(r: lib.FitResult): string {
  const x = r as lib.FitResult & { scale?: number; epsilon?: number; delta?: number; outliers?: Uint8Array };
  const nums: number[] = [r.intercept, r.objective, r.iterations, r.n, r.p, ...Array.from(r.coef)];
  if (r.certificate) nums.push(r.certificate.primal, r.certificate.dual, r.certificate.gap);
  for (const v of [r.rcond, x.scale, x.epsilon, x.delta, r.edgeSteps]) if (v !== undefined) nums.push(v);
  const hex = Buffer.from(Float64Array.from(nums).buffer).toString('hex');
  return `${r.status}|${r.converged}|${r.method ?? ''}|${r.nonUnique ?? ''}|${x.outliers ? Array.from(x.outliers).join('') : ''}|${hex}`;
}

function run(L: Lib, prob: Problem, spec: Spec, backend: Backend): string {
  const o = { ...spec.options, backend, ...(prob.w ? { weights: prob.w } : {}) } as lib.FitOptions;
  return fingerprint(L.fit(prob.X, prob.y, o));
}

/** All fingerprints for one module instance: problem × spec × backend. */
function table(L: Lib): Map<string, string> {
  const out = new Map<string, string>();
  for (const prob of PROBLEMS) {
    for (const spec of SPECS) {
      for (const backend of ['wasm', 'js'] as const) out.set(`${prob.name} | ${spec.label} | ${backend}`, run(L, prob, spec, backend));
    }
  }
  return out;
}

async function freshInstance(): Promise<Lib> {
  vi.resetModules();
  const L = (await import('../../src/index.js')) as Lib;
  expect(L).not.toBe(lib);
  expect(L.isInitialized()).toBe(false);
  // the debug project runs the debug build (test/setup.ts): a fresh instance loads the same binary
  const debug = process.env.ROBUSTREG_WASM === 'debug';
  await L.init(debug ? { wasm: readFileSync(fileURLToPath(new URL('../../build/debug.wasm', import.meta.url))) } : undefined);
  expect(L.memoryStats().wasmInUse).toBe(0);
  return L;
}

let reference: Map<string, string>;

beforeAll(async () => {
  await lib.init();
  reference = table(lib);
});

afterAll(() => {
  lib.terminateWorkers();
});

describe('determinism', () => {
  it(`repeated runs in one instance are bit-identical (${PROBLEMS.length} problems × ${SPECS.length} fits × 2 backends, 3 runs)`, () => {
    expect(reference.size).toBe(PROBLEMS.length * SPECS.length * 2);
    for (let k = 0; k < 2; k++) {
      // interleave other work between runs: memory reuse must not leak into results
      lib.quantile(PROBLEMS[2].X, PROBLEMS[2].y, { tau: 0.5 });
      const again = table(lib);
      let compared = 0;
      for (const [key, fp] of reference) { expect(again.get(key), key).toBe(fp); compared++; }
      expect(compared).toBe(PROBLEMS.length * SPECS.length * 2);
    }
  });

  it('results do not depend on what ran before (reverse order, after a large fit grew memory)', () => {
    const big = synth('big', 100_000, 6, 14, false);
    lib.ols(big.X, big.y);
    lib.ols(big.X, big.y, { backend: 'js' });
    let compared = 0;
    for (const prob of [...PROBLEMS].reverse()) {
      for (const spec of [...SPECS].reverse()) {
        for (const backend of ['js', 'wasm'] as const) {
          const key = `${prob.name} | ${spec.label} | ${backend}`;
          expect(run(lib, prob, spec, backend), key).toBe(reference.get(key));
          compared++;
        }
      }
    }
    expect(compared).toBe(PROBLEMS.length * SPECS.length * 2);
  });

  it('two fresh module instances (new WebAssembly instance, new memory) give the same bits', async () => {
    for (let k = 0; k < 2; k++) {
      const L = await freshInstance();
      const t = table(L);
      let compared = 0;
      for (const [key, fp] of reference) { expect(t.get(key), `instance ${k + 1}: ${key}`).toBe(fp); compared++; }
      expect(compared).toBe(PROBLEMS.length * SPECS.length * 2);
    }
  });

  it('fitAsync in fresh workers gives the same bits as fit on this thread', async () => {
    for (let k = 0; k < 2; k++) {
      lib.terminateWorkers(); // no idle worker to reuse: each round starts new ones
      let compared = 0;
      for (const prob of PROBLEMS) {
        for (const spec of SPECS) {
          for (const backend of ['wasm', 'js'] as const) {
            const o = { ...spec.options, backend, ...(prob.w ? { weights: prob.w } : {}) } as lib.FitOptions;
            const r = await lib.fitAsync(prob.X, prob.y, o);
            const key = `${prob.name} | ${spec.label} | ${backend}`;
            expect(fingerprint(r), `worker round ${k + 1}: ${key}`).toBe(reference.get(key));
            compared++;
          }
        }
      }
      expect(compared).toBe(PROBLEMS.length * SPECS.length * 2);
    }
  });

  it('WASM and the TypeScript twin are bit-identical (the declared bound) for every loss', () => {
    let compared = 0;
    for (const prob of PROBLEMS) {
      for (const spec of SPECS) {
        const w = reference.get(`${prob.name} | ${spec.label} | wasm`)!;
        const j = reference.get(`${prob.name} | ${spec.label} | js`)!;
        expect(w.length).toBeGreaterThan(0);
        expect(w, `${prob.name} | ${spec.label}: wasm vs js`).toBe(j);
        compared++;
      }
    }
    expect(compared).toBe(reference.size / 2);
  });

  it('the fingerprint sees a one-ulp change (the comparisons above can fail)', () => {
    const r = lib.ols(PROBLEMS[0].X, PROBLEMS[0].y);
    const a = fingerprint(r);
    const c = r.coef.slice();
    const u = new BigInt64Array(c.buffer);
    u[0] += 1n;
    expect(fingerprint({ ...r, coef: c } as lib.FitResult)).not.toBe(a);
  });
});
