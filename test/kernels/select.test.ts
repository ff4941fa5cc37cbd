// Weighted selection (src/twin/select.ts, the twin of assembly/select.ts) against a sort-based
// reference: the first element in (key, id) order whose cumulative weight reaches the target.
// The WASM copy is exercised through the L1 kernel (test/kernels/l1-kernel.test.ts: weighted quantiles up to
// n = 3000, and every coordinate step and line search), where both backends must agree bit for bit.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/backend/arena.js';
import { jsBackend } from '../../src/backend/twin.js';
import { SELECT_SCRATCH_BYTES, argmin, wselect, wthin } from '../../src/twin/select.js';
import { rng } from '../helpers/close.js';

interface Triples { key: Float64Array; wt: Float64Array; id: Int32Array }

/** Sort-based reference: returns target -> selected (key, id). */
function reference(t: Triples): (target: number) => { key: number; id: number } {
  const ord = Array.from(t.key.keys()).sort((a, b) => t.key[a] - t.key[b] || t.id[a] - t.id[b]);
  const cum: number[] = [];
  let c = 0;
  for (const a of ord) cum.push((c += t.wt[a]));
  return (target) => {
    let k = cum.findIndex((v) => v >= target);
    if (k < 0) k = ord.length - 1;
    return { key: t.key[ord[k]], id: t.id[ord[k]] };
  };
}

/** Copies t into twin memory (with SELECT_SCRATCH_BYTES of scratch), runs f on the offsets, and
 *  returns f's count with the first `len(count)` triples read back afterwards. */
function inTwin(t: Triples, f: (pK: number, pW: number, pI: number, pS: number, m: number) => number,
  len: (count: number, m: number) => number): { count: number; after: Triples } {
  const arena = new Arena(jsBackend);
  const m = t.key.length;
  const mark = arena.mark();
  try {
    const [pK, pW, pI, pS] = arena.allocMany([8 * m, 8 * m, 4 * m, SELECT_SCRATCH_BYTES]);
    jsBackend.f64().set(t.key, pK >>> 3);
    jsBackend.f64().set(t.wt, pW >>> 3);
    jsBackend.i32().set(t.id, pI >>> 2);
    const count = f(pK, pW, pI, pS, m);
    const c = len(count, m);
    const f64 = jsBackend.f64(), i32 = jsBackend.i32();
    return { count, after: { key: f64.slice(pK >>> 3, (pK >>> 3) + c), wt: f64.slice(pW >>> 3, (pW >>> 3) + c), id: i32.slice(pI >>> 2, (pI >>> 2) + c) } };
  } finally {
    arena.release(mark);
  }
}

/** Runs wselect in twin memory; returns the selection and the arrays afterwards. */
function select(t: Triples, target: number, total: number | null): { pos: number; after: Triples } {
  const { count, after } = inTwin(t, (pK, pW, pI, pS, m) => (total === null ? wselect(pK, pW, pI, m, target) : wselect(pK, pW, pI, m, target, total, pS)), (_c, m) => m);
  return { pos: count, after };
}

function triples(seed: number, m: number, ties: boolean, zeros: boolean): Triples {
  const u = rng(seed);
  const key = Float64Array.from({ length: m }, () => (ties ? Math.floor(u() * 7) - 3 : u() * 200 - 100));
  const wt = Float64Array.from({ length: m }, () => (zeros && u() < 0.3 ? 0 : u() * 3));
  // distinct ids in scrambled order (ids are row numbers in the kernel)
  const id = Int32Array.from({ length: m }, (_, i) => (i * 7919) % 1000003);
  return { key, wt, id };
}

/** The arrays afterwards hold the same triples (a permutation; ids are distinct). */
function expectPermutation(before: Triples, after: Triples): void {
  const at = new Map<number, number>();
  before.id.forEach((id, a) => at.set(id, a));
  let ok = at.size === after.id.length;
  let compared = 0;
  after.id.forEach((id, a) => {
    const b = at.get(id);
    if (b === undefined || !Object.is(before.key[b], after.key[a]) || !Object.is(before.wt[b], after.wt[a])) ok = false;
    at.delete(id);
    compared++;
  });
  expect(ok && at.size === 0, 'the arrays hold a permutation of the input triples').toBe(true);
  expect(compared).toBe(before.id.length);
}

describe('wselect (weighted lower quantile in (key, id) order)', () => {
  const sizes = [1, 2, 3, 5, 10, 100, 511, 512, 513, 600, 2000, 20000];
  it.each(sizes)('m = %i: sampling and plain paths agree with the reference', (m) => {
    let compared = 0;
    for (const ties of [false, true]) {
      for (const zeros of [false, true]) {
        const t = triples(m * 4 + (ties ? 2 : 0) + (zeros ? 1 : 0), m, ties, zeros);
        let W = 0;
        for (const w of t.wt) W += w;
        const refOf = reference(t);
        for (const frac of [-1, 0, 1e-9, 0.1, 0.25, 0.5, 0.77, 0.999, 1]) {
          const target = frac * W;
          const ref = refOf(target);
          for (const total of [W, null]) {
            const { pos, after } = select(t, target, total);
            expect({ key: after.key[pos], id: after.id[pos] }, `m=${m} ties=${ties} zeros=${zeros} frac=${frac} total=${total}`).toEqual(ref);
            expectPermutation(t, after);
            compared++;
            if (total === null) {
              // plain FIND: positions before the result hold exactly its predecessors
              let bad = -1;
              let checked = 0;
              for (let a = 0; a < m && bad < 0; a++) {
                const prec = after.key[a] < ref.key || (after.key[a] === ref.key && after.id[a] < ref.id);
                if (prec !== a < pos) bad = a;
                checked++;
              }
              expect(bad, `m=${m}: first position out of place`).toBe(-1);
              expect(checked).toBe(m);
            }
          }
        }
      }
    }
    expect(compared).toBe(2 * 2 * 9 * 2); // ties x zeros x fractions x (sampling, plain)
  });

  it('a target beyond the total (rounding shortfall) selects the largest element', () => {
    const t = triples(9, 3000, false, false);
    let W = 0;
    for (const w of t.wt) W += w;
    const ref = reference(t)(Infinity);
    let compared = 0;
    for (const total of [W, null]) {
      const { pos, after } = select(t, W * (1 + 1e-12), total);
      expect({ key: after.key[pos], id: after.id[pos] }).toEqual(ref);
      compared++;
    }
    expect(compared).toBe(2);
  });

  it('is deterministic: the same input gives the same permutation', () => {
    const t = triples(11, 5000, true, true);
    const a = select(t, 1234.5, 7000), b = select(t, 1234.5, 7000);
    expect(a.pos).toBe(b.pos);
    expect(Array.from(a.after.id)).toEqual(Array.from(b.after.id));
  });
});

/** Runs wthin in twin memory on (a copy of) t; returns the kept triples [0, c). */
function thin(t: Triples, target: number, total: number): Triples {
  return inTwin(t, (pK, pW, pI, pS, m) => wthin(pK, pW, pI, m, target, total, pS), (c) => c).after;
}

/** The triples at the positions `keep` accepts (a subset), as new arrays. */
function subset(t: Triples, keep: (a: number) => boolean): Triples {
  const at = Array.from(t.key.keys()).filter(keep);
  return { key: Float64Array.from(at, (a) => t.key[a]), wt: Float64Array.from(at, (a) => t.wt[a]), id: Int32Array.from(at, (a) => t.id[a]) };
}

describe('wthin (the L1 line search\'s thinning: keys above the target element\'s dropped)', () => {
  // A list of m elements thinned at its target element's key T keeps exactly {key <= T} (ties at T
  // included), and the target element of the list plus any further elements — selected on the thinned
  // list plus those further elements — is the one selected over everything (the sort reference).
  const cases: [string, Triples][] = [
    ['one element', { key: Float64Array.of(2.5), wt: Float64Array.of(1), id: Int32Array.of(7) }],
    ['all keys equal', { key: new Float64Array(700).fill(3), wt: Float64Array.from({ length: 700 }, (_, i) => 1 + (i % 3)), id: Int32Array.from({ length: 700 }, (_, i) => (i * 7919) % 1000003) }],
  ];
  for (const m of [2, 5, 100, 512, 513, 3000]) {
    for (const ties of [false, true]) for (const zeros of [false, true]) cases.push([`m=${m} ties=${ties} zeros=${zeros}`, triples(m * 8 + (ties ? 2 : 0) + (zeros ? 1 : 0), m, ties, zeros)]);
  }
  it.each(cases)('%s: keeps {key <= T}; the target element of a superset is unchanged', (_label, all) => {
    const m = all.key.length;
    let compared = 0;
    for (const share of [0.25, 0.5, 1]) {
      // the first list: a share of the elements (the batches seen so far); the rest arrive later
      const cut = Math.max(1, Math.floor(share * m));
      const first = subset(all, (a) => a < cut), later = subset(all, (a) => a >= cut);
      let W = 0;
      for (const w of first.wt) W += w;
      for (const frac of [0, 1e-4, 0.01, 0.3, 1]) {
        const target = frac * W;
        const T = reference(first)(target).key;
        const kept = thin(first, target, W);
        const want = subset(first, (a) => first.key[a] <= T);
        expect(new Set(kept.id), `${_label} share=${share} frac=${frac}: kept ids`).toEqual(new Set(want.id));
        expect(kept.id.length).toBe(want.id.length);
        expectPermutation(want, kept);
        // the superset's target element, selected on the thinned list + the later elements
        const merged: Triples = {
          key: Float64Array.of(...kept.key, ...later.key), wt: Float64Array.of(...kept.wt, ...later.wt), id: Int32Array.of(...kept.id, ...later.id),
        };
        let Wm = 0;
        for (const w of merged.wt) Wm += w;
        const { pos, after } = select(merged, target, Wm);
        expect({ key: after.key[pos], id: after.id[pos] }, `${_label} share=${share} frac=${frac}: superset's element`).toEqual(reference(all)(target));
        compared++;
      }
    }
    expect(compared).toBe(15);
  });
});

describe('argmin', () => {
  it('finds the first element in (key, id) order without reordering', () => {
    const ms = [1, 2, 7, 1000];
    let compared = 0;
    for (const m of ms) {
      const t = triples(m, m, true, false);
      const arena = new Arena(jsBackend);
      const mark = arena.mark();
      try {
        const [pK, pI] = arena.allocMany([8 * m, 4 * m]);
        jsBackend.f64().set(t.key, pK >>> 3);
        jsBackend.i32().set(t.id, pI >>> 2);
        const pos = argmin(pK, pI, m);
        expect({ key: t.key[pos], id: t.id[pos] }).toEqual(reference(t)(0));
        expect(Array.from(jsBackend.i32().slice(pI >>> 2, (pI >>> 2) + m))).toEqual(Array.from(t.id));
        compared++;
      } finally {
        arena.release(mark);
      }
    }
    expect(compared).toBe(ms.length);
  });
});
