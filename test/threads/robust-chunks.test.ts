// MM and LTS row chunks (assembly/lts.ts R_ROWS, assembly/mm.ts M_ROWS) on the single-threaded WASM build
// (this file never starts a pool): the same bits as the twin on problems of several chunks — the
// reference that test/threads/robust-threads.test.ts compares 1, 2 and 3 threads with.
import { describe, it } from 'vitest';
import { lts, mm } from '../../src/index.js';
import { initBeforeAll } from '../helpers/robust.js';
import { robustData, ltsBits, mmBits, same } from '../helpers/robust-chunks.js';

describe('MM and LTS row chunks, single-threaded WASM = twin, bit for bit', () => {
  initBeforeAll();
  for (const [n, p] of [[16385, 2], [40001, 3]] as const) {
    it(`lts and mm n = ${n}, p = ${p} (default and no intercept)`, () => {
      const d = robustData(n, p, n + p);
      for (const o of [{}, { intercept: false }]) {
        same(ltsBits(lts(d.X, d.y, { ...o, backend: 'wasm' })), ltsBits(lts(d.X, d.y, { ...o, backend: 'js' })), `lts ${JSON.stringify(o)}`);
      }
      const e = robustData(n, p, 2 * n + p);
      for (const o of [{}, { intercept: false }]) {
        same(mmBits(mm(e.X, e.y, { ...o, backend: 'wasm' })), mmBits(mm(e.X, e.y, { ...o, backend: 'js' })), `mm ${JSON.stringify(o)}`);
      }
    });
  }
});
