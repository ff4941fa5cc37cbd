#!/usr/bin/env node
// node bench/gram-crossover.mjs --lib <dist>/index.js [--shapes 1e5x31,...] [--reps 9]
// Where the f32 Gram route starts to pay (assembly/l2.ts Q32_MIN: l2_fit tries it for p + 1 >= Q32_MIN):
// ols on a Dataset (one thread, bench/lib.mjs makeData) with gram 'auto' (the f32 route) against
// gram 'f64' (the f64 route), alternating in one process (the order swapped every rep) so load drifts
// hit both alike; CPU time (process.cpuUsage) of each fit, medians and fastest, and the ratio of the
// medians f32 / f64 per shape. Below Q32_MIN 'auto' takes the f64 route, so --lib must be a build with
// Q32_MIN lowered — from the repository root:
//   rm -rf /tmp/q32 && mkdir /tmp/q32 && git archive HEAD | tar -x -C /tmp/q32 && ln -s "$PWD/node_modules" /tmp/q32/
//   sed -i 's/^const Q32_MIN: i32 = 64;/const Q32_MIN: i32 = 2;/' /tmp/q32/assembly/l2.ts
//   sed -i 's/^const Q32_MIN = 64;/const Q32_MIN = 2;/' /tmp/q32/src/twin/l2.ts
//   (cd /tmp/q32 && npm run build)
//   taskset -c 0 node bench/gram-crossover.mjs --lib /tmp/q32/dist/index.js --reps 11
// (pinned to one vCPU on a shared host, as bench/perf-numpy.mjs). A shape whose 'auto' fit did not take
// the f32 route (the build's Q32_MIN, or a fallback) is flagged in the notes column.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    shapes: { type: 'string', default: '1e5x31,1e5x47,1e5x63,1e5x99,1e6x31,1e6x47,1e6x63,1e6x99' },
    reps: { type: 'string', default: '9' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log('node bench/gram-crossover.mjs --lib <dist with Q32_MIN lowered>/index.js [--shapes 1e5x31,...] [--reps 9]');
  process.exit(0);
}

const lib = await import(pathToFileURL(path.resolve(A.lib)).href);
await lib.init();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

console.log(`ols f32 Gram route ('auto') vs f64 route ('f64'), Dataset, 1 thread — CPU time, ${A.reps} alternating reps, load ${os.loadavg()[0].toFixed(1)}, lib ${A.lib}`);
const rows = [];
for (const shape of A.shapes.split(',')) {
  const { n, p } = L.parseShape(shape);
  const d = L.makeData({ n, p });
  const ds = lib.Dataset.from(L.asMatrixLike(d), d.y);
  try {
    const t = { auto: [], f64: [] };
    const method = {};
    for (let r = 0; r <= Number(A.reps); r++) {
      for (const gram of r % 2 === 0 ? ['auto', 'f64'] : ['f64', 'auto']) {
        const c0 = cpuMs();
        const res = lib.ols(ds, { gram });
        const c = cpuMs() - c0;
        method[gram] = res.method;
        if (r > 0) t[gram].push(c); // rep 0 warms both
      }
    }
    const ratio = median(t.auto) / median(t.f64);
    rows.push([`${L.fmtN(n)} × ${p} (q ${p + 1})`, L.fmtMs(median(t.auto)), L.fmtMs(Math.min(...t.auto)), L.fmtMs(median(t.f64)),
      L.fmtMs(Math.min(...t.f64)), ratio.toFixed(3), method.auto === 'cholesky-f32' ? '' : `auto took ${method.auto}`]);
  } finally {
    ds.dispose();
  }
}
console.log(L.renderTable(['n × p', 'f32 route median', 'fastest', 'f64 route median', 'fastest', 'f32 / f64', 'notes'], rows));
