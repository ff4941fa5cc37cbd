#!/usr/bin/env node
// node bench/l2-offset.mjs --base <other build>/index.js [--shapes 1e6x20,1e5x100] [--offsets 0,1e3,1e6] [--reps 7] [--gram auto]
// The cost of l2's offset guard (assembly/l2.ts OFFSET_AMP; docs/design.md §5 "the offset guard"):
// ols on a Dataset (one thread) of the benchmark data (bench/lib.mjs makeData) with every even column
// offset by K (1 + j % 3) (K = 0: the data as is), this build (--lib, default dist/) against another
// (--base, e.g. a copy of main's dist/), alternating in one process; CPU time (process.cpuUsage) per
// fit, medians and fastest, the method and corrections of each, and whether both gave the same bits.
// On a shared host pin it to one vCPU: taskset -c 0 node bench/l2-offset.mjs --base /tmp/base-dist/index.js
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    base: { type: 'string', default: '' },
    shapes: { type: 'string', default: '1e6x20,1e5x100' },
    offsets: { type: 'string', default: '0,1e3,1e6' },
    reps: { type: 'string', default: '7' },
    gram: { type: 'string', default: 'auto' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help || !A.base) {
  console.log('node bench/l2-offset.mjs --base <other build>/index.js [--lib dist/index.js] [--shapes 1e6x20,1e5x100] [--offsets 0,1e3,1e6] [--reps 7] [--gram auto|f64]');
  process.exit(A.help ? 0 : 1);
}
const libs = [];
for (const [name, file] of [['lib', A.lib], ['base', A.base]]) {
  const m = await import(pathToFileURL(path.resolve(file)).href);
  await m.init();
  libs.push({ name, m });
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

console.log(`ols (Dataset, 1 thread, gram ${A.gram}) on offset columns, lib vs base — CPU time, ${A.reps} alternating reps, load ${os.loadavg()[0].toFixed(1)}`);
for (const shape of A.shapes.split(',')) {
  const { n, p } = L.parseShape(shape);
  const d = L.makeData({ n, p });
  for (const K of A.offsets.split(',').map(Number)) {
    const X = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[j * n + i] = d.X[i * p + j] + (j % 2 === 0 ? K * (1 + (j % 3)) : 0);
    const sets = libs.map(({ m: lib }) => lib.Dataset.from({ data: X, rows: n, cols: p, layout: 'column-major' }, d.y));
    try {
      const t = libs.map(() => []);
      const res = [];
      for (let r = 0; r <= Number(A.reps); r++) {
        for (let k0 = 0; k0 < libs.length; k0++) {
          const k = (k0 + r) % libs.length;
          const c0 = cpuMs();
          res[k] = libs[k].m.ols(sets[k], { gram: A.gram });
          if (r > 0) t[k].push(cpuMs() - c0);
        }
      }
      const same = [res[1].intercept, ...res[1].coef].every((v, j) => Object.is(v, j === 0 ? res[0].intercept : res[0].coef[j - 1]));
      console.log(`${L.fmtN(n)} × ${p} offsets ${K}: ` + libs.map((l, k) =>
        `${l.name} ${res[k].method} (${res[k].iterations}) ${L.fmtMs(median(t[k]))} median, ${L.fmtMs(Math.min(...t[k]))} fastest`).join(' | ') +
        ` | lib / base ${(median(t[0]) / median(t[1])).toFixed(3)}, same bits ${same}`);
    } finally {
      for (const s of sets) s.dispose();
    }
  }
}
