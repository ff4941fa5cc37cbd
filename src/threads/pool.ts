// The thread pool of init({ threads }): workers (Node worker_threads, or browser Web Workers when the
// page is cross-origin isolated) that each instantiate the threaded WebAssembly build on ONE shared
// memory and run the items of block passes (assembly/par.ts; docs/design.md "Threads").
//
// Synchronisation is through a small control SharedArrayBuffer (not the module's memory):
// the calling thread writes a job (pass, argument pointer, item count, participants), bumps the
// generation word and notifies; every worker wakes, and those below the participant count pull item
// indexes with Atomics.add on the shared counter and call their instance's par_item until the items
// run out; every worker (participating or not) then acknowledges the job. The caller pulls items too
// (it is participant 0) and returns once all workers have acknowledged, so the next job never
// overlaps this one. Which participant computes which item is a race — harmless, because each item
// writes only its own partial slot and the kernel reduces the slots in item order.
//
// Errors: an exception or trap in an item (any participant) stops the remaining items (the counter
// is no longer advanced once the error word is set), the job still ends with every acknowledgment, and
// the caller throws: the fit fails with a typed error, the pool and the memory stay usable.
import { RobustRegError } from '../errors.js';

// Control words (Int32 indexes).
const GEN = 0;
const PASS = 1;
const ARGS = 2;
const ITEMS = 3;
const NEXT = 4;
const DONE = 5;
const PARTS = 6;
const ERR = 7;
const STOP = 8;
const MSG_LEN = 9;
const MSG = 16;
const MSG_MAX = 480;
const CTL_WORDS = MSG + MSG_MAX;

/** The worker program (plain JavaScript, no imports: it only instantiates the module and runs items). */
export const THREAD_WORKER_SOURCE = `"use strict";
(() => {
  const g = globalThis;
  let post, onMessage;
  if (g.process && g.process.versions && g.process.versions.node && g.process.getBuiltinModule) {
    const { parentPort } = g.process.getBuiltinModule('node:worker_threads');
    post = (m) => parentPort.postMessage(m);
    onMessage = (f) => parentPort.once('message', f);
  } else {
    post = (m) => g.postMessage(m);
    onMessage = (f) => g.addEventListener('message', (e) => f(e.data), { once: true });
  }
  const GEN = ${GEN}, PASS = ${PASS}, ARGS = ${ARGS}, ITEMS = ${ITEMS}, NEXT = ${NEXT}, DONE = ${DONE}, PARTS = ${PARTS},
    ERR = ${ERR}, STOP = ${STOP}, MSG_LEN = ${MSG_LEN}, MSG = ${MSG}, MSG_MAX = ${MSG_MAX};
  onMessage((m) => {
    const c = new Int32Array(m.ctl);
    const index = m.index;
    const imports = { env: {
      memory: m.memory,
      progress: () => 0,
      par_run: () => 0,
      abort: () => { throw new Error('kernel assertion failed'); },
    } };
    WebAssembly.instantiate(m.module, imports).then((inst) => {
      post({ type: 'ready', index });
      run(inst.exports, c, index);
    }, (e) => post({ type: 'failed', index, message: String((e && e.message) || e) }));
  });
  function fail(c, index, e) {
    if (Atomics.compareExchange(c, ERR, 0, index + 1) !== 0) return;
    const s = String((e && e.message) || e).slice(0, MSG_MAX);
    for (let i = 0; i < s.length; i++) c[MSG + i] = s.charCodeAt(i);
    Atomics.store(c, MSG_LEN, s.length);
  }
  function run(x, c, index) {
    let gen = Atomics.load(c, GEN);
    for (;;) {
      Atomics.wait(c, GEN, gen);
      gen = Atomics.load(c, GEN);
      if (Atomics.load(c, STOP) !== 0) return;
      if (index < Atomics.load(c, PARTS)) {
        const pass = Atomics.load(c, PASS), args = Atomics.load(c, ARGS) >>> 0, items = Atomics.load(c, ITEMS);
        try {
          for (;;) {
            if (Atomics.load(c, ERR) !== 0) break;
            const it = Atomics.add(c, NEXT, 1);
            if (it >= items) break;
            x.par_item(pass, args, it, index);
          }
        } catch (e) {
          fail(c, index, e);
        }
      }
      Atomics.add(c, DONE, 1);
      Atomics.notify(c, DONE);
    }
  }
})();
`;

interface PoolWorker {
  post(m: unknown): void;
  onMessage(f: (m: { type: string; index: number; message?: string }) => void): void;
  onError(f: (e: unknown) => void): void;
  onExit(f: () => void): void;
  terminate(): void;
  unref(): void;
}

type NodeWorkerCtor = new (src: string, opts: { eval: boolean }) => {
  postMessage(m: unknown): void;
  on(t: string, fn: (m: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
};

interface Env {
  process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
  Worker?: typeof Worker;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

function isNode(): boolean {
  const g = globalThis as unknown as Env;
  return !!g.process?.versions?.node && typeof g.process.getBuiltinModule === 'function';
}

/**
 * Why threads cannot be used here (null when they can): shared memory and workers are needed — in a
 * browser that means a cross-origin isolated page (COOP/COEP headers) with Web Workers.
 */
export function threadsUnavailable(): string | null {
  const g = globalThis as unknown as Env;
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    return g.crossOriginIsolated === false
      ? 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is unavailable'
      : 'SharedArrayBuffer is unavailable in this environment';
  }
  if (isNode()) return null;
  if (g.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof g.Worker !== 'function') return 'Web Workers are unavailable in this environment';
  return null;
}

/** The machine's logical cores (os.availableParallelism in Node, navigator.hardwareConcurrency in browsers), at least 1. */
export function availableCores(): number {
  const g = globalThis as unknown as Env;
  let n = 1;
  if (isNode()) {
    const os = g.process!.getBuiltinModule!('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] };
    n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } else if (typeof g.navigator?.hardwareConcurrency === 'number') {
    n = g.navigator.hardwareConcurrency;
  }
  return Math.max(1, Math.floor(n) || 1);
}

function spawn(): PoolWorker {
  const g = globalThis as unknown as Env;
  if (isNode()) {
    const { Worker: W } = g.process!.getBuiltinModule!('node:worker_threads') as { Worker: NodeWorkerCtor };
    const w = new W(THREAD_WORKER_SOURCE, { eval: true });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on('message', (m) => f(m as { type: string; index: number })),
      onError: (f) => w.on('error', f),
      onExit: (f) => w.on('exit', f),
      terminate: () => void w.terminate(),
      unref: () => w.unref(),
    };
  }
  const url = URL.createObjectURL(new Blob([THREAD_WORKER_SOURCE], { type: 'text/javascript' }));
  try {
    const w = new g.Worker!(url);
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.addEventListener('message', (e) => f(e.data as { type: string; index: number })),
      onError: (f) => w.addEventListener('error', f),
      onExit: () => {},
      terminate: () => w.terminate(),
      unref: () => {},
    };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** True when this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export type ParItem = (pass: number, pArgs: number, item: number, slot: number) => void;

export class ThreadPool {
  /** Participants: this thread plus the workers. */
  readonly size: number;
  private readonly ctl: Int32Array;
  private readonly workers: PoolWorker[];
  private readonly block: boolean;
  private running = false;
  private closed = false;
  /** Why the pool cannot run jobs (a worker failed or exited), or null. */
  private broken: string | null = null;
  /** Jobs run (diagnostics and tests). */
  jobs = 0;

  private constructor(ctl: Int32Array, workers: PoolWorker[]) {
    this.ctl = ctl;
    this.workers = workers;
    this.size = workers.length + 1;
    this.block = canBlock();
    // A worker that dies (terminated from outside, or an error outside any item) would never
    // acknowledge a job: from then on the pool refuses jobs and the kernels run their passes
    // themselves (same items, same bits).
    workers.forEach((w, i) => {
      const lost = (why: string) => {
        if (!this.closed) this.broken ??= `thread ${i + 1} ${why}`;
      };
      w.onExit(() => lost('exited'));
      w.onError((e) => lost(`failed (${(e as Error)?.message ?? String(e)})`));
    });
  }

  /** False once a worker has failed or exited (or after close()): run() must not be called. */
  get usable(): boolean {
    return this.broken === null && !this.closed;
  }

  /**
   * Start `size - 1` workers on the compiled threaded module and the shared memory, and wait until
   * each has instantiated it (so no instantiation ever happens while a fit runs). Workers never hold
   * a Node process open (unref'd).
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number): Promise<ThreadPool> {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
    const workers: PoolWorker[] = [];
    try {
      const ready: Promise<void>[] = [];
      for (let i = 1; i < size; i++) {
        const w = spawn();
        workers.push(w);
        ready.push(new Promise<void>((resolve, reject) => {
          w.onMessage((m) => {
            if (m.type === 'ready') resolve();
            else reject(new Error(`thread ${i} could not instantiate the module: ${m.message ?? 'unknown error'}`));
          });
          w.onError((e) => reject(new Error(`thread ${i} failed to start: ${(e as Error)?.message ?? String(e)}`)));
        }));
        w.post({ module, memory, ctl: ctl.buffer, index: i });
      }
      // Referenced until ready (else a script awaiting init() could exit with the start pending),
      // then unref'd: an idle pool never holds a Node process open.
      await Promise.all(ready);
      for (const w of workers) w.unref();
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new ThreadPool(ctl, workers);
  }

  /**
   * Run items 0..items-1 of `pass` on `parts` participants (this thread is participant 0 and calls
   * `item` itself); returns when every worker has acknowledged the job. Throws the first error of any
   * participant (a worker's as RobustRegError INTERNAL).
   */
  run(item: ParItem, pass: number, pArgs: number, items: number, parts: number): void {
    if (this.closed) throw new RobustRegError('INTERNAL', 'the thread pool was closed', {});
    if (this.running) throw new RobustRegError('INTERNAL', 'a block pass started inside another', {});
    const c = this.ctl;
    this.running = true;
    this.jobs++;
    let err: unknown = null;
    try {
      Atomics.store(c, PASS, pass);
      Atomics.store(c, ARGS, pArgs | 0);
      Atomics.store(c, ITEMS, items);
      Atomics.store(c, NEXT, 0);
      Atomics.store(c, DONE, 0);
      Atomics.store(c, ERR, 0);
      Atomics.store(c, MSG_LEN, 0);
      Atomics.store(c, PARTS, Math.min(parts, this.size));
      Atomics.add(c, GEN, 1);
      Atomics.notify(c, GEN);
      try {
        for (;;) {
          if (Atomics.load(c, ERR) !== 0) break;
          const it = Atomics.add(c, NEXT, 1);
          if (it >= items) break;
          item(pass, pArgs, it, 0);
        }
      } catch (e) {
        err = e;
        Atomics.compareExchange(c, ERR, 0, -1);
      }
      const want = this.workers.length;
      for (;;) {
        const d = Atomics.load(c, DONE);
        if (d >= want) break;
        if (this.block) Atomics.wait(c, DONE, d, 100);
      }
    } finally {
      this.running = false;
    }
    if (err !== null) throw err;
    const who = Atomics.load(c, ERR);
    if (who > 0) {
      const len = Atomics.load(c, MSG_LEN);
      let msg = '';
      for (let i = 0; i < len; i++) msg += String.fromCharCode(c[MSG + i]);
      throw new RobustRegError('INTERNAL', `thread ${who - 1} of the pool failed in a block pass (${msg}); the fit was stopped — this is a bug in robustreg, please report it with the input`, { thread: who - 1, pass });
    }
  }

  /** Internal (tests): terminate worker i (1-based) as if it had died. */
  killWorker(i: number): void {
    this.workers[i - 1]?.terminate();
  }

  /** Stop and terminate the workers (the pool cannot be used afterwards). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) w.terminate();
  }
}
