// Exact collapsing of duplicated rows before an L1 / quantile solve (issue 18; kernels
// assembly/collapse.ts and src/twin/collapse.ts). Survey, sensor and count data often hold the same
// (x, y) row many times; the quantile objective of such data is that of the distinct rows weighted by
// their summed weights, so the solver can work on the distinct rows only — same minimisers, same
// optimal objective, and a certificate that maps back (the dual value of a group is every member's).
//
// When: unpenalised fits on at least COLLAPSE_MIN_ROWS rows, and only if at most a fraction
// COLLAPSE_MAX_FRACTION of the rows are distinct (the kernel stops counting as soon as that is
// exceeded). Then the solve costs what the distinct rows cost (1e6 rows made of 1,000 distinct ones:
// a 1,000-row weighted problem) plus one hashing pass over X.
import type { Slot } from '../backend/runtime.js';

/** Fits on fewer rows are never collapsed (the solve is fast anyway; small problems stay as given). */
export const COLLAPSE_MIN_ROWS = 10000;
/** Collapse only when at most this fraction of the rows is distinct. */
export const COLLAPSE_MAX_FRACTION = 0.5;

export interface Collapsed {
  /** Distinct rows. */
  m: number;
  pX: number;
  pY: number;
  pW: number;
  /** persistent = true: the block to free (arena.freeBlock) when done. */
  blocks: number[];
}

/** A region the caller has allocated and does not need until the collapse is over. */
export interface Scratch {
  ptr: number;
  bytes: number;
}

/**
 * Try to collapse the n × p problem at (pX, pY, pW; pW = 0: unit weights; xf32: X stored as float32)
 * in the slot's memory. Returns the collapsed problem (X f64, weights always present) in new arena
 * regions, or null when too many rows are distinct. Scoped to the caller's withSlot (regions are
 * released with the fit's). The grouping work (~22 bytes a row) goes into `scratch` when it is large
 * enough — a fit's own solver work region, not yet in use — so a check that finds too few duplicates
 * (the common case) costs no memory; otherwise it gets a region of its own.
 */
export function collapseRows(slot: Slot, fn: string, n: number, p: number, pX: number, pY: number, pW: number, xf32: number,
  persistent = false, scratch?: Scratch): Collapsed | null {
  if (n < COLLAPSE_MIN_ROWS) return null;
  const k = slot.backend.kernels;
  const maxGroups = Math.floor(n * COLLAPSE_MAX_FRACTION);
  const need = k.collapse_work_bytes(n, maxGroups);
  const own = !(scratch && scratch.bytes >= need);
  const pWork = own ? slot.arena.allocMany([need], `${fn} (duplicate-row check, n = ${n})`, persistent)[0] : scratch!.ptr;
  try {
    const m = k.collapse_groups(n, p, pX, pY, maxGroups, pWork, xf32);
    if (m < 0) return null;
    const [pXc, pYc, pWc] = slot.arena.allocMany([8 * m * p, 8 * m, 8 * m], `${fn} (${m} distinct rows of ${n}, p = ${p})`, persistent);
    k.collapse_build(n, p, pX, pY, pW, maxGroups, m, pXc, pYc, pWc, pWork, xf32);
    return { m, pX: pXc, pY: pYc, pW: pWc, blocks: persistent ? [pXc] : [] };
  } finally {
    if (persistent && own) slot.arena.freeBlock(pWork); // the groups are no longer needed
  }
}
