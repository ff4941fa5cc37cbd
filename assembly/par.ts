// Row-block passes that the host may split across threads (docs/design.md "Threads: the block-pass API").
//
// A pass is a map over `items` independent work items (usually fixed row chunks) followed by a
// reduction the kernel does itself, in item order. An item function reads everything it needs from
// an argument region in linear memory (pArgs) and writes only its own output slot and the scratch of
// the participant slot it runs on — never module globals of the calling instance (each worker has
// its own instance: its globals are not the caller's). So the result does not depend on which thread
// computes which item, nor on how many threads there are.
//
// In the single-threaded build (no `threads` feature) parRun is a compile-time `false`: the kernel
// runs the items itself, in order, on slot 0, and no import exists. In the threaded build the host's
// env.par_run either runs them on its pool (every participant calls the module's export par_item,
// assembly/index.ts, pulling item indexes from a shared counter) and returns 1, or returns 0 (the fit
// asked for one thread, or there is one item) and the kernel runs them itself.
import { XS, setXS } from "./xload";

// @ts-ignore: decorator
@external("env", "par_run")
declare function hostParRun(pass: i32, pArgs: usize, items: i32): i32;

// @ts-ignore: decorator
@external("env", "par_start")
declare function hostParStart(pass: i32, pArgs: usize, items: i32): i32;

// @ts-ignore: decorator
@external("env", "par_join")
declare function hostParJoin(): void;

/** Pass ids (par_item dispatches on them; the host treats them as opaque). */
export const PASS_TEST: i32 = 0;
export const PASS_L2_GRAM: i32 = 1;
export const PASS_L2_REFINE: i32 = 2;
export const PASS_L2_STD: i32 = 3;
/** assembly/gram32.ts: the f32 Gram route's Gram pass (row chunks of l2.ts). */
export const PASS_L2_GRAM32: i32 = 4;
/** assembly/irls.ts row chunks (the chunk kind is an argument: irlsChunk dispatches on it). */
export const PASS_IRLS: i32 = 10;
/** assembly/l1-glob.ts row chunks (likewise). */
export const PASS_L1_GLOB: i32 = 11;
/** assembly/collapse.ts: the duplicate pre-check's row hashes (sampled rows in items). */
export const PASS_COLLAPSE: i32 = 12;
/** assembly/l1-rows.ts: the L1 solver's row passes (residuals, gradient, column scales, edge image). */
export const PASS_L1_ROWS: i32 = 40;
/** assembly/lts.ts row chunks of the full-data passes (residual keys, the selection's bracket count,
 *  the selection scan; the kind is an argument: ltsChunk dispatches on it). */
export const PASS_LTS: i32 = 60;
/** assembly/mm.ts row chunks (residuals, rho sums, the weighted Gram matrix; mmChunk dispatches). */
export const PASS_MM: i32 = 61;

/** Participant slots the work regions provide scratch for (set once by the host of a threaded
 *  instance; 1 in the single-threaded build and the twin). Read only by *_work_bytes and by the
 *  calling kernel when it lays out its work region — never by item functions. */
export let PAR_SLOTS: i32 = 1;

export function par_set_slots(k: i32): void {
  PAR_SLOTS = k < 1 ? 1 : k;
}

/** True when the host ran the pass's items (then the kernel only reduces); false: run them here. */
export function parRun(pass: i32, pArgs: usize, items: i32): bool {
  if (ASC_FEATURE_THREADS) {
    if (items > 1) {
      const xs = XS;
      const ran = hostParRun(pass, pArgs, items) != 0;
      setXS(xs); // this instance's own par_item calls set XS from the arguments: restore the caller's
      return ran;
    }
  }
  return false;
}

/**
 * A pass run in the background (docs/design.md "Threads", overlap): the host starts its items on the
 * pool's workers and returns at once, so the calling thread goes on with other (serial) work; true when
 * the host took the pass — then the kernel must call parJoin() before it reads the pass's output or
 * writes anything its items read (the argument region above all: use one no other pass writes
 * meanwhile), and the pass's reduction follows the join, in item order, as after parRun. parJoin has
 * the calling thread take the items still left (it helps; on a loaded machine it may do them all) and
 * wait for the workers. False (one thread, or one item): the kernel runs the items itself, now. A pass
 * started while another is in the background joins that one first (one job at a time on the pool); a
 * parRun meanwhile returns false — the calling thread runs that pass's items itself, so the serial
 * work's own small passes (the reduced L1 solves' row passes) never force an early join. The host also
 * joins a pass a kernel call left behind (cancelled, trapped) before the call's memory is released.
 * Same items, same reduction: the same bits for any thread count.
 */
export function parStart(pass: i32, pArgs: usize, items: i32): bool {
  if (ASC_FEATURE_THREADS) {
    if (items > 1) {
      const xs = XS;
      const ran = hostParStart(pass, pArgs, items) != 0;
      setXS(xs); // a host that runs the items at once (timed, one thread) ran this instance's par_item
      return ran;
    }
  }
  return false;
}

/** Waits for the pass parStart handed to the host (the calling thread takes the items still left). */
export function parJoin(): void {
  if (ASC_FEATURE_THREADS) {
    const xs = XS;
    hostParJoin();
    setXS(xs);
  }
}
