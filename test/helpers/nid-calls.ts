// The l1_fit kernel calls summary's nid makes on a Dataset's backend (test/estimators/nid-refits and
// nid-face): refits on all rows and solves on the fit's face (fewer rows) are told apart by nIn.
import type { Dataset } from '../../src/index.js';

/** Row counts (nIn) of the l1_fit kernel calls of the Dataset's backend (its slot's) while f runs. */
export function l1Rows(ds: Dataset, f: () => void): number[] {
  const k = (ds as unknown as { slot: { backend: { kernels: { l1_fit: (...a: unknown[]) => number } } } }).slot.backend.kernels;
  const orig = k.l1_fit;
  const rows: number[] = [];
  k.l1_fit = (...a: unknown[]) => {
    rows.push(a[0] as number);
    return orig(...a);
  };
  try {
    f();
  } finally {
    k.l1_fit = orig;
  }
  return rows;
}
