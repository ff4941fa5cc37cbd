// Twin of assembly/l1-rows.ts: the fixed row decomposition of the L1 kernel's passes over the rows.
// The kernel splits those passes across threads; the twin runs its plain loops, which give the same
// bits wherever each row is computed alone or the kernel keeps the loop's partial sums (residuals,
// gradient, column scales, edge image) — only the certificate's sums are chunked, and the twin sums
// them by the same chunks (l1-certificate.ts).
import { BLOCK } from './l1-state.js';

/** Rows per item of the kernel's row passes (a whole number of BLOCKs). */
export const ROW_CHUNK = 32 * BLOCK;
/** The kernel's row maps on fewer rows (assembly/l1-rows.ts itemRows): about ROW_ITEMS items of at
 *  least ITEM_MIN rows, split from SPLIT_MIN rows on. Each row is computed alone (or the per-BLOCK
 *  partials kept), so the twin's plain loops give the same bits; listed so the two files agree. */
export const ITEM_MIN = 4 * BLOCK;
export const ROW_ITEMS = 8;
export const SPLIT_MIN = 4 * ITEM_MIN;
/** ...and only when the pass reads more than SPLIT_WORK entries of X (rows x the columns it sweeps). */
export const SPLIT_WORK = 524288;
/** f64 slots per chunk before its q column sums in the kernel's partials (the twin sums in place). */
export const CERT_HEAD = 3;

/** Chunks of the certificate's sums over n rows with q coefficients: one up to ROW_CHUNK rows, or
 *  when the kernel's partials (CERT_HEAD + q per chunk) would not fit its n-row region. */
export function certChunks(n: number, q: number): number {
  const c = Math.ceil(n / ROW_CHUNK);
  return c > 1 && c * (CERT_HEAD + q) <= n ? c : 1;
}
