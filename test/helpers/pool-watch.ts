// Watching the thread pool's background jobs in a test (test/threads/l1-background.test.ts,
// test/threads/l1-rank-background.test.ts): which passes a fit started with ThreadPool.start outside
// run() (assembly/par.ts parStart), a hook right before each such start, and whether a job was left pending.
import { ThreadPool } from '../../src/threads/pool.js';

type Proto = { run: (...a: unknown[]) => void; start: (...a: unknown[]) => void; join: () => void; busy: boolean };

/**
 * Runs f with the pool's jobs watched: the jobs started in the background (start() not called by run())
 * as [pass, word 0 of its arguments (a glob pass's kind)]; `onStart` runs right before each such start. Returns f's result or error, the
 * background starts, and whether the pool was left with a pending job.
 */
export function watched<T>(f: () => T, onStart?: (pass: number, word0: number) => void): { r?: T; err?: unknown; starts: [number, number][]; leftBusy: boolean } {
  const proto = ThreadPool.prototype as unknown as Proto;
  const { run, start } = proto;
  const starts: [number, number][] = [];
  let inRun = 0;
  const pools = new Set<Proto>();
  proto.run = function (this: Proto, ...a: unknown[]) {
    inRun++;
    try {
      return run.apply(this, a);
    } finally {
      inRun--;
    }
  };
  proto.start = function (this: Proto & { memory: WebAssembly.Memory }, ...a: unknown[]) {
    pools.add(this);
    if (inRun === 0) {
      const s: [number, number] = [a[1] as number, new Float64Array(this.memory.buffer, a[2] as number, 1)[0]];
      starts.push(s);
      onStart?.(s[0], s[1]);
    }
    return start.apply(this, a);
  };
  try {
    const r = f();
    return { r, starts, leftBusy: [...pools].some((p) => p.busy) };
  } catch (err) {
    return { err, starts, leftBusy: [...pools].some((p) => p.busy) };
  } finally {
    proto.run = run;
    proto.start = start;
  }
}

export async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
