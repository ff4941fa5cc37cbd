// Warm-up of the WebAssembly kernels at init() (issue 23).
//
// Why: V8 compiles WebAssembly first with its baseline compiler (Liftoff) and re-compiles a function
// with the optimizing compiler (TurboFan) in the background once it has run "enough" (a per-function
// budget of executed code). There is no on-stack replacement for WebAssembly: a long first fit that
// starts in baseline code stays there to its end (measured 1.3–1.7× slower than warm at 1e6 rows).
// Running every kernel family once on tiny inputs spends those budgets; waiting a few milliseconds
// lets the background compiles land, so the first real fit runs optimized code from its first call.
// The optimized code belongs to the compiled WebAssembly.Module, so it also serves every other
// instance of that module — fitAsync's workers included.
//
// No state left behind: the warm-up runs on a SCRATCH instance of the module (its own linear memory,
// its own kernel globals), which is dropped afterwards. The instance fits use is never touched: its
// memory size, arena and globals are exactly those of an instance that was never warmed (tested in
// test/system/warmup.test.ts), so results are bit-identical with or without the warm-up.
//
// Adding a kernel (MM, LTS, …): append one entry to WARMUP_CALLS below — a name and a function that
// calls the kernel on the scratch instance through `ScratchMemory` (inputs from `problem()`). Keep
// each entry cheap (≈ 1 ms): every entry adds to the cost of init(), which must stay ≤ 60 ms.
import type { Backend, Kernels } from '../abi/kernels.js';
import { INFO_LEN } from '../abi/info.js';
import { instantiateWasm } from './wasm.js';

/** A bump allocator over the scratch instance's linear memory (the warm-up's only memory). */
export interface ScratchMemory {
  readonly kernels: Kernels;
  /** Reserve `bytes` (16-byte aligned), growing the scratch memory as needed; returns the byte offset. */
  alloc(bytes: number): number;
  /** Copy `values` to a new region; returns its byte offset. */
  put(values: Float64Array | Float32Array): number;
  /** A view of the scratch memory (fresh: views detach when memory grows). */
  f64(): Float64Array;
}

/** A deterministic test problem: X column-major n×p, y = X·β + heavy-tailed noise with ~10% outliers. */
export interface WarmProblem {
  n: number;
  p: number;
  X: Float64Array;
  y: Float64Array;
  w: Float64Array;
}

/** One warm-up entry: `run` calls kernels of one family on the scratch instance (results are discarded). */
export interface WarmupCall {
  name: string;
  run(mem: ScratchMemory, rows: number): void;
}

/** Rows of the warm-up problems (enough to spend V8's tier-up budget of the hot loops; measured). */
export const WARMUP_ROWS = 512;

/** Values shared by every problem of one warm-up (generating them costs more than the kernels' calls). */
let pool: Float64Array | null = null;
const POOL = 4099; // prime: the windows below do not repeat along columns

function values(): Float64Array {
  if (pool) return pool;
  pool = new Float64Array(POOL);
  let s = 0x9e3779b9;
  for (let k = 0; k < POOL; k++) {
    // xorshift32: cheap and deterministic (the values only need to be non-degenerate)
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    pool[k] = s / 4294967296;
  }
  return pool;
}

export function problem(n: number, p: number, seed = 1): WarmProblem {
  const v = values();
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  let k = (seed * 7919) % POOL;
  const next = () => {
    k = k + 1 === POOL ? 0 : k + 1;
    return v[k];
  };
  for (let i = 0; i < n * p; i++) X[i] = 2 * next() - 1 + 0.1 * (i % 7);
  for (let i = 0; i < n; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) lin += (j + 1) * 0.25 * X[j * n + i];
    const u = next();
    y[i] = lin + (u - 0.5) / (next() + 0.05) + (u < 0.1 ? 20 : 0);
    w[i] = 0.5 + next();
  }
  return { n, p, X, y, w };
}

function outputs(mem: ScratchMemory, p: number): { pCoef: number; pStart: number; pInfo: number; pFlags: number } {
  return { pCoef: mem.alloc(8 * (p + 1)), pStart: mem.alloc(8 * (p + 1)), pInfo: mem.alloc(8 * INFO_LEN), pFlags: mem.alloc(4 * Math.max(p, 1)) };
}

/**
 * The warm-up table: one entry per kernel family, run in this order by init(). Sizes are chosen so
 * that each family's hot loops exhaust V8's tier-up budget (see bench/cold.mjs --probe).
 */
export const WARMUP_CALLS: WarmupCall[] = [
  {
    name: 'l2',
    run(mem, rows) {
      const k = mem.kernels;
      for (const [p, xf32, weighted] of [[12, 0, 0], [12, 1, 1], [12, 0, 1], [12, 1, 0]] as const) {
        const d = problem(rows, p, 11 + p);
        const pX = xf32 ? mem.put(Float32Array.from(d.X)) : mem.put(d.X);
        const pY = mem.put(d.y), pW = weighted ? mem.put(d.w) : 0;
        const o = outputs(mem, p);
        const pWork = mem.alloc(k.l2_work_bytes(rows, p));
        k.l2_fit(rows, p, pX, pY, pW, 1, 0, o.pCoef, o.pInfo, o.pFlags, pWork, xf32);
      }
      // l2Solve runs once per fit: small calls spend its budget cheaply (its loops are over p)
      {
        const t = problem(64, 12, 5);
        const pX = mem.put(t.X), pY = mem.put(t.y), o = outputs(mem, 12), pWork = mem.alloc(k.l2_work_bytes(64, 12));
        for (let r = 0; r < 8; r++) k.l2_fit(64, 12, pX, pY, 0, 1, r * 1e-3, o.pCoef, o.pInfo, o.pFlags, pWork, 0);
      }
      // a duplicated column with a tiny ridge takes the Householder QR path (rcond < 1e-10, status OK)
      const d = problem(rows >> 2, 4, 3);
      for (let i = 0; i < d.n; i++) d.X[3 * d.n + i] = d.X[i];
      const o = outputs(mem, 4);
      k.l2_fit(d.n, 4, mem.put(d.X), mem.put(d.y), 0, 1, 1e-12, o.pCoef, o.pInfo, o.pFlags, mem.alloc(k.l2_work_bytes(d.n, 4)), 0);
    },
  },
  {
    name: 'l1', // exact L1 / quantile (simplex, coordinate descent, weighted selection), plain and globbed
    run(mem, rows) {
      const k = mem.kernels;
      const p = 6;
      const d = problem(rows, p, 5);
      const pX = mem.put(d.X), pY = mem.put(d.y), pW = mem.put(d.w);
      const o = outputs(mem, p);
      const pWork = mem.alloc(k.l1_work_bytes(rows, p));
      // functions run once per fit (certificate, crash, …) need several calls to spend their budget
      for (const tau of [0.5, 0.25]) {
        k.l1_fit(rows, rows, p, pX, pY, tau === 0.25 ? pW : 0, 1, tau, 10000, 1e-10, 0, o.pCoef, o.pInfo, o.pFlags, pWork, 0);
      }
      // The Portnoy–Koenker globbing path (used from 20,000 rows) on small data, forced through this
      // instance's threshold (harmless: the instance is discarded). Cold, then warm-started (the warm
      // start makes a band that small data can still use).
      // One column (q = 2 with the intercept): the smallest data on which a band is still worth it.
      const gn = Math.max(rows, 768);
      const g = problem(gn, 1, 6);
      const gX = mem.put(g.X), gY = mem.put(g.y);
      const go = outputs(mem, 1);
      const old = k.l1_glob(1, 40);
      const gWork = mem.alloc(k.l1_work_bytes(gn, 1));
      k.l1_fit(gn, gn, 1, gX, gY, 0, 1, 0.5, 10000, 1e-10, 0, go.pCoef, go.pInfo, go.pFlags, gWork, 0);
      for (const tau of [0.5, 0.3, 0.7, 0.4, 0.6, 0.2, 0.8, 0.45, 0.55]) {
        const f64 = mem.f64();
        for (let j = 0; j < 2; j++) f64[(go.pStart >>> 3) + j] = f64[(go.pCoef >>> 3) + j] * 1.25 + 0.5;
        k.l1_fit(gn, gn, 1, gX, gY, 0, 1, tau, 10000, 1e-10, go.pStart, go.pCoef, go.pInfo, go.pFlags, gWork, 0);
      }
      k.l1_glob(old, 0);
      // The duplicate-row check every unpenalised L1 / quantile fit from 10,000 rows starts with
      // (src/fit/collapse.ts): its sampled pre-check runs from 32,768 rows. All-zero rows pass it, so
      // the same calls also run the full grouping pass and the build.
      const cn = 32768, cg = cn >> 1;
      const cX = mem.alloc(8 * cn), cY = mem.alloc(8 * cn), cWork = mem.alloc(k.collapse_work_bytes(cn, cg));
      mem.f64().fill(0, cX >>> 3, (cY >>> 3) + cn); // earlier entries used this memory
      const cm = k.collapse_groups(cn, 1, cX, cY, cg, cWork, 0);
      if (cm > 0) k.collapse_build(cn, 1, cX, cY, 0, cg, cm, mem.alloc(8 * cm), mem.alloc(8 * cm), mem.alloc(8 * cm), cWork, 0);
    },
  },
  {
    name: 'irls', // Huber (scale estimated) and smooth-L1
    run(mem, rows) {
      const k = mem.kernels;
      const p = 8;
      const d = problem(rows, p, 7);
      const pX = mem.put(d.X), pY = mem.put(d.y);
      const o = outputs(mem, p);
      const pWork = mem.alloc(k.irls_work_bytes(rows, p));
      k.irls_fit(rows, p, pX, pY, 0, 1, 1, 1.345, 0, 0, 200, 1e-10, 0, o.pCoef, o.pInfo, o.pFlags, pWork, 0);
      k.irls_fit(rows, p, pX, pY, 0, 1, 2, 1, 0, 0, 200, 1e-10, 0, o.pCoef, o.pInfo, o.pFlags, pWork, 0);
      // Huber from 8,000 rows (p = 1) starts from a pilot fit on a 1,000-row subsample (assembly/irls.ts)
      const pn = 8000, pd = problem(pn, 1, 8);
      const po = outputs(mem, 1);
      k.irls_fit(pn, 1, mem.put(pd.X), mem.put(pd.y), 0, 1, 1, 1.345, 0, 0, 200, 1e-10, 0, po.pCoef, po.pInfo, po.pFlags, mem.alloc(k.irls_work_bytes(pn, 1)), 0);
    },
  },
  {
    name: 'moments', // streaming least squares (GramAccumulator)
    run(mem, rows) {
      const k = mem.kernels;
      const p = 8;
      const d = problem(rows, p, 9);
      const q = p + 1;
      k.moments(rows, p, mem.put(d.X), mem.put(d.y), mem.put(d.w), mem.alloc(8 * (q * q + 1 + 2 * q)), mem.alloc(k.moments_work_bytes(rows, p)), 0);
    },
  },
  {
    // MM (S-estimate by fast-S subsampling, then the bisquare M-step): tiny n and 20 subsamples, one
    // call. The params region is assembly/mm.ts's P_* layout as src/fit/mm.ts fills it (lmrob's
    // defaults); a change there only makes this warm-up less useful, never a fit wrong (scratch).
    name: 'mm',
    run(mem, rows) {
      const k = mem.kernels;
      const n = Math.min(rows, 160), p = 3;
      const d = problem(n, p, 13);
      const pX = mem.put(d.X), pY = mem.put(d.y);
      const par = Float64Array.from([20, 2, 1, 200, 200, 1e-7, 1e-7, 1e-10, 1e-10, 1.54764, 0.5, 4.685061, 50, 1, 5, 400, 2000, 1e-7, 0, 0]);
      const pPar = mem.put(par);
      const pStart = mem.alloc(8 * (p + 2)), pCoefS = mem.alloc(8 * (p + 1)), pCoef = mem.alloc(8 * (p + 1));
      const pRes0 = mem.alloc(8 * n), pRes = mem.alloc(8 * n), pInfo = mem.alloc(8 * 12);
      const pWork = mem.alloc(Math.max(k.mm_work_bytes(n, p, 2, 5, 400), k.l2_work_bytes(n, p)));
      k.mm_fit(n, p, pX, pY, 1, pPar, pStart, pCoefS, pCoef, pRes0, pRes, pInfo, pWork, 0);
    },
  },
  {
    name: 'lts', // FAST-LTS: tiny n, 20 elemental starts; then the host's residual pass (lts_resid)
    run(mem, rows) {
      const k = mem.kernels;
      const n = Math.min(rows, 160), p = 3;
      const d = problem(n, p, 17);
      const pX = mem.put(d.X), pY = mem.put(d.y);
      const o = outputs(mem, p);
      const h = Math.floor((n + p + 2) / 2);
      const pWork = mem.alloc(k.lts_work_bytes(n, p));
      k.lts_fit(n, p, pX, pY, 1, h, 20, 20061, 100, o.pCoef, o.pInfo, o.pFlags, pWork, 0);
      k.lts_resid(n, p, pX, pY, o.pCoef, mem.alloc(8 * n), pWork, 0);
    },
  },
  {
    name: 'hc', // summary() of a least-squares fit on a Dataset (classical and HC0/HC1 in one pass)
    run(mem, rows) {
      const k = mem.kernels;
      const p = 8;
      const d = problem(rows, p, 11);
      const kk = p + 1;
      const pB = mem.put(new Float64Array(p + 1).fill(0.5));
      const pX = mem.put(d.X), pY = mem.put(d.y), pW = mem.put(d.w);
      const pOut = mem.alloc(8 * (2 * kk * kk + kk + 5 + p)), pWork = mem.alloc(k.hc_work_bytes(rows, p));
      // several calls: one block of rows each does not spend the tier-up budget of the Gram loops
      for (let r = 0; r < 6; r++) k.hc_pass(rows, p, pX, pY, r % 2 ? pW : 0, 1, pB, r % 3 ? 1 : 0, pOut, pWork, 0);
      // nid's linear pass (summary se 'nid' on a Dataset): with y, then without
      const pR = mem.alloc(8 * rows);
      for (let r = 0; r < 6; r++) k.nid_rows(rows, p, pX, r % 2 ? pY : 0, 0.25, pB, pR, 0);
      // and its covariance pass after the refits (densities and both Gram matrices)
      const pOm = mem.alloc(8 * rows), pOb = mem.alloc(8 * rows), pG = mem.alloc(8 * (2 * kk * kk + p + 5));
      const pGw = mem.alloc(k.nid_gram_work_bytes(rows, p));
      for (let r = 0; r < 6; r++) k.nid_gram(rows, p, pX, r % 2 ? pW : 0, 0, -0.25, pB, 0.05, pOm, pOb, pG, pGw, 0);
    },
  },
];

export interface WarmupOptions {
  /** Rows of the warm-up problems (default WARMUP_ROWS). */
  rows?: number;
  /**
   * Stop waiting for tier-up at this time (a performance.now() value; default: start + WARMUP_BUDGET_MS).
   * init() passes its own start so that compile + calls + wait stay within the budget.
   */
  deadline?: number;
  /** Entries to run (default all of WARMUP_CALLS). */
  calls?: readonly WarmupCall[];
  /** Wait for tier-up after the calls (default true). */
  wait?: boolean;
  /** Called after the entries with the scratch instance (init() runs public fits on it to warm the host code). */
  host?: (scratch: Backend) => void;
}

/** init()'s time budget (ms): compile, warm-up calls and the wait for tier-up together. */
export const WARMUP_BUDGET_MS = 60;
/** Shortest wait after the calls (ms): lets the first background compiles start and land. */
export const WARMUP_MIN_WAIT_MS = 10;
/** Poll interval (ms) of the Node wait, and the share of it the process may still be busy to count as settled. */
const POLL_MS = 4;
const BUSY_SHARE = 0.25;

export interface WarmupReport {
  /** Time spent in the warm-up calls (ms). */
  callsMs: number;
  /** Time spent waiting for tier-up (ms). */
  waitMs: number;
  /** True when the wait ended because background compilation went quiet (Node); false: deadline or fixed wait. */
  settled: boolean;
  /** Time of each entry's calls (ms), in table order. */
  entries: Array<{ name: string; ms: number }>;
}

/**
 * Run the warm-up table on a scratch instance of `module`, then wait for V8's background
 * optimizing compiles. Never throws: a failing entry only loses its warm-up (fits are unaffected),
 * so init() cannot fail because of it.
 *
 * The wait: in Node, the main thread is idle while it waits, so the process's CPU time grows only
 * through background threads — V8's compile workers. It polls process.cpuUsage() every POLL_MS and
 * stops once an interval shows less than BUSY_SHARE of one core busy (after WARMUP_MIN_WAIT_MS), or
 * at the deadline. Browsers have no such clock: they wait WARMUP_MIN_WAIT_MS (bounded by the deadline).
 */
export async function warmUp(module: WebAssembly.Module, options: WarmupOptions = {}): Promise<WarmupReport> {
  const rows = options.rows ?? WARMUP_ROWS;
  const t0 = now();
  const deadline = options.deadline ?? t0 + WARMUP_BUDGET_MS;
  const entries: WarmupReport['entries'] = [];
  try {
    const scratch = await instantiateWasm(module, { progress: () => 0 });
    let top = 0;
    const mem: ScratchMemory = {
      kernels: scratch.kernels,
      alloc(bytes) {
        if (top === 0) top = (scratch.kernels.heap_base() + 15) & ~15;
        const at = top;
        top += (Math.max(bytes, 16) + 15) & ~15;
        scratch.grow(top);
        return at;
      },
      f64: () => scratch.f64(),
      put(values) {
        const at = this.alloc(values.byteLength);
        new Uint8Array(scratch.f64().buffer, at, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
        return at;
      },
    };
    for (const c of options.calls ?? WARMUP_CALLS) {
      top = 0; // each entry starts from the bottom of the scratch memory
      const e0 = now();
      try {
        c.run(mem, rows);
      } catch {
        // a warm-up entry must never break init(): skip it
      }
      entries.push({ name: c.name, ms: now() - e0 });
    }
    if (options.host) {
      const e0 = now();
      try {
        options.host(scratch);
      } catch {
        // same rule: the host warm-up never breaks init()
      }
      entries.push({ name: 'host', ms: now() - e0 });
    }
  } catch {
    // the scratch instance could not be created (e.g. out of memory): no warm-up, fits unaffected
  }
  const t1 = now();
  const settled = options.wait === false ? false : await settle(t1 + WARMUP_MIN_WAIT_MS, Math.max(deadline, t1 + WARMUP_MIN_WAIT_MS));
  return { callsMs: t1 - t0, waitMs: now() - t1, settled, entries };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function settle(minEnd: number, deadline: number): Promise<boolean> {
  const proc = (globalThis as unknown as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (typeof proc?.cpuUsage !== 'function') {
    await sleep(minEnd - now());
    return false;
  }
  const cpu = () => {
    const u = proc.cpuUsage!();
    return (u.user + u.system) / 1000;
  };
  let c = cpu(), t = now();
  while (t < deadline) {
    await sleep(Math.min(POLL_MS, deadline - t));
    const c2 = cpu(), t2 = now();
    const quiet = c2 - c < BUSY_SHARE * (t2 - t);
    c = c2;
    t = t2;
    if (quiet && t >= minEnd) return true;
  }
  return false;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
