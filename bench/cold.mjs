// One cold-start measurement in a fresh process (spawned by run.mjs; not meant to be run by hand, but
// it works: node bench/cold.mjs --lib ../dist/index.js --suite l1 --n 1000 --p 5 --who wasm).
// The data is generated first (untimed); then import of the package, init(), the first fit and a
// second fit are timed separately and printed as one JSON line on stdout.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { asMatrixLike, buildLpCsc, highsModel, makeData, solveHighsModel } from './lib.mjs';

const { values: a } = parseArgs({
  options: {
    lib: { type: 'string' }, suite: { type: 'string' }, n: { type: 'string' }, p: { type: 'string' },
    tau: { type: 'string' }, who: { type: 'string' }, 'highs-options': { type: 'string' },
  },
});
const n = +a.n, p = +a.p, tau = a.tau === undefined ? 0.5 : +a.tau, who = a.who;
const d = makeData({ n, p });
const out = { suite: a.suite, n, p, tau: a.suite === 'quantile' ? tau : undefined, who, uptimeAtStartMs: performance.now() };

if (who === 'highs') {
  const t0 = performance.now();
  const { default: loadHighs } = await import('highs');
  const t1 = performance.now();
  const highs = await loadHighs();
  const t2 = performance.now();
  const lad = a.suite === 'l1';
  const opts = { output_flag: false, ...JSON.parse(a['highs-options'] ?? '{}') };
  const m = highsModel(highs, buildLpCsc(d, tau, lad), opts);
  const r = solveHighsModel(highs, m, p);
  m.dispose();
  const t3 = performance.now();
  const m2 = highsModel(highs, buildLpCsc(d, tau, lad), opts);
  solveHighsModel(highs, m2, p);
  m2.dispose();
  const t4 = performance.now();
  Object.assign(out, { importMs: t1 - t0, initMs: t2 - t1, firstFitMs: t3 - t2, secondFitMs: t4 - t3, objective: r.objective });
} else {
  const lib = pathToFileURL(path.resolve(a.lib)).href;
  const X = asMatrixLike(d);
  const t0 = performance.now();
  const m = await import(lib);
  const t1 = performance.now();
  // The twin needs no init(); a 'js' user would not call it, so it is not timed for 'js'.
  if (who === 'wasm') await m.init();
  const t2 = performance.now();
  const call = () => {
    const o = { backend: who };
    switch (a.suite) {
      case 'l2': return m.ols(X, d.y, o);
      case 'l1': return m.lad(X, d.y, o);
      case 'quantile': return m.quantile(X, d.y, { ...o, tau });
      case 'huber': return m.huber(X, d.y, o);
      default: throw new Error(`cold.mjs: unknown suite ${a.suite}`);
    }
  };
  const r = call();
  const t3 = performance.now();
  call();
  const t4 = performance.now();
  Object.assign(out, { importMs: t1 - t0, initMs: who === 'wasm' ? t2 - t1 : null, firstFitMs: t3 - t2, secondFitMs: t4 - t3, objective: r.objective });
}
process.stdout.write(JSON.stringify(out) + '\n');
