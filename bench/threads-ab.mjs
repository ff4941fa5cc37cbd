#!/usr/bin/env node
// node bench/threads-ab.mjs --a DIST_A --b DIST_B [--case lad-1e6x10] [--reps 11]
// Two builds of the package (e.g. main's dist/ and a branch's) in ONE process on the same data: the
// same fit on 1 and 2 threads of each build's own init({ threads: 2 }) pool, repetitions interleaved
// (A 1, A 2, B 1, B 2, then the reverse order), so that the load drifts of a shared host hit both
// builds alike — a change's effect on the 1-thread time and on the 2-thread ratio can then be read
// even when the absolute numbers swing. Reports wall and CPU medians and fastest per (build, threads)
// and each build's T1 / T2 — as a ratio of medians, of fastest, and as the median of the per-repetition
// ratios (each build's 1- and 2-thread fits run back to back, so a host swing of minutes hits both).
// Refuses to report unless each build's results are bit-identical (coefficients, intercept and
// objective as float64 bits) across thread counts; builds whose solver path differs may differ from
// each other in the last bits, which is said with the size of the difference. One warm-up round first.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    case: { type: 'string', default: 'lad-1e6x10' },
    reps: { type: 'string', default: '11' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help || !A.a || !A.b) {
  console.log('node bench/threads-ab.mjs --a DIST_A --b DIST_B [--case lad-1e6x10] [--reps 11]   (DIST: a dist/ folder of a build)');
  process.exit(A.help ? 0 : 1);
}
const m = /^(ols|lad|huber)-1e(\d)x(\d+)$/.exec(A.case);
if (!m) throw new Error(`--case: kind-1eKxP of ols, lad or huber, received ${A.case}`);
const [, kind, e, pStr] = m;
const reps = Number(A.reps);
const d = L.makeData({ n: 10 ** Number(e), p: Number(pStr) });
const builds = [];
for (const [name, dir] of [['A', A.a], ['B', A.b]]) {
  // a query string makes the two index.js imports two module graphs even for the same path
  const lib = await import(`${pathToFileURL(path.join(path.resolve(dir), 'index.js')).href}?${name}`);
  const init = await lib.init({ threads: 2, warmup: 'wait' });
  if (init.threads !== 2) throw new Error(`${dir}: init({ threads: 2 }) started ${init.threads} (${init.threadsReason ?? ''})`);
  builds.push({ name, dir, lib, ds: lib.Dataset.from(L.asMatrixLike(d), d.y) });
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const bitsOf = (r) => Buffer.from(new Float64Array([r.intercept, r.objective, ...r.coef]).buffer).toString('hex');
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const times = {};
const ratios = { A: [], B: [] }; // per repetition: T1 / T2 of one build, measured back to back
const ref = {}; // per build: its first fit's bits (thread counts must agree within a build)
for (let r = 0; r <= reps; r++) {
  for (const b of r % 2 ? [...builds].reverse() : builds) {
    const wallOf = {};
    for (const t of r % 2 ? [2, 1] : [1, 2]) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const res = b.lib[kind](b.ds, { threads: t });
      const wall = performance.now() - t0;
      const cpu = cpuMs() - c0;
      const bits = bitsOf(res);
      ref[b.name] ??= { bits, res };
      if (bits !== ref[b.name].bits) throw new Error(`build ${b.name} (${b.dir}) on ${t} threads is not bit-identical to its first fit`);
      if (r === 0) continue;
      wallOf[t] = wall;
      const k = `${b.name} ${t}`;
      (times[k] ??= { wall: [], cpu: [] }).wall.push(wall);
      times[k].cpu.push(cpu);
    }
    if (r > 0) ratios[b.name].push(wallOf[1] / wallOf[2]);
  }
}
// Across builds the fits may differ in their last bits when a change alters the solver's path (a
// different slot order of the same basis): said, with the largest relative coefficient difference.
const same = ref.A.bits === ref.B.bits;
let note = 'bit-identical across builds and thread counts';
if (!same) {
  const a = ref.A.res, b = ref.B.res;
  const rel = (x, y) => Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300);
  const dc = Math.max(rel(a.intercept, b.intercept), ...a.coef.map((v, j) => rel(v, b.coef[j])));
  note = `bit-identical across thread counts within each build; the builds differ: objective ${rel(a.objective, b.objective).toExponential(2)} relative, coefficients up to ${dc.toExponential(2)}`;
}
console.log(`${A.case}: ${reps} interleaved reps per (build, threads), ${note}`);
console.log(L.renderTable(['build', 'threads', 'wall median', 'wall fastest', 'CPU median', 'CPU fastest'],
  Object.entries(times).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [...k.split(' '), L.fmtMs(median(v.wall)), L.fmtMs(Math.min(...v.wall)), L.fmtMs(median(v.cpu)), L.fmtMs(Math.min(...v.cpu))])));
for (const b of builds) {
  const t1 = times[`${b.name} 1`].wall, t2 = times[`${b.name} 2`].wall;
  console.log(`${b.name} = ${b.dir}: T1 / T2 ${(median(t1) / median(t2)).toFixed(3)} (medians), ${(Math.min(...t1) / Math.min(...t2)).toFixed(3)} (fastest), ${median(ratios[b.name]).toFixed(3)} (median of the per-repetition ratios, T1 and T2 back to back)`);
}
for (const b of builds) b.ds.dispose();
process.exit(0);
