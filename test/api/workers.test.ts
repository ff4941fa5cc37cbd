// fitAsync's persistent worker pool (issue 23): a worker is reused (the counter of workerStats() does
// not move on a second call), an abort terminates it and the next call gets a fresh one, a typed error
// leaves it usable, concurrent calls run on separate workers, idle workers are terminated after the
// idle timeout, and an idle worker never keeps a Node process alive (child process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureWorkers, fit, fitAsync, init, lad, terminateWorkers, workerStats } from '../../src/index.js';
import { rng } from '../helpers/close.js';

function synth(n: number, p: number, seed: number): { X: number[][]; y: number[] } {
  const r = rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => r() * 2 - 1);
    X.push(row);
    y.push(row.reduce((s, v, j) => s + (j + 1) * v, 0.5) + (r() - 0.5) * 3);
  }
  return { X, y };
}

const small = synth(60, 2, 1);

beforeAll(async () => {
  await init();
});
afterEach(() => {
  configureWorkers({ idleTimeoutMs: 10_000 });
});
afterAll(() => terminateWorkers());

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('fitAsync worker pool', () => {
  it('starts a worker lazily and reuses it: a second call starts none', async () => {
    terminateWorkers();
    const s0 = workerStats();
    expect(s0).toMatchObject({ busy: 0, idle: 0, idleTimeoutMs: 10_000 });
    const a = await fitAsync(small.X, small.y, { loss: 'l1' });
    const s1 = workerStats();
    expect(s1.started).toBe(s0.started + 1);
    expect(s1).toMatchObject({ busy: 0, idle: 1 });
    const b = await fitAsync(small.X, small.y, { loss: 'huber' });
    const c = await fitAsync(small.X, small.y, { loss: 'l1' });
    expect(workerStats()).toMatchObject({ started: s1.started, busy: 0, idle: 1 });
    expect(a.objective).toBe(lad(small.X, small.y).objective);
    expect(c.objective).toBe(a.objective);
    expect(b.objective).toBe(fit(small.X, small.y, { loss: 'huber' }).objective);
  });

  it('counts a running fit as busy', async () => {
    const p = fitAsync(small.X, small.y, { loss: 'l2' });
    expect(workerStats().busy).toBe(1);
    await p;
    expect(workerStats().busy).toBe(0);
  });

  it('an abort terminates the worker at once; the next call gets a fresh worker and works', async () => {
    await fitAsync(small.X, small.y, { loss: 'l2' }); // one idle worker
    const s0 = workerStats();
    expect(s0.idle).toBeGreaterThanOrEqual(1);
    const big = synth(50_000, 8, 2);
    const ac = new AbortController();
    const p = fitAsync(big.X, big.y, { loss: 'l1', backend: 'js', signal: ac.signal });
    expect(workerStats().busy).toBe(1); // the idle worker was taken
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const s1 = workerStats();
    expect(s1).toMatchObject({ started: s0.started, busy: 0, idle: s0.idle - 1 }); // terminated, not returned
    terminateWorkers();
    const r = await fitAsync(small.X, small.y, { loss: 'l1' });
    expect(workerStats().started).toBe(s0.started + 1);
    expect(r.objective).toBe(lad(small.X, small.y).objective);
  });

  it('a typed error leaves the worker usable (no new worker for the next call)', async () => {
    await fitAsync(small.X, small.y, { loss: 'l2' });
    const s0 = workerStats();
    await expect(fitAsync(small.X, small.y, { loss: 'quantile', tau: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(fitAsync([[1, 2], [2, 4], [3, 6]], [1, 2, 3], { loss: 'l2' })).rejects.toMatchObject({ code: 'RANK_DEFICIENT' });
    const r = await fitAsync(small.X, small.y, { loss: 'l1' });
    expect(r.objective).toBe(lad(small.X, small.y).objective);
    expect(workerStats()).toMatchObject({ started: s0.started, busy: 0, idle: s0.idle });
  });

  it('concurrent calls run on separate workers; at most two are kept idle afterwards', async () => {
    terminateWorkers();
    const s0 = workerStats();
    const sets = [3, 4, 5].map((s) => synth(300, 3, s));
    const ps = sets.map((d, i) => fitAsync(d.X, d.y, { loss: i === 1 ? 'l2' : 'l1' }));
    expect(workerStats()).toMatchObject({ started: s0.started + 3, busy: 3, idle: 0 });
    const rs = await Promise.all(ps);
    rs.forEach((r, i) => expect(r.objective).toBe(fit(sets[i].X, sets[i].y, { loss: i === 1 ? 'l2' : 'l1' }).objective));
    expect(workerStats()).toMatchObject({ started: s0.started + 3, busy: 0, idle: 2 });
  });

  it('terminates an idle worker after the idle timeout; the next call starts a fresh one', async () => {
    terminateWorkers();
    configureWorkers({ idleTimeoutMs: 50 });
    await fitAsync(small.X, small.y, { loss: 'l2' });
    const s0 = workerStats();
    expect(s0.idleTimeoutMs).toBe(50);
    await until(() => workerStats().idle === 0, 20_000);
    await fitAsync(small.X, small.y, { loss: 'l2' });
    expect(workerStats().started).toBe(s0.started + 1);
    // idleTimeoutMs 0: a worker is never kept
    configureWorkers({ idleTimeoutMs: 0 });
    terminateWorkers();
    await fitAsync(small.X, small.y, { loss: 'l2' });
    expect(workerStats().idle).toBe(0);
  });

  it('configureWorkers rejects bad options with a typed error naming the argument', () => {
    expect(() => configureWorkers({ idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs must be an integer in \[0, 2147483647\] or Infinity, received -1/);
    expect(() => configureWorkers({ idleTimeoutMs: 1.5 })).toThrow(/received 1.5/);
    expect(() => configureWorkers({ idle: 5 } as never)).toThrow(/unknown option "idle"/);
    expect(() => configureWorkers(null as never)).toThrow(/options must be an object, received null/);
    expect(workerStats().idleTimeoutMs).toBe(10_000);
  });

  it('typed inputs travel as bit-exact copies: the same results and the same errors as fit(), the caller\'s arrays intact', async () => {
    const n = 200, p = 3;
    const r = rng(7);
    const rm = new Float64Array(n * p).map(() => r() * 2 - 1);
    const y = Float64Array.from({ length: n }, (_, i) => rm[i * p] - 2 * rm[i * p + 1] + (r() - 0.5) + (i % 17 === 0 ? 8 : 0));
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
    const cm = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) cm[j * n + i] = rm[i * p + j];
    const f32 = Float32Array.from(rm);
    const copies = [rm.slice(), y.slice(), w.slice(), cm.slice(), f32.slice()];
    const inputs: Array<[unknown, Float64Array, Record<string, unknown>]> = [
      [{ data: rm, rows: n, cols: p, layout: 'row-major' }, y, { loss: 'l1' }],
      [{ data: rm, rows: n, cols: p }, y, { loss: 'huber', weights: w }],
      [{ data: cm, rows: n, cols: p, layout: 'column-major' }, y, { loss: 'quantile', tau: 0.3, weights: w }],
      [{ data: f32, rows: n, cols: p, layout: 'row-major' }, y, { loss: 'l2' }],
    ];
    let compared = 0;
    for (const [X, yy, o] of inputs) {
      const a = await fitAsync(X as never, yy, o as never);
      const b = fit(X as never, yy, o as never);
      expect(a.coef).toEqual(b.coef);
      expect(Object.is(a.intercept, b.intercept) && Object.is(a.objective, b.objective)).toBe(true);
      compared++;
    }
    expect(compared).toBe(4);
    // errors: the same code and message as fit() (the value checks run in the worker's fit())
    const bad = (at: number, v: number) => { const d = rm.slice(); d[at] = v; return d; };
    const cases: Array<[unknown, unknown, Record<string, unknown>]> = [
      [{ data: bad(7, NaN), rows: n, cols: p }, y, { loss: 'l2' }],
      [{ data: bad(5, Infinity), rows: n, cols: p, layout: 'column-major' }, y, { loss: 'l1' }],
      [{ data: rm, rows: n, cols: p }, bad(3, NaN).subarray(0, n), { loss: 'l1' }],
      [{ data: rm, rows: n, cols: p }, y, { loss: 'l2', weights: w.map((v, i) => (i === 4 ? -1 : v)) }],
      [{ data: rm, rows: n, cols: p }, y, { loss: 'l2', weights: new Float64Array(n) }],
      [{ data: rm, rows: n, cols: p }, y.subarray(1), { loss: 'l2' }],
      [{ data: rm, rows: n + 1, cols: p }, y, { loss: 'l2' }],
      [{ data: Float32Array.of(1, 2, 3e39, 4), rows: 4, cols: 1 }, Float64Array.of(1, 2, 3, 4), { loss: 'l2' }],
    ];
    let errors = 0;
    for (const [X, yy, o] of cases) {
      let expected: { code: string; message: string } | null = null;
      try {
        fit(X as never, yy as never, o as never);
      } catch (e) {
        expected = { code: (e as { code: string }).code, message: (e as Error).message };
      }
      expect(expected).not.toBeNull();
      await expect(fitAsync(X as never, yy as never, o as never)).rejects.toMatchObject(expected!);
      errors++;
    }
    expect(errors).toBe(cases.length);
    await expect(fitAsync({ data: new Float64Array(0), rows: 0, cols: 2 }, new Float64Array(0), { loss: 'l2' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'fitAsync: X has no rows; at least one observation is needed' });
    // nothing the caller passed was transferred (detached) or written
    expect([rm, y, w, cm, f32].every((a, k) => a.length === copies[k].length && a.every((v, i) => Object.is(v, copies[k][i])))).toBe(true);
  });

  it('an idle worker never keeps a Node process alive (child process exits right after its last fitAsync)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustreg-exit-'));
    try {
      const lib = join(dir, 'lib.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
        bundle: true, format: 'esm', platform: 'neutral', outfile: lib, logLevel: 'warning',
      });
      const script = join(dir, 'main.mjs');
      writeFileSync(script, `
        import { init, fitAsync, configureWorkers, workerStats } from './lib.mjs';
        configureWorkers({ idleTimeoutMs: 600000 }); // only unref() may let the process end
        await init();
        const X = [[1], [2], [3], [4], [5]], y = [1, 3, 5, 7, 100];
        const a = await fitAsync(X, y, { loss: 'l1' });
        const b = await fitAsync(X, y, { loss: 'l2' });
        const s = workerStats();
        console.log(JSON.stringify({ slope: a.coef[0], l2: b.coef[0], started: s.started, idle: s.idle }));
        globalThis.__t = performance.now();
        process.on('exit', () => console.log('exit after ' + Math.round(performance.now() - globalThis.__t) + ' ms'));
      `);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 90_000 });
      const elapsed = Date.now() - t0;
      expect(r.error, r.stderr).toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      const [line, exit] = r.stdout.trim().split('\n');
      expect(JSON.parse(line)).toEqual({ slope: 2, l2: expect.any(Number), started: 1, idle: 1 });
      expect(exit).toMatch(/^exit after \d+ ms$/);
      expect(elapsed).toBeLessThan(90_000); // far below the 600 s idle timeout
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
