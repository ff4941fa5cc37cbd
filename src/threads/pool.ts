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
// overlaps this one. A job can also be started in the background (start(): the caller returns at once
// and does other work while the workers run the items) and joined later (join(): the caller takes the
// items left, then waits as above); a start() or run() while a job is pending joins it first. Which participant computes which item is a race — harmless, because each item
// writes only its own partial slot and the kernel reduces the slots in item order.
//
// Errors: an exception or trap in an item (any participant) stops the remaining items (the counter
// is no longer advanced once the error word is set), the job still ends with every acknowledgment, and
// the caller throws: the fit fails with a typed error, the pool and the memory stay usable.
//
// Deaths: the caller runs a fit synchronously, so no Worker 'exit' event can reach it during a job;
// it never waits for a worker that cannot answer. Each worker has three words of its own (state,
// first generation it takes part in, last generation acknowledged). A worker that dies reports it
// on its own thread (Node's process 'exit' handler, or an exception outside any item): it marks itself
// dead and, in the middle of a job, fails the job and acknowledges it — the caller wakes at once. One
// that stops without running any code (terminated, out of memory) is found by the caller's probe
// (PoolWorker.stopped) after each WAIT_SLICE_MS slice without an acknowledgment; a live worker that is
// merely slow is never given up on. The fit then fails INTERNAL naming the thread and the cause. From
// the next job on the dead worker is not counted (the pool runs on the live ones at once: the first
// parts - 1 live workers take part, same items, same bits) and a replacement is started in the
// background; it is counted from the first job after its 'ready' has reached this thread (handled
// between jobs only, so no job waits for a worker that did not see it start). A slot whose worker died
// MAX_REPLACEMENTS + 1 times stays down and status().note says so. Hot-path cost: per job, one load of
// the death counter on the caller, and on each worker three loads (state, first generation, fault
// word) and one store (acknowledged generation).
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
/** Test-only fault injection (0 in production): kind << 8 | worker index; one-shot (see injectFault). */
const FAULT = 10;
/** Deaths reported so far (a worker's own report, or this thread's): the caller rescans the workers when it changes. */
const LOST = 11;
const MSG = 16;
const MSG_MAX = 480;
/** Per-worker words from here, 3 per worker index i (1-based): state, first generation, acknowledged generation. */
const WBASE = MSG + MSG_MAX;
/** Worker state words: 0 starting (takes no part, never acknowledges), 1 counted, 2 dead. */
const W_STARTING = 0;
const W_LIVE = 1;
const W_DEAD = 2;

/** Fault kinds of injectFault (tests): a JS exception in an item, a WebAssembly trap in an item, the
 *  worker exiting mid-job (its exit handler reports it), and the worker exiting without any report
 *  (as a thread terminated from outside: only the liveness probe can see it). */
export const FAULT_KINDS = { throw: 1, trap: 2, exit: 3, vanish: 4 } as const;
export type FaultKind = keyof typeof FAULT_KINDS;

/** The worker program (plain JavaScript, no imports: it only instantiates the module and runs items). */
export const THREAD_WORKER_SOURCE = `"use strict";
(() => {
  const g = globalThis;
  let post, onMessage, proc = null;
  if (g.process && g.process.versions && g.process.versions.node && g.process.getBuiltinModule) {
    const { parentPort } = g.process.getBuiltinModule('node:worker_threads');
    post = (m) => parentPort.postMessage(m);
    onMessage = (f) => parentPort.once('message', f);
    proc = g.process;
  } else {
    post = (m) => g.postMessage(m);
    onMessage = (f) => g.addEventListener('message', (e) => f(e.data), { once: true });
  }
  const GEN = ${GEN}, PASS = ${PASS}, ARGS = ${ARGS}, ITEMS = ${ITEMS}, NEXT = ${NEXT}, DONE = ${DONE}, PARTS = ${PARTS},
    ERR = ${ERR}, STOP = ${STOP}, MSG_LEN = ${MSG_LEN}, FAULT = ${FAULT}, LOST = ${LOST}, MSG = ${MSG}, MSG_MAX = ${MSG_MAX},
    WBASE = ${WBASE}, W_LIVE = ${W_LIVE}, W_DEAD = ${W_DEAD};
  onMessage((m) => {
    const c = new Int32Array(m.ctl);
    const index = m.index;
    const imports = { env: {
      memory: m.memory,
      progress: () => 0,
      par_run: () => 0,
      par_start: () => 0,
      par_join: () => {},
      abort: () => { throw new Error('kernel assertion failed'); },
    } };
    WebAssembly.instantiate(m.module, imports).then((inst) => {
      // the generation is read before 'ready' is posted: a job the caller starts as soon as it has the
      // 'ready' (a fit right after init()) bumps it after this read, so the worker never waits through it
      const gen0 = Atomics.load(c, GEN);
      post({ type: 'ready', index });
      run(inst.exports, c, index, gen0);
    }, (e) => post({ type: 'failed', index, message: String((e && e.message) || e) }));
  });
  // the first error of a job, with its kind: "RuntimeError: unreachable" is a WebAssembly trap
  function describe(e) {
    if (e && typeof e === 'object' && typeof e.message === 'string') {
      return (e instanceof WebAssembly.RuntimeError ? 'WebAssembly trap, ' : '') + (e.name ? e.name + ': ' : '') + e.message;
    }
    return String(e);
  }
  function fail(c, index, text) {
    if (Atomics.compareExchange(c, ERR, 0, index + 1) !== 0) return;
    const s = text.slice(0, MSG_MAX);
    for (let i = 0; i < s.length; i++) c[MSG + i] = s.charCodeAt(i);
    Atomics.store(c, MSG_LEN, s.length);
  }
  function run(x, c, index, gen0) {
    const S = WBASE + 3 * index, START = S + 1, ACK = S + 2;
    let gen = gen0;
    // the job this worker has taken part in and not yet acknowledged (null: none)
    let cur = null;
    // A worker that dies reports it here, on its own thread: it is marked dead and, when it dies in
    // the middle of a job, it fails the job and acknowledges it, so the caller never waits for it.
    const died = (why) => {
      if (Atomics.load(c, S) === W_DEAD) return;
      if (cur !== null) {
        fail(c, index, 'exited during a block pass (' + why + ')');
        Atomics.store(c, ACK, cur);
      }
      Atomics.store(c, S, W_DEAD);
      Atomics.add(c, LOST, 1);
      if (cur !== null) Atomics.add(c, DONE, 1);
      cur = null;
      Atomics.notify(c, DONE);
    };
    const onExit = (code) => died('exit code ' + code);
    if (proc) proc.on('exit', onExit);
    try {
      for (;;) {
        Atomics.wait(c, GEN, gen);
        gen = Atomics.load(c, GEN);
        if (Atomics.load(c, STOP) !== 0) return;
        // only a counted worker (from its first generation on) takes part and acknowledges
        if (Atomics.load(c, S) !== W_LIVE || ((gen - Atomics.load(c, START)) | 0) < 0) continue;
        cur = gen;
        if (index < Atomics.load(c, PARTS)) {
          const pass = Atomics.load(c, PASS), args = Atomics.load(c, ARGS) >>> 0, items = Atomics.load(c, ITEMS);
          const fault = Atomics.load(c, FAULT);
          let took = false;
          try {
            for (;;) {
              if (Atomics.load(c, ERR) !== 0) break;
              const it = Atomics.add(c, NEXT, 1);
              if (it >= items) break;
              if (fault !== 0 && !took) inject(x, c, fault, index, onExit);
              took = true;
              x.par_item(pass, args, it, index);
            }
            if (fault !== 0 && !took) inject(x, c, fault, index, onExit);
          } catch (e) {
            fail(c, index, describe(e));
          }
        }
        Atomics.store(c, ACK, gen);
        cur = null;
        Atomics.add(c, DONE, 1);
        Atomics.notify(c, DONE);
      }
    } catch (e) {
      died(describe(e));
    }
  }
  // Test-only (ThreadPool.injectFault); the word is 0 in production, so this is never reached there.
  function inject(x, c, fault, index, onExit) {
    if ((fault & 255) !== index || Atomics.compareExchange(c, FAULT, fault, 0) !== fault) return;
    const kind = fault >> 8;
    if (kind === ${FAULT_KINDS.trap}) x.par_item(0, 0, 0, index);
    if (kind === ${FAULT_KINDS.exit} && proc) proc.exit(7);
    if (kind === ${FAULT_KINDS.vanish} && proc) { proc.off('exit', onExit); proc.exit(7); }
    throw new Error('injected fault (test)');
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
  /**
   * True when the worker's thread has certainly stopped — synchronously, while this thread cannot
   * run events (it is blocked in a job). Node: a stopped worker's event loop reports an idle time of
   * -1 (Worker::LoopIdleTime once the thread has ended: exit, termination, out of memory), which
   * performance.eventLoopUtilization() passes through; a running or blocked worker never does.
   * Browsers offer no such probe: false (a Web Worker that throws does not stop, and only this pool
   * terminates its workers).
   */
  stopped(): boolean;
  /**
   * Arm stopped() once the worker runs (its 'ready'): Node reads the worker's loop start time on the
   * first eventLoopUtilization() call and cannot read it any more once the thread has stopped (the
   * call then reports zeros, never -1).
   */
  armProbe(): void;
}

type NodeWorkerCtor = new (src: string, opts: { eval: boolean }) => {
  postMessage(m: unknown): void;
  on(t: string, fn: (m: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
  performance?: { eventLoopUtilization?: () => { idle: number } };
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
      stopped: () => {
        try {
          return (w.performance?.eventLoopUtilization?.().idle ?? 0) < 0;
        } catch {
          return false;
        }
      },
      armProbe: () => {
        try {
          w.performance?.eventLoopUtilization?.();
        } catch {
          // no probe: a silent death is then not seen during a job (the 'exit' event still is, between jobs)
        }
      },
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
      stopped: () => false,
      armProbe: () => {},
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

/** Times a worker slot whose worker died is given a new worker; then it stays down (a worker that
 *  keeps dying is not restarted forever) and the pool runs on fewer threads. */
const MAX_REPLACEMENTS = 3;
/** The caller waits for acknowledgments in slices this long; after a slice without one, it probes
 *  the workers it still waits for (ThreadPool.reap). */
const WAIT_SLICE_MS = 100;

/** What the pool can do now (threadStats()). */
export interface PoolStatus {
  /** Participants the pool was started with (this thread plus the workers). */
  threads: number;
  /** Participants that take part in jobs now (fewer while a dead worker is being replaced, or after it stayed down). */
  live: number;
  /** Workers that died (an exit, a termination, an error outside any item). */
  deaths: number;
  /** Replacement workers started and counted. */
  replaced: number;
  /** Why fewer threads than started run now (absent when all run). */
  note?: string;
}

export class ThreadPool {
  /** Participants: this thread plus the workers (including any being replaced). */
  readonly size: number;
  private readonly ctl: Int32Array;
  /** Worker i (1-based) at index i - 1: the current worker of that slot. */
  private readonly workers: PoolWorker[];
  /** This thread's view of each slot (index i - 1), updated from the shared state words only between jobs and by reap(). */
  private readonly known: ('live' | 'dead' | 'starting')[];
  private readonly restarts: number[];
  private readonly block: boolean;
  private readonly module: WebAssembly.Module;
  private readonly memory: WebAssembly.Memory;
  private running = false;
  /** The job start() began and join() has not finished (null: none). */
  private pending: { item: ParItem; pass: number; pArgs: number; items: number; owed: number; gen: number } | null = null;
  private closed = false;
  /** Counted workers (known 'live'). */
  private live: number;
  private lostSeen = 0;
  private partsFor = -1;
  private partsLimit = 1;
  private deaths = 0;
  private replaced = 0;
  private note: string | null = null;
  /** Jobs run (diagnostics and tests). */
  jobs = 0;

  private constructor(ctl: Int32Array, workers: PoolWorker[], module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.ctl = ctl;
    this.workers = workers;
    this.module = module;
    this.memory = memory;
    this.size = workers.length + 1;
    this.block = canBlock();
    this.known = workers.map(() => 'live');
    this.restarts = workers.map(() => 0);
    this.live = workers.length;
    const first = (Atomics.load(ctl, GEN) + 1) | 0;
    workers.forEach((w, k) => {
      Atomics.store(ctl, WBASE + 3 * (k + 1) + 1, first);
      Atomics.store(ctl, WBASE + 3 * (k + 1), W_LIVE);
      this.watch(w, k + 1);
    });
  }

  /**
   * A worker that dies while this thread is free to run events (terminated from outside, an error
   * outside any item) is seen here; one that dies during a job is seen by the job itself (its own exit
   * report, or reap()).
   */
  private watch(w: PoolWorker, i: number): void {
    const lost = () => {
      if (this.closed || this.workers[i - 1] !== w) return;
      this.markDead(i);
      if (!this.running) this.refresh();
    };
    w.onExit(lost);
    w.onError(lost);
  }

  /** False after close(): run() must not be called. A pool whose workers died still runs (on fewer threads, down to this one). */
  get usable(): boolean {
    return !this.closed;
  }

  status(): PoolStatus {
    return { threads: this.size, live: this.live + 1, deaths: this.deaths, replaced: this.replaced, ...(this.note !== null && this.live + 1 < this.size ? { note: this.note } : {}) };
  }

  /**
   * Start `size - 1` workers on the compiled threaded module and the shared memory, and wait until
   * each has instantiated it (so no instantiation ever happens while a fit runs). Workers never hold
   * a Node process open (unref'd).
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number): Promise<ThreadPool> {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * (WBASE + 3 * size)));
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
      for (const w of workers) {
        w.unref();
        w.armProbe();
      }
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new ThreadPool(ctl, workers, module, memory);
  }

  /**
   * Run items 0..items-1 of `pass` on `parts` participants (this thread is participant 0 and calls
   * `item` itself); returns when every counted worker has acknowledged the job or is known dead.
   * Throws the first error of any participant (a worker's as RobustRegError INTERNAL, naming the
   * thread and the cause); a worker that died during the job fails it the same way.
   */
  run(item: ParItem, pass: number, pArgs: number, items: number, parts: number): void {
    this.start(item, pass, pArgs, items, parts);
    this.join();
  }

  /**
   * Start a job and return at once, without taking part: the workers run its items while this thread
   * does other work (assembly/par.ts parStart: a pass in the background). join() then takes the items
   * still left and waits, as run() does. A job still pending when start() or run() is called is joined
   * first: one job at a time, so the job words are never rewritten under a running job.
   */
  start(item: ParItem, pass: number, pArgs: number, items: number, parts: number): void {
    if (this.closed) throw new RobustRegError('INTERNAL', 'the thread pool was closed', {});
    if (this.pending !== null) this.join();
    if (this.running) throw new RobustRegError('INTERNAL', 'a block pass started inside another', {});
    const c = this.ctl;
    if (Atomics.load(c, LOST) !== this.lostSeen) this.refresh();
    this.running = true;
    this.jobs++;
    Atomics.store(c, PASS, pass);
    Atomics.store(c, ARGS, pArgs | 0);
    Atomics.store(c, ITEMS, items);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.store(c, MSG_LEN, 0);
    Atomics.store(c, PARTS, this.limit(parts));
    const owed = this.live;
    const gen = (Atomics.add(c, GEN, 1) + 1) | 0;
    Atomics.notify(c, GEN);
    this.pending = { item, pass, pArgs, items, owed, gen };
  }

  /** True while a job started by start() has not been joined. */
  get busy(): boolean {
    return this.pending !== null;
  }

  /**
   * Finish the pending job (none: nothing to do): take the items still left on this thread, wait until
   * every counted worker has acknowledged it or is known dead, and throw the job's first error as run()
   * does. The job is over when join() returns or throws.
   */
  join(): void {
    const job = this.pending;
    if (job === null) return;
    this.pending = null;
    const { item, pass, pArgs, items, gen } = job;
    let owed = job.owed;
    const c = this.ctl;
    let err: unknown = null;
    try {
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
      for (let spins = 0; ;) {
        const d = Atomics.load(c, DONE);
        if (d >= owed) break;
        if (this.block) {
          if (Atomics.wait(c, DONE, d, WAIT_SLICE_MS) === 'timed-out') owed -= this.reap(gen);
        } else if ((++spins & 0xfffff) === 0) owed -= this.reap(gen);
      }
    } finally {
      this.running = false;
    }
    if (Atomics.load(c, LOST) !== this.lostSeen) this.refresh();
    if (err !== null) throw err;
    const who = Atomics.load(c, ERR);
    if (who > 0) {
      const len = Atomics.load(c, MSG_LEN);
      let msg = '';
      for (let i = 0; i < len; i++) msg += String.fromCharCode(c[MSG + i]);
      const thread = who - 1;
      if (this.known[thread - 1] === 'dead') {
        throw new RobustRegError('INTERNAL', `thread ${thread} of the pool ${msg}; the fit was stopped, and the pool runs on ${this.live + 1} of ${this.size} threads${this.restarts[thread - 1] <= MAX_REPLACEMENTS && !this.closed ? ' until the thread is replaced' : ''}`, { thread, pass, cause: 'exited' });
      }
      throw new RobustRegError('INTERNAL', `thread ${thread} of the pool failed in a block pass (${msg}); the fit was stopped — this is a bug in robustreg, please report it with the input`, { thread, pass, cause: 'error' });
    }
  }

  /** The PARTS word for `parts` participants: workers below it take part — the first parts - 1 counted ones. */
  private limit(parts: number): number {
    if (parts !== this.partsFor) {
      let need = parts - 1;
      let l = 1;
      for (let i = 1; i < this.size && need > 0; i++) {
        if (this.known[i - 1] === 'live') need--;
        l = i + 1;
      }
      this.partsFor = parts;
      this.partsLimit = l;
    }
    return this.partsLimit;
  }

  /**
   * Called while waiting for job `gen` after a slice without an acknowledgment: the counted workers
   * that owe it and can no longer give it — reported dead without acknowledging, or stopped without
   * any report (the liveness probe) — are marked dead, the job is failed, and their number returned.
   * A live worker that is merely slow (a loaded machine) is never given up on.
   */
  private reap(gen: number): number {
    const c = this.ctl;
    let gone = 0;
    for (let i = 1; i < this.size; i++) {
      if (this.known[i - 1] !== 'live' || Atomics.load(c, WBASE + 3 * i + 2) === gen) continue;
      const reported = Atomics.load(c, WBASE + 3 * i) === W_DEAD;
      if (!reported && !this.workers[i - 1].stopped()) continue;
      this.markDead(i);
      // a worker that acknowledged on its way out (its report stores the acknowledgment before the
      // state, and a stopped thread has finished its report) is counted in DONE already
      if (Atomics.load(c, WBASE + 3 * i + 2) === gen) {
        this.lost(i);
        continue;
      }
      this.failJob(i, reported ? 'died during a block pass' : 'exited during a block pass (its thread stopped without a report: terminated or out of memory)');
      this.lost(i);
      gone++;
    }
    return gone;
  }

  /** Fail the current job on behalf of worker i (unless it already failed). */
  private failJob(i: number, message: string): void {
    const c = this.ctl;
    if (Atomics.compareExchange(c, ERR, 0, i + 1) !== 0) return;
    const s = message.slice(0, MSG_MAX);
    for (let k = 0; k < s.length; k++) c[MSG + k] = s.charCodeAt(k);
    Atomics.store(c, MSG_LEN, s.length);
  }

  /** Mark worker i dead in shared memory (it never takes part again). */
  private markDead(i: number): void {
    if (Atomics.exchange(this.ctl, WBASE + 3 * i, W_DEAD) !== W_DEAD) Atomics.add(this.ctl, LOST, 1);
  }

  /** Take the deaths reported since the last look into account (between jobs). */
  private refresh(): void {
    this.lostSeen = Atomics.load(this.ctl, LOST);
    for (let i = 1; i < this.size; i++) {
      if (this.known[i - 1] === 'live' && Atomics.load(this.ctl, WBASE + 3 * i) === W_DEAD) this.lost(i);
    }
  }

  /** Worker i is dead: stop counting it, free its thread, and start a replacement (after the fit in progress). */
  private lost(i: number): void {
    this.known[i - 1] = 'dead';
    this.live--;
    this.partsFor = -1;
    this.deaths++;
    this.workers[i - 1].terminate();
    if (this.restarts[i - 1] >= MAX_REPLACEMENTS) {
      this.note = `thread ${i} died ${this.restarts[i - 1] + 1} times and is not restarted`;
      return;
    }
    this.restarts[i - 1]++;
    this.note = `thread ${i} died and is being replaced`;
    void Promise.resolve().then(() => this.replace(i));
  }

  /**
   * Start a new worker in slot i. It instantiates the module while fits may run without it; it is
   * counted from the first job after its 'ready' arrives (this thread runs that handler only between
   * jobs, so no job ever waits for a worker that did not see its start).
   */
  private replace(i: number): void {
    if (this.closed || this.known[i - 1] !== 'dead') return;
    let w: PoolWorker;
    try {
      w = spawn();
    } catch (e) {
      this.note = `thread ${i} could not be restarted (${(e as Error)?.message ?? String(e)})`;
      return;
    }
    this.workers[i - 1] = w;
    this.known[i - 1] = 'starting';
    Atomics.store(this.ctl, WBASE + 3 * i, W_STARTING);
    const gaveUp = (why: string) => {
      if (this.workers[i - 1] !== w || this.known[i - 1] !== 'starting') return;
      this.known[i - 1] = 'dead';
      Atomics.store(this.ctl, WBASE + 3 * i, W_DEAD);
      w.terminate();
      this.note = `thread ${i} could not be restarted (${why})`;
    };
    w.onMessage((m) => {
      if (m.type !== 'ready') return gaveUp(m.message ?? 'unknown error');
      if (this.closed) return w.terminate();
      if (this.workers[i - 1] !== w || this.known[i - 1] !== 'starting') return;
      Atomics.store(this.ctl, WBASE + 3 * i + 1, (Atomics.load(this.ctl, GEN) + 1) | 0);
      Atomics.store(this.ctl, WBASE + 3 * i, W_LIVE);
      w.armProbe();
      this.known[i - 1] = 'live';
      this.live++;
      this.partsFor = -1;
      this.replaced++;
      if (this.live + 1 === this.size) this.note = null;
    });
    w.onError((e) => gaveUp((e as Error)?.message ?? String(e)));
    this.watch(w, i);
    w.unref();
    w.post({ module: this.module, memory: this.memory, ctl: this.ctl.buffer, index: i });
  }

  /** Internal (tests): terminate worker i (1-based) as if it had died (between jobs). */
  killWorker(i: number): void {
    if (this.known[i - 1] !== 'live') return;
    this.markDead(i);
    this.workers[i - 1].terminate();
    this.refresh();
  }

  /**
   * Internal (tests): make worker i fail at its next item (or at the end of its next job, if it takes
   * none) — `kind` as in FAULT_KINDS. One-shot: the worker clears the word when it acts. The word is 0
   * in production, where the worker only loads it once per job.
   */
  injectFault(kind: FaultKind, i: number): void {
    Atomics.store(this.ctl, FAULT, (FAULT_KINDS[kind] << 8) | i);
  }

  /**
   * Internal (tests): start a job of no items now and wait at most `timeoutMs` for the counted workers'
   * acknowledgments; returns how many arrived. run() waits for them without a bound (a live worker is
   * never given up on), so a worker that misses a job's generation would hang it: this probe shows it
   * without hanging. A pool whose probe came back short must be closed.
   */
  ackProbe(timeoutMs: number): number {
    const c = this.ctl;
    Atomics.store(c, ITEMS, 0);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERR, 0);
    Atomics.store(c, PARTS, this.limit(this.size));
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    const end = Date.now() + timeoutMs;
    for (let d = Atomics.load(c, DONE); d < this.live && Date.now() < end; d = Atomics.load(c, DONE)) {
      if (this.block) Atomics.wait(c, DONE, d, Math.max(1, end - Date.now()));
    }
    return Atomics.load(c, DONE);
  }

  /** Internal (tests): a fault injected and not acted on yet. */
  faultPending(): boolean {
    return Atomics.load(this.ctl, FAULT) !== 0;
  }

  /** Stop and terminate the workers (the pool cannot be used afterwards). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.running = false;
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) w.terminate();
  }
}
