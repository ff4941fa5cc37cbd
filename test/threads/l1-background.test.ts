// A block pass in the background (assembly/par.ts parStart / parJoin, ThreadPool.start / join): while
// the globbing driver solves its smallest level's reduced problem (serial work on the calling thread),
// the pool's workers take the next level's membership marks (assembly/l1-glob.ts markStart: row hashes
// and weights only, no fit), joined as soon as that solve returns. Checked: the pass really runs in the
// background on 2 and 3 threads (and not on 1), 1/2/3 threads = the twin bit for bit; an exception in a
// worker's item or a worker exiting during the background pass fails the fit typed (INTERNAL, naming the
// thread) and leaves the pool usable with the same bits afterwards; a fit that stops between the start
// and the join (an exception out of onProgress unwinds the kernel call) has its pass joined by the host
// before its memory is released — no pass left pending, nothing leaked, same bits afterwards.
// (Skipped in the 'debug' project, as the other pool tests.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, RobustRegError } from '../../src/index.js';
import { injectThreadFault, memoryStats, threadStats } from '../../src/backend/runtime.js';
import type { FaultKind } from '../../src/threads/pool.js';
import { rng } from '../helpers/close.js';
import { l1Bits as bits, threadsProblem, type L1ThreadFit as Fit } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';
import { until, watched } from '../helpers/pool-watch.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_L1_GLOB = 11;
const PASS_L2_GRAM = 1;
const KIND_MARK = 3;

describe.skipIf(debug)('L1 globbing: the next level\'s membership marks in the background', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  // n = 40000 with the globbing threshold at 5000 and levels of at least 600 rows: levels of 625
  // (solved plainly), 5000 and 40000 rows — the 5000-row level's marks run during the 625-row solve
  const n = 40000, p = 4;
  const d = threadsProblem(rng(4242), n, p, false);
  /** One fit on `backend`'s Dataset with the lowered globbing thresholds (restored after). */
  function fit(backend: 'js' | 'wasm', threads: number, extra: Record<string, unknown> = {}): ReturnType<typeof watched<Fit>> {
    const ds = Dataset.from(d.X, d.y, { backend, weights: d.weights });
    const k = ds.slot.backend.kernels;
    const old = k.l1_glob(5000, 600);
    const { onStart, ...opts } = extra;
    try {
      return watched(() => quantile(ds, { tau: 0.3, ...(backend === 'wasm' ? { threads } : {}), ...opts }) as unknown as Fit, onStart as (() => void) | undefined);
    } finally {
      k.l1_glob(old, 0);
      ds.dispose();
    }
  }
  let ref: number[] = [];

  it('runs on the workers during the smallest level\'s solve (2, 3 threads; not on 1): 1, 2, 3 threads = twin, bit for bit', () => {
    const js = fit('js', 1);
    expect(js.err).toBeUndefined();
    ref = bits(js.r!);
    expect(js.r!.globRounds, 'levels were solved').toBeGreaterThanOrEqual(3);
    for (const t of [1, 2, 3]) {
      const w = fit('wasm', t);
      expect(w.err).toBeUndefined();
      // the marks during the smallest level's solve, then the rank check's Gram pass in two ranges (the
      // 5000- and 40000-row levels' solves; l1-rank.ts rankStart — argument word 0 of that pass is n)
      expect(w.starts, `threads ${t}: background starts`).toEqual(t === 1 ? [] : [[PASS_L1_GLOB, KIND_MARK], [PASS_L2_GRAM, n], [PASS_L2_GRAM, n]]);
      expect(w.leftBusy).toBe(false);
      same(bits(w.r!), ref, `threads ${t}`);
    }
  });

  const faults: Array<[FaultKind, RegExp, string]> = [
    ['throw', /^thread 1 of the pool failed in a block pass \(Error: injected fault \(test\)\)/, 'error'],
    ['exit', /^thread 1 of the pool exited during a block pass \(exit code 7\)/, 'exited'],
  ];
  for (const [kind, message, cause] of faults) {
    it(`worker 1 ${kind === 'throw' ? 'throwing in an item' : 'exiting'} during the background pass: INTERNAL naming it, the pool stays usable, same bits after`, async () => {
      const before = threadStats();
      const mem = memoryStats().wasmInUse;
      let pending: (() => boolean) | null = null;
      const w = fit('wasm', 3, { onStart: () => { pending ??= injectThreadFault(kind, 1); } });
      expect(pending, 'the background pass started').not.toBeNull();
      expect(pending!(), 'the worker acted on the fault (in the background pass: the next job)').toBe(false);
      expect(w.err).toBeInstanceOf(RobustRegError);
      const err = w.err as RobustRegError;
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toMatch(message);
      expect(err.details).toMatchObject({ thread: 1, pass: PASS_L1_GLOB, cause });
      expect(w.leftBusy, 'no job left pending').toBe(false);
      expect(memoryStats().wasmInUse, 'the fit\'s memory was released').toBe(mem);
      expect(threadStats().usable).toBe(true);
      // at once (a dead worker is not counted), and after its replacement
      same(bits(fit('wasm', 3).r!), ref, `after a ${kind} fault`);
      if (kind === 'exit') {
        expect(threadStats().deaths).toBe(before.deaths + 1);
        expect(await until(() => threadStats().live === 3, 30_000), 'replaced').toBe(true);
        same(bits(fit('wasm', 3).r!), ref, 'after the replacement');
      }
    });
  }

  it('a fit unwound between the start and the join (onProgress throws): the host joins the pass before releasing the memory', () => {
    const mem = memoryStats().wasmInUse;
    let started = false;
    const w = fit('wasm', 2, {
      onStart: () => { started = true; },
      onProgress: () => { if (started) throw new Error('stop here (test)'); },
    });
    expect(started).toBe(true);
    expect(w.err, 'the callback\'s error reached the caller').toBeInstanceOf(Error);
    expect((w.err as Error).message).toMatch(/stop here \(test\)/);
    expect(w.leftBusy, 'no job left pending').toBe(false);
    expect(memoryStats().wasmInUse).toBe(mem);
    expect(threadStats().usable).toBe(true);
    for (const t of [2, 3]) same(bits(fit('wasm', t).r!), ref, `after the unwound fit, threads ${t}`);
  });

  it('a fit cancelled during the smallest level\'s solve (signal): CANCELLED, joined, same bits after', () => {
    const ac = new AbortController();
    let started = false;
    const w = fit('wasm', 3, { signal: ac.signal, onStart: () => { started = true; }, onProgress: () => { if (started) ac.abort(); } });
    expect(started).toBe(true);
    expect(String((w.err as Error)?.message ?? w.r), 'cancelled').toMatch(/cancel/i);
    expect(w.leftBusy).toBe(false);
    expect(threadStats().usable).toBe(true);
    same(bits(fit('wasm', 3).r!), ref, 'after a cancelled fit');
  });
});
