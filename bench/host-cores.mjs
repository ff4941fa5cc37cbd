#!/usr/bin/env node
// node bench/host-cores.mjs [--threads 2] [--reps 5] [--json PATH]
// How many cores does this host deliver right now? A two-thread speed-up of a fit (bench/threads.mjs)
// can only be read against what the machine gives two threads at that moment: on a shared VM other
// tenants can take most of one vCPU for minutes (session 10: two CPU-bound processes ran at 0.6x
// speed each, so two threads could not beat ~1.2x whatever the code did).
//
// Two probes, each run on each worker alone in turn (the slowest counts: one worker's buffer may sit
// badly) and then on N worker threads at once (same work per thread), repetitions interleaved; the
// capacity is N x (time alone) / (time together), medians:
//   compute — an integer/float loop in registers (what the solver's serial code and in-cache tiles need);
//   stream  — sums over a private 64 MiB Float64Array per thread (what the passes over X need: memory
//             bandwidth shared by the cores).
// A quiet 2-core host gives ~2.0 for compute and less for stream (bandwidth is shared). Run it
// right before and after bench/threads.mjs and report both next to the speed-ups.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: A } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    reps: { type: 'string', default: '5' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log('node bench/host-cores.mjs [--threads N (default 2)] [--reps R (default 5)] [--json PATH]');
  process.exit(0);
}
const N = Number(A.threads);
const reps = Number(A.reps);
if (!(Number.isInteger(N) && N >= 2) || !(Number.isInteger(reps) && reps >= 1)) throw new Error('--threads >= 2 and --reps >= 1 integers');

const WORKER = `
const { parentPort } = require('node:worker_threads');
const MB = 64, len = (MB << 20) / 8;
const buf = new Float64Array(len);
for (let i = 0; i < len; i++) buf[i] = (i % 1000) * 0.001;
function compute() {
  let s = 0, x = 1.0;
  for (let i = 0; i < 1.5e8; i++) { s = (s + i * 7) | 0; x = x * 1.0000001 + 1e-9; }
  return s + x;
}
function stream() {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let r = 0; r < 8; r++) for (let i = 0; i < len; i += 4) { s0 += buf[i]; s1 += buf[i + 1]; s2 += buf[i + 2]; s3 += buf[i + 3]; }
  return s0 + s1 + s2 + s3;
}
parentPort.on('message', (kind) => {
  const t0 = performance.now();
  const v = kind === 'compute' ? compute() : stream();
  parentPort.postMessage({ ms: performance.now() - t0, v });
});
parentPort.postMessage('ready');
`;

const workers = await Promise.all(Array.from({ length: N }, () => new Promise((resolve) => {
  const w = new Worker(WORKER, { eval: true });
  w.once('message', () => resolve(w));
})));
const run = (w, kind) => new Promise((resolve) => { w.once('message', (m) => resolve(m.ms)); w.postMessage(kind); });
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

const out = { host: `${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} vCPUs, load ${os.loadavg()[0].toFixed(2)}`, threads: N, reps, probes: {} };
for (const kind of ['compute', 'stream']) await run(workers[0], kind); // warm (JIT, page faults)
for (const kind of ['compute', 'stream']) {
  const alone = [], together = [];
  for (let r = 0; r < reps; r++) {
    // alone: each worker in turn (its own buffer), the slowest of them — a slow buffer of one worker
    // (page placement) is then not read as contention
    let a = 0;
    for (const w of workers) a = Math.max(a, await run(w, kind));
    alone.push(a);
    const ts = await Promise.all(workers.map((w) => run(w, kind)));
    together.push(Math.max(...ts));
  }
  const a = median(alone), t = median(together);
  out.probes[kind] = { aloneMs: a, togetherMs: t, capacity: (N * a) / t };
}
await Promise.all(workers.map((w) => w.terminate()));

console.log(`host cores — ${out.host}; ${N} threads, ${reps} interleaved reps (medians)`);
for (const [kind, p] of Object.entries(out.probes)) {
  console.log(`${kind.padEnd(8)} alone ${p.aloneMs.toFixed(0).padStart(5)} ms, ${N} at once ${p.togetherMs.toFixed(0).padStart(5)} ms each -> capacity ${p.capacity.toFixed(2)} of ${N}`);
}
if (out.probes.compute.capacity < 0.9 * N) {
  console.log(`NOTE: this host delivers ${out.probes.compute.capacity.toFixed(2)} cores of ${N} for compute right now: a ${N}-thread speed-up above that is impossible, and wall-clock ratios measured now understate the code.`);
}
if (A.json) writeFileSync(A.json, JSON.stringify(out, null, 2) + '\n');
