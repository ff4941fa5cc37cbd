#!/usr/bin/env node
// node bench/sql.mjs [--n 1e7] [--p 10]   (script: "bench:sql")
// sql.leastSquares / sql.quantile driven through DuckDB (@duckdb/node-api) over a Parquet file of
// n × p seeded rows that DuckDB writes, against loading the same rows into a Dataset (streamed from
// DuckDB chunk by chunk into a DatasetBuilder) and fitting in memory with ols() / quantile().
// Every case runs in a fresh child process, so its peak RSS (process.resourceUsage().maxRSS, the
// whole Node process: DuckDB's buffers included) and CPU time (process.cpuUsage: user + system of
// all its threads, DuckDB's workers included) belong to that case alone. Answers are checked first:
// the SQL-driven fits must equal the in-memory fits (L2 coefficients to 1e-10 relative, L1 objective
// to 1e-12 relative, both certified optimal) or the run fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    n: { type: 'string', default: '1e7' },
    p: { type: 'string', default: '10' },
    tau: { type: 'string', default: '0.5' },
    threads: { type: 'string', default: '2' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    json: { type: 'string' },
    case: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log('node bench/sql.mjs [--n 1e7] [--p 10] [--tau 0.5] [--threads 2] [--lib dist/index.js] [--json PATH]');
  process.exit(0);
}

// ------------------------------------------------------------------------------------ one case
if (A.case) {
  const { kind, file, p, tau, threads } = JSON.parse(A.case);
  const lib = await import(pathToFileURL(A.lib).href);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  await lib.init();
  const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await inst.connect();
  const db = { query: async (text) => (await conn.runAndReadAll(text)).getRowObjectsJS() };
  const x = Array.from({ length: p }, (_, j) => `x${j + 1}`);
  const src = `read_parquet('${file}')`;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let out;
  if (kind === 'sql-l2' || kind === 'sql-l1') {
    const r = kind === 'sql-l2'
      ? await lib.sql.leastSquares(db, src, { y: 'y', x })
      : await lib.sql.quantile(db, src, { y: 'y', x, tau });
    out = { coef: Array.from(r.coef), intercept: r.intercept, objective: r.objective, status: r.status, gap: r.certificate?.gap ?? null,
      rowsFetched: r.rowsFetched, queries: r.queries, sampleRows: r.sampleRows ?? 0, bandRows: r.bandRows ?? 0, globRounds: r.globRounds ?? 0, globFixups: r.globFixups ?? 0 };
  } else {
    // load into a Dataset: stream DuckDB's chunks into a DatasetBuilder (column-major chunks)
    const res = await conn.stream(`SELECT ${x.join(', ')}, y FROM ${src}`);
    const b = lib.Dataset.builder(p);
    let rows = 0;
    for (;;) {
      const chunk = await res.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      const data = new Float64Array(m * p);
      for (let j = 0; j < p; j++) data.set(chunk.getColumnValues(j), j * m);
      b.append({ data, rows: m, cols: p, layout: 'column-major' }, Float64Array.from(chunk.getColumnValues(p)));
      rows += m;
    }
    const ds = b.finish();
    const tLoad = performance.now() - t0;
    const r = kind === 'mem-l2' ? lib.ols(ds) : lib.quantile(ds, { tau });
    ds.dispose();
    out = { coef: Array.from(r.coef), intercept: r.intercept, objective: r.objective, status: r.status, gap: r.certificate?.gap ?? null, rowsFetched: rows, loadMs: tLoad };
  }
  const cpu = process.cpuUsage(c0);
  out.wallMs = performance.now() - t0;
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  out.maxRssMB = process.resourceUsage().maxRSS / 1024;
  conn.closeSync();
  inst.closeSync();
  console.log(JSON.stringify(out));
  process.exit(0);
}

// ------------------------------------------------------------------------------------- driver
const n = Number(A.n);
const p = Number(A.p);
const tau = Number(A.tau);
const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-bench-sql-'));
const file = path.join(dir, 'data.parquet');
{
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:', { threads: A.threads });
  const conn = await inst.connect();
  const u = (k) => `(((hash(i, ${k}) % 1000003) + 0.5) / 1000003.0)`;
  const beta = L.trueBeta(p);
  const t = performance.now();
  await conn.run(`COPY (SELECT ${Array.from({ length: p }, (_, j) => `x${j + 1}`).join(', ')},
      1 + ${Array.from({ length: p }, (_, j) => `${beta[j + 1]} * x${j + 1}`).join(' + ')} + ln(${u(101)} / ${u(102)}) AS y
    FROM (SELECT i, ${Array.from({ length: p }, (_, j) => `${u(j + 1)} * ${j + 1} - 0.5 AS x${j + 1}`).join(', ')} FROM range(${n}) AS r(i)))
    TO '${file}' (FORMAT parquet)`);
  console.log(`wrote ${n} × ${p} Parquet (${(performance.now() - t).toFixed(0)} ms): ${file}`);
  conn.closeSync();
  inst.closeSync();
}

const load = os.loadavg();
const results = {};
for (const kind of ['sql-l2', 'mem-l2', 'sql-l1', 'mem-l1']) {
  const r = spawnSync(process.execPath, [path.join(L.BENCH_DIR, 'sql.mjs'), '--lib', A.lib, '--case', JSON.stringify({ kind, file, p, tau, threads: Number(A.threads) })],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
  results[kind] = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const o = results[kind];
  console.log(`${kind}: wall ${o.wallMs.toFixed(0)} ms, cpu ${o.cpuMs.toFixed(0)} ms, peak RSS ${o.maxRssMB.toFixed(0)} MB, rows fetched ${o.rowsFetched}${o.queries ? `, ${o.queries} statements` : ''}${o.loadMs ? `, load ${o.loadMs.toFixed(0)} ms` : ''}`);
}
rmSync(dir, { recursive: true, force: true });

// answers first
const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const l2 = Math.max(...results['sql-l2'].coef.map((c, j) => rel(c, results['mem-l2'].coef[j])), rel(results['sql-l2'].intercept, results['mem-l2'].intercept));
const l1 = rel(results['sql-l1'].objective, results['mem-l1'].objective);
if (!(l2 <= 1e-10)) throw new L.BenchValidationError(`sql-l2 coefficients differ from the in-memory fit by ${l2} (> 1e-10)`);
if (!(l1 <= 1e-12)) throw new L.BenchValidationError(`sql-l1 objective differs from the in-memory fit by ${l1} (> 1e-12)`);
if (results['sql-l1'].status !== 'optimal' || results['mem-l1'].status !== 'optimal') throw new L.BenchValidationError('an L1 fit is not certified optimal');
const summary = {
  when: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: load,
  duckdb: L.readPackageVersion('@duckdb/node-api'), n, p, tau, duckdbThreads: Number(A.threads),
  check: { l2CoefRelDiff: l2, l1ObjectiveRelDiff: l1 },
  ratios: {
    l2: { cpu: results['mem-l2'].cpuMs / results['sql-l2'].cpuMs, wall: results['mem-l2'].wallMs / results['sql-l2'].wallMs, rss: results['mem-l2'].maxRssMB / results['sql-l2'].maxRssMB },
    l1: { cpu: results['mem-l1'].cpuMs / results['sql-l1'].cpuMs, wall: results['mem-l1'].wallMs / results['sql-l1'].wallMs, rss: results['mem-l1'].maxRssMB / results['sql-l1'].maxRssMB },
  },
  results,
};
console.log(`checked: L2 coef rel diff ${l2.toExponential(2)}, L1 objective rel diff ${l1.toExponential(2)}; load average at start ${load.map((v) => v.toFixed(1)).join(' ')}`);
console.log(`in-memory / SQL-driven: L2 cpu ×${summary.ratios.l2.cpu.toFixed(2)}, RSS ×${summary.ratios.l2.rss.toFixed(2)}; L1 cpu ×${summary.ratios.l1.cpu.toFixed(2)}, RSS ×${summary.ratios.l1.rss.toFixed(2)}`);
const out = A.json ?? path.join(L.BENCH_DIR, 'results', `sql-${new Date().toISOString().slice(0, 10)}-n${n}.json`);
if (!existsSync(path.dirname(out))) mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
console.log(`wrote ${out}`);
