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
