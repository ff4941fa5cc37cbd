// The warm-up of the HOST code, used by init({ warmup: 'wait' }) (src/async/startup.ts) and by every
// fitAsync worker for its own thread — the
// TypeScript that validates inputs, copies them into linear memory and builds results. V8 compiles a
// JavaScript function lazily on its first call and optimizes it once it is hot, so the first fit of a
// process also pays for that (measured: bench/cold.mjs --startup). Running each public entry once on
// tiny data while init() holds a scratch WebAssembly instance moves that cost into init(). The fits
// run on the scratch instance (installed as the WASM slot for the duration of one synchronous call),
// so the instance later fits use is untouched — see test/system/warmup.test.ts.
//
// Kept apart from runtime.ts so that the runtime does not import the API layer (no import cycle).
// Adding a public entry point with its own host code (MM, LTS, …): add one line to HOST_WARMUP; its
// kernels go to WARMUP_CALLS in src/backend/warmup.ts.
import { fit, type FitOptions } from './api.js';
import { GramAccumulator } from './accumulator.js';
import { Dataset } from '../data/dataset.js';

/** A tiny deterministic problem in the two input shapes (row arrays and a column-major typed matrix). */
function tiny(): { rows: number[][]; cm: { data: Float64Array; rows: number; cols: number; layout: 'column-major' }; y: number[]; w: number[] } {
  const n = 48, p = 3;
  const rows: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = [Math.sin(i + 1), Math.cos(2 * i + 1), ((i * 7) % 11) / 11];
    rows.push(r);
    for (let j = 0; j < p; j++) data[j * n + i] = r[j];
    y.push(1 + r[0] - 2 * r[1] + 0.5 * r[2] + (i % 9 === 0 ? 5 : 0.1 * Math.sin(3 * i)));
    w.push(1 + (i % 3));
  }
  return { rows, cm: { data, rows: n, cols: p, layout: 'column-major' }, y, w };
}

/** Host warm-up entries: public calls on tiny data, run by init() on the scratch instance. */
export const HOST_WARMUP: Array<{ name: string; run(d: ReturnType<typeof tiny>): void }> = [
  {
    name: 'fit',
    run(d) {
      const losses: FitOptions[] = [{ loss: 'l2' }, { loss: 'l1' }, { loss: 'quantile', tau: 0.3 }, { loss: 'huber' }, { loss: 'smooth-l1' }];
      for (const o of losses) {
        fit(d.rows, d.y, o);
        fit(d.cm, d.y, { ...o, weights: d.w });
      }
    },
  },
  {
    name: 'Dataset',
    run(d) {
      const ds = Dataset.from(d.rows, d.y);
      try {
        fit(ds, { loss: 'l2' });
        fit(ds, { loss: 'l1' });
        fit(ds, { loss: 'huber' });
      } finally {
        ds.dispose();
      }
    },
  },
  {
    name: 'GramAccumulator',
    run(d) {
      new GramAccumulator(3).add(d.rows, d.y).solve();
    },
  },
];

/** Run every host entry (a failing one is skipped: the warm-up never breaks init()). */
export function hostWarmup(): void {
  const d = tiny();
  for (const e of HOST_WARMUP) {
    try {
      e.run(d);
    } catch {
      // skipped
    }
  }
}
