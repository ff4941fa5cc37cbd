#!/usr/bin/env node
// node bench/roofline.mjs [--reps 7]
// Roofline of this machine for single-core least squares in WebAssembly (issue 21): the peak f64x2
// multiply + add throughput (independent chains, no memory traffic; Node 20 has no relaxed-SIMD, so
// no fused multiply-add: one f64x2.mul + one f64x2.add per 2 mul-adds), the Gram tile's rate on
// data in L1, and the streaming read bandwidth from wasm linear memory. From them, the floor of the
// Gram pass (n q(q+1)/2 mul-adds, q = p + 1 columns [X, y]; X read once) at each shape, set against
// numpy's measured time x 1.3 (the bar) when --numpy gives it (ms per shape, e.g. 45,34).
// CPU time (process.cpuUsage), medians and fastest of --reps runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values: A } = parseArgs({ options: {
  reps: { type: 'string', default: '7' },
  shapes: { type: 'string', default: '1e6x20,1e5x100' },
  numpy: { type: 'string', default: '' },
} });
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'roofline-'));
const wasmFile = path.join(tmp, 'peak.wasm');
const r = spawnSync(process.execPath, [asc, path.join(here, 'roofline', 'peak.ts'), '-O3', '--noAssert', '--runtime', 'stub',
  '--enable', 'simd', '-o', wasmFile], { encoding: 'utf8', cwd: tmp }); // cwd: not the package's asconfig.json
if (r.status !== 0) throw new Error(`asc failed: ${r.stderr}`);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { env: { abort: () => { throw new Error('abort'); } } });
rmSync(tmp, { recursive: true, force: true });
const X = instance.exports;
X.memory.grow(Math.max(0, 5200 - X.memory.buffer.byteLength / 65536)); // 325 MiB
const reps = Number(A.reps);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
function time(f) {
  f(); // warm
  const t = [];
  for (let i = 0; i < reps; i++) { const c0 = cpu(); f(); t.push(cpu() - c0); }
  return { med: median(t), min: Math.min(...t) };
}

// 1. Peak: 8 chains x 2 mul-adds per iteration.
const iters = 2e7;
const tp = time(() => X.peakMulAdd(iters, 0.9999999));
const peak = (m) => (iters * 16) / m; // mul-adds per second
// 2. Gram tile in L1: 6 columns of 512 rows (24 KiB), 8 dot products = 8 mul-adds per row.
const mem = new Float64Array(X.memory.buffer);
for (let i = 0; i < 6 * 512; i++) mem[i] = 1 + (i % 7) * 1e-3;
const treps = 2e5;
const tt = time(() => X.tileInCache(0, 512 * 8, treps, 6 * 512 * 8));
const tile = (m) => (treps * 512 * 8) / m;
// 3. Streaming read of 256 MiB (past every cache).
const bytes = 256 * 1024 * 1024;
const big = new Float64Array(X.memory.buffer, 64 * 1024 * 1024, bytes / 8);
for (let i = 0; i < big.length; i += 512) big[i] = 1;
const ts = time(() => X.streamRead(64 * 1024 * 1024, bytes));
const bw = (m) => bytes / m;

// 4. The Gram pass's read pattern (q columns, 512 rows = 4 KiB of each at a time) against one stream.
const tb = time(() => X.blockRead(64 * 1024 * 1024, 1e6, 21, 512));
const bwBlock = (m) => (1e6 * 21 * 8) / m;
// 5. Issue 21 step 2: the mixed-precision Gram (f32x4 tiles over f32 row blocks, f64 accumulation
// per block) against the same structure in f64, alone, at 1e5 x 101 ([X, y] of 1e5 x 100).
const nG = 1e5, qG = 101;
const madG = (() => { let m = 0; for (let t = 0; t + 2 <= qG; t += 2) m += 8 * Math.floor((qG - t) / 4); return m * nG; })();
const t32 = time(() => X.gramF32(64 * 1024 * 1024, nG, qG, 512, 8 * 1024 * 1024, 16 * 1024 * 1024));
const t64 = time(() => X.gramF64(64 * 1024 * 1024, nG, qG, 512, 8 * 1024 * 1024, 16 * 1024 * 1024));
const fullG = nG * qG * (qG + 1) / 2;

const G = 1e9;
console.log(`roofline (CPU time, ${reps} reps, load ${os.loadavg()[0].toFixed(1)}, ${os.cpus()[0].model}, node ${process.version})`);
console.log(`  peak f64x2 mul+add, 8 chains, no memory:  ${(peak(tp.med) / G).toFixed(2)} G mul-adds/s median, ${(peak(tp.min) / G).toFixed(2)} fastest`);
console.log(`  Gram 2x4 tile, 6 columns in L1:          ${(tile(tt.med) / G).toFixed(2)} G mul-adds/s median, ${(tile(tt.min) / G).toFixed(2)} fastest`);
console.log(`  streaming read, 256 MiB, 4 accumulators:  ${(bw(ts.med) / G).toFixed(2)} GB/s median, ${(bw(ts.min) / G).toFixed(2)} fastest`);
console.log(`  q = 21 columns read 512 rows at a time:  ${(bwBlock(tb.med) / G).toFixed(2)} GB/s median, ${(bwBlock(tb.min) / G).toFixed(2)} fastest (1e6 x 21, the Gram / refinement passes' pattern)`);
// (gramF32 runs the f32 Gram route's own block, assembly/gram32.ts gram32Block: the full triangle;
// gramF64 the 2 x 4 tiles of whole 4-column groups only, madG.)
console.log(`  Gram 1e5 x 101, f32x4 (assembly/gram32.ts block, full triangle ${(fullG / 1e6).toFixed(0)} M): ${(t32.med * 1e3).toFixed(1)} ms median, ${(t32.min * 1e3).toFixed(1)} fastest = ${(fullG / t32.min / G).toFixed(2)} G mul-adds/s`);
console.log(`  Gram 1e5 x 101, f64x2 tiles (same block structure):     ${(t64.med * 1e3).toFixed(1)} ms median, ${(t64.min * 1e3).toFixed(1)} fastest = ${(madG / t64.min / G).toFixed(2)} G mul-adds/s; f32 / f64 rate ${((fullG / t32.min) / (madG / t64.min)).toFixed(2)}x`);
// The register-only probe runs below the in-cache tile: V8 (x64, 16 xmm registers) spends moves and
// spills on it; the tile is the best multiply-add rate measured from wasm, so it sets the floor.
const best = Math.max(peak(tp.min), tile(tt.min));
console.log(`  best measured rate: ${(best / G).toFixed(2)} G mul-adds/s (${(best / 2 / G).toFixed(2)} G f64x2 mul+add pairs/s)`);
const npMs = A.numpy ? A.numpy.split(',').map(Number) : [];
A.shapes.split(',').forEach((shape, k) => {
  const m = /^1e(\d)x(\d+)$/.exec(shape);
  const n = 10 ** Number(m[1]);
  const p = Number(m[2]);
  const q = p + 1;
  const madds = n * q * (q + 1) / 2;
  const fBest = madds / best * 1e3;
  const fRead = n * q * 8 / bw(ts.min) * 1e3;
  const floor = Math.max(fBest, fRead);
  const bar = npMs[k] ? ` | bar = numpy ${npMs[k]} ms x 1.3 = ${(npMs[k] * 1.3).toFixed(1)} ms: the f64 Gram floor alone is ${(floor / (npMs[k] * 1.3) * 100).toFixed(0)}% of it${floor > npMs[k] * 1.3 ? ' (INFEASIBLE in f64)' : ''}` : '';
  console.log(`  ${shape}: Gram of [X, y] ${(madds / 1e6).toFixed(0)} M mul-adds ≥ ${fBest.toFixed(1)} ms at the best rate; X + y read once ≥ ${fRead.toFixed(1)} ms${bar}`);
  // numpy's whole solve (X'X, X'y, Cholesky, two solves) in that time: the multiply-add rate it implies
  // (OpenBLAS dsyrk/dgemm with fused multiply-add on 4-lane registers: one instruction per 4 mul-adds).
  // The f32 Gram route (method 'cholesky-f32', session 9): its Gram at the f32 block's measured rate.
  const f32Floor = madds / (fullG / t32.min) * 1e3;
  console.log(`    f32 Gram route: the Gram at the f32x4 rate ≥ ${f32Floor.toFixed(1)} ms${npMs[k] ? ` = ${(f32Floor / (npMs[k] * 1.3) * 100).toFixed(0)}% of the bar` : ''}`);
  if (npMs[k]) console.log(`    numpy's ${npMs[k]} ms implies ≥ ${(madds / (npMs[k] * 1e-3) / G).toFixed(2)} G mul-adds/s, ${(madds / (npMs[k] * 1e-3) / best).toFixed(2)}x the best wasm rate`);
});
