#!/usr/bin/env node
// Quick timing of the L2 kernel (not a test, not the benchmark suite): the Gram pass alone and a whole
// l2_fit, WebAssembly (release options) vs the TypeScript twin, on identical seeded data. Outputs are
// compared bit for bit before anything is timed.
//   node scripts/l2-perf.mjs [n = 100000] [p = 20]
// The WebAssembly side is compiled here from a small entry (build/l2-perf/entry.ts) that also exports
// assembly/l2.ts gramMatrix; the twin is transpiled with the pinned typescript into build/l2-perf/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'l2-perf');
const require = createRequire(import.meta.url);
const n = Number(process.argv[2] ?? 100000);
const p = Number(process.argv[3] ?? 20);

// --- WebAssembly: the release options of asconfig.json, run outside the repo root so that asconfig.json
// (whose entry list would be merged in) is not picked up.
mkdirSync(join(out, 'js'), { recursive: true });
writeFileSync(join(out, 'entry.ts'), [
  'export { l2_fit, l2_work_bytes, gramMatrix } from "../../assembly/l2";',
  'export function heap_base(): usize { return __heap_base; }',
  '',
].join('\n'));
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
execFileSync(process.execPath, [asc, 'entry.ts', '--outFile', 'l2-perf.wasm', '--optimizeLevel', '3', '--shrinkLevel', '0',
  '--converge', '--noAssert', '--runtime', 'stub', '--enable', 'simd', '--initialMemory', '2', '--maximumMemory', '65536'],
{ cwd: out, stdio: 'inherit' });
const { instance } = await WebAssembly.instantiate(readFileSync(join(out, 'l2-perf.wasm')), {
  env: { progress: () => 0, abort: () => { throw new Error('abort'); } },
});
const wasm = instance.exports;

// --- Twin: transpile the files it needs (ES modules, same relative layout).
const ts = require('typescript');
for (const f of ['js/l2.ts', 'js/dd.ts', 'js/mem.ts', 'info.ts', 'status.ts']) {
  const src = readFileSync(join(root, 'src', f), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } }).outputText;
  writeFileSync(join(out, f.replace(/\.ts$/, '.js')), js);
}
const twin = await import(pathToFileURL(join(out, 'js', 'l2.js')).href);
const mem = await import(pathToFileURL(join(out, 'js', 'mem.js')).href);

// --- Identical layout in both memories.
const align = (x) => Math.ceil(x / 16) * 16;
const base = align(Math.max(wasm.heap_base() >>> 0, mem.TWIN_HEAP_BASE));
const sizes = [8 * n * p, 8 * n, 8 * (p + 1), 8 * 16, 4 * p, wasm.l2_work_bytes(n, p),
  4 * p, 8 * p, 8 * p, 8 * (p + 1) * 512, 8 * 512, 8 * (p + 1) * (p + 1)];
const ptrs = [];
let top = base;
for (const s of sizes) { ptrs.push(top); top = align(top + s); }
const [pX, pY, pC, pI, pF, pWk, pAct, pMean, pInvs, pBlk, pWb, pG] = ptrs;
const wmem = wasm.memory;
if (top > wmem.buffer.byteLength) wmem.grow(Math.ceil((top - wmem.buffer.byteLength) / 65536));
mem.growTo(top);

let seed = 12345;
const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
for (const F of [new Float64Array(wmem.buffer), mem.F64]) {
  seed = 12345;
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) F[(pX >>> 3) + j * n + i] = (rnd() - 0.5) * (j + 1) + j;
  for (let i = 0; i < n; i++) F[(pY >>> 3) + i] = rnd();
  for (let j = 0; j < p; j++) { F[(pMean >>> 3) + j] = j; F[(pInvs >>> 3) + j] = 1 / Math.sqrt(n); }
}
for (const I of [new Int32Array(wmem.buffer), mem.I32]) for (let j = 0; j < p; j++) I[(pAct >>> 2) + j] = j;

const gram = (k) => k.gramMatrix(n, pX, pY, 0, p, pAct, pMean, pInvs, 0.5, pBlk, 512, pWb, pG);
const fit = (k) => k.l2_fit(n, p, pX, pY, 0, 1, 0, pC, pI, pF, pWk);
const views = [() => new Float64Array(wmem.buffer), () => mem.F64];
const kernels = [wasm, twin];
for (const [what, run, ptr, len] of [['gram', gram, pG, (p + 1) * (p + 1)], ['fit', fit, pC, p + 1]]) {
  const res = kernels.map((k, b) => { run(k); return views[b]().slice(ptr >>> 3, (ptr >>> 3) + len); });
  if (!res[0].every((v, i) => Object.is(v, res[1][i]))) throw new Error(`${what}: the backends disagree`);
}

function median(run, reps) {
  const t = [];
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); run(); t.push(performance.now() - t0); }
  return t.sort((a, b) => a - b)[reps >> 1];
}
const rows = {};
for (const [what, run, reps] of [['Gram pass (gramMatrix)', gram, 15], ['whole l2_fit', fit, 7]]) {
  for (const k of kernels) for (let w = 0; w < 3; w++) run(k); // warm-up
  const tw = median(() => run(wasm), reps);
  const tj = median(() => run(twin), reps);
  rows[what] = { 'wasm ms': +tw.toFixed(2), 'js ms': +tj.toFixed(2), 'js / wasm': +(tj / tw).toFixed(2) };
}
const info = new Float64Array(wmem.buffer).slice(pI >>> 3, (pI >>> 3) + 16);
console.log(`robustreg L2 kernel, n = ${n}, p = ${p}, intercept, no weights (${info[2]} refinement steps, ` +
  `method ${info[3] ? 'QR' : 'Cholesky'}); Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}`);
console.table(rows);
