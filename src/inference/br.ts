// The Barrodale–Roberts simplex for quantile regression (Barrodale & Roberts 1974; Koenker & d'Orey
// 1987) and its rank-inversion walk (Koenker 1994), following the arithmetic of quantreg's rqbr.f
// (the engine of rq.fit.br) step by step, so that rank intervals reproduce quantreg's numbers also
// where its walk meets ties (docs/inference.md, "Inner bounds as quantreg reports them").
//
// Written from a reading of quantreg 5.94 / 6.1 src/rqbr.f (the routine is unchanged since 5.51);
// the TypeScript is ours. What must match for the results to match bit for bit is every floating-
// point operation that feeds a decision (choice of the entering column, the ratio test, the pass-
// through sign flips, the next breakpoint), in the same order; the comments name the steps.
//
// The tableau W has m + 5 rows and p + 4 columns (1-based indices below, column-major storage):
//   rows 1..m        one per observation; the first kl − 1 are basic (a coefficient column pivoted
//                    in), the rest nonbasic residuals, signed so that column n1 (the residual) is ≥ 0
//   row  m1 = m + 1  reduced costs at τ: m2 + τ·m3
//   rows m2, m3      the τ-free and τ-proportional parts of the reduced costs
//   row  m4          column labels: j ≤ n a coefficient, n + i observation i on the basis (sign = side)
//   columns 1..n     the n coefficients (n = p, or p − 1 for the restricted fits of the walk)
//   column  n1       the current right-hand side  v − b·x_j (transformed)
//   columns n2, n3   its two parts: v and b·x_j (the walk rescales n3 as b moves)
//   column  n4       row labels: coefficient index, or n + i for observation i (sign = side)
import { RobustRegError } from '../errors.js';

/** Result of a Barrodale–Roberts fit (and, when asked, the rank-inversion walk). */
export interface BrResult {
  /** Coefficients of the fit (the vertex the simplex ends at). */
  coef: Float64Array;
  /** 0 ok; 1 "Solution may be nonunique" (a reduced cost at 0 or 2 at the optimum); 2 premature end. */
  flag: number;
  /** Per coefficient (4 × p, column j at 4j): [outer lower, inner lower, inner upper, outer upper]. */
  ci?: Float64Array;
  /** The rank statistics at those bounds, same layout (quantreg's tnmat). */
  tnmat?: Float64Array;
  /** Simplex pivots made, all fits included. */
  pivots: number;
  /**
   * Per coefficient: the restricted fits of the walk (both directions) read from a tableau with a
   * nonbasic row on the wrong side of its label (its residual of the other sign than its rank score
   * says: 1 for a negative residual or 0 for a positive one) — a vertex that is not the optimum for
   * the signs the walk assumes. This happens after two residuals cross zero at the same b and only
   * one is passed through; the statistic read there is not that of an optimal restricted fit.
   */
  mislabelled?: Int32Array;
}

export interface BrInput {
  /** Column-major m × p design. */
  A: Float64Array;
  b: Float64Array;
  m: number;
  p: number;
  tau: number;
  /** Rank walk: q_j per coefficient and the critical value; omitted for a plain fit. */
  walk?: { qn: Float64Array; cutoff: number };
  /**
   * Diagnostics: called at every restricted fit of the walk with its b, its statistic T and the
   * vertex's coefficients γ (on the columns other than j) — so tests can check that vertex against
   * an independent optimum.
   */
  trace?: (step: { coefficient: number; direction: 1 | -1; b: number; T: number; gamma: Float64Array; mislabelled: number }) => void;
}

/** quantreg's toler and big. */
const TOLER = Math.pow(Number.EPSILON, 2 / 3);
const BIG = Number.MAX_VALUE;

/** Fortran SIGN(1, x): −1 for x < 0 or −0 (gfortran honours the sign of zero), else 1. */
function sgn(x: number): number {
  return x < 0 || Object.is(x, -0) ? -1 : 1;
}

/**
 * Barrodale–Roberts fit of y on A at τ, and with `walk` the rank-inversion bounds of every
 * coefficient as quantreg's rq.fit.br(ci = TRUE, interp = FALSE) computes them. Throws NUMERICAL
 * when a simplex exceeds its pivot budget; `flag` 2 reports quantreg's "premature end".
 */
export function brFit(inp: BrInput): BrResult {
  const { A, b, m, p: nn, tau: t } = inp;
  const M5 = m + 5;
  const m1 = m + 1, m2 = m + 2, m3 = m + 3, m4 = m + 4;
  const W = new Float64Array(M5 * (nn + 4));
  // 1-based (row, column) → offset.
  const at = (i: number, j: number) => i - 1 + (j - 1) * M5;
  const a = (i: number, j: number) => A[i - 1 + (j - 1) * m];
  const s = new Int32Array(m + 1);
  const wb = new Float64Array(m + 1);
  const x = new Float64Array(nn + 1);
  const dsol = new Float64Array(m + 1);
  const budget = 50 * (m + nn) + 1000;
  let pivotsAll = 0;
  let flag = 0;

  // Problem state (quantreg's names).
  let n = nn, n1 = n + 1, n2 = n + 2, n3 = n + 3, n4 = n + 4;
  let idxcf = 0;
  let tnew = 0;
  let kr = 1, kl = 1, kount = 0;
  let colIn = 0, out = 0;
  let init = false;
  let lci2 = false;

  /** The tableau of the problem at the current idxcf (0: the full fit) and b = tnew. */
  const setup = () => {
    for (let i = 1; i <= m; i++) {
      let k = 1;
      for (let j = 1; j <= nn; j++) {
        if (k <= nn && j !== idxcf) { W[at(i, k)] = a(i, j); k++; }
      }
      W[at(i, n4)] = n + i;
      W[at(i, n2)] = b[i - 1];
      W[at(i, n3)] = idxcf !== 0 ? tnew * a(i, idxcf) : 0;
      W[at(i, n1)] = W[at(i, n2)] - W[at(i, n3)];
      if (W[at(i, n1)] < 0) for (let j = 1; j <= n4; j++) W[at(i, j)] = -W[at(i, j)];
    }
    for (let j = 1; j <= n; j++) {
      W[at(m4, j)] = j;
      let c2 = 0, c3 = 0;
      for (let i = 1; i <= m; i++) {
        const aux = sgn(W[at(m4, j)]) * W[at(i, j)];
        const si = sgn(W[at(i, n4)]);
        c2 = c2 + aux * (1 - si);
        c3 = c3 + aux * si;
      }
      W[at(m2, j)] = c2;
      W[at(m3, j)] = 2 * c3;
    }
    init = false;
    kount = 0;
  };

  const negateColumn = (j: number) => {
    const o = (j - 1) * M5;
    for (let i = 0; i < m4; i++) W[o + i] = -W[o + i];
  };

  /** Pass a row through (flip its side): rows m1, m2 change by twice it; columns kr..n3. */
  const flipRow = (r: number) => {
    for (let j = kr; j <= n3; j++) {
      const d = W[at(r, j)];
      W[at(m1, j)] = W[at(m1, j)] - d - d;
      W[at(m2, j)] = W[at(m2, j)] - d - d;
      W[at(r, j)] = -d;
    }
    W[at(r, n4)] = -W[at(r, n4)];
  };

  /** Gauss–Jordan pivot on (out, colIn) over rows 1..m3, columns kr..n3; labels swap. */
  const pivotOn = (stage: boolean) => {
    const pivot = W[at(out, colIn)];
    for (let j = kr; j <= n3; j++) if (j !== colIn) W[at(out, j)] = W[at(out, j)] / pivot;
    // Each cell's update is independent of the others: swept column by column (contiguous), the
    // same operations as rqbr.f's row-by-row loop.
    const oIn = (colIn - 1) * M5 - 1;
    for (let j = kr; j <= n3; j++) {
      if (j === colIn) continue;
      const o = (j - 1) * M5 - 1;
      const r = W[o + out];
      for (let i = 1; i <= m3; i++) {
        if (i !== out) W[o + i] = W[o + i] - W[oIn + i] * r;
      }
    }
    for (let i = 1; i <= m3; i++) if (i !== out) W[at(i, colIn)] = -W[at(i, colIn)] / pivot;
    W[at(out, colIn)] = 1 / pivot;
    const d = W[at(out, n4)];
    W[at(out, n4)] = W[at(m4, colIn)];
    W[at(m4, colIn)] = d;
    kount++;
    if (stage) {
      kl++;
      for (let j = kr; j <= n4; j++) {
        const e = W[at(out, j)];
        W[at(out, j)] = W[at(kount, j)];
        W[at(kount, j)] = e;
      }
    }
  };

  /**
   * The ratio test for column colIn with pass-through: candidates rows kl..m with entry > toler,
   * taken by increasing ratio; a candidate whose pivot would leave the reduced cost above toler is
   * flipped instead and the next one tried. True when a pivot was made, false when none is left.
   */
  const ratioAndPivot = (stage: boolean): boolean => {
    let k = 0;
    for (let i = kl; i <= m; i++) {
      const d = W[at(i, colIn)];
      if (d > TOLER) { k++; wb[k] = W[at(i, n1)] / d; s[k] = i; }
    }
    for (;;) {
      if (k <= 0) return false;
      let min = BIG;
      let jm = 0;
      for (let i = 1; i <= k; i++) if (wb[i] < min) { jm = i; min = wb[i]; out = s[i]; }
      if (jm === 0) throw new RobustRegError('NUMERICAL', 'rank walk (Barrodale–Roberts): no finite ratio in the ratio test', {});
      wb[jm] = wb[k];
      s[jm] = s[k];
      k--;
      const pivot = W[at(out, colIn)];
      if (W[at(m1, colIn)] - pivot - pivot <= TOLER) { pivotOn(stage); return true; }
      flipRow(out);
    }
  };

  /** Stage 1 from 'label 30': the coefficient column with the largest |reduced cost| enters. */
  const chooseStage1 = () => {
    let max = -1;
    for (let j = kr; j <= n; j++) {
      if (Math.abs(W[at(m4, j)]) <= n) {
        const d = Math.abs(W[at(m1, j)]);
        if (d > max) { max = d; colIn = j; }
      }
    }
    if (W[at(m1, colIn)] < 0) negateColumn(colIn);
  };

  /** Simplex to an optimum (stage 1 when !init, then stage 2). False: quantreg's premature end. */
  const solve = (): boolean => {
    for (let j = 1; j <= n; j++) W[at(m1, j)] = W[at(m2, j)] + W[at(m3, j)] * t;
    let pivots = 0;
    if (!init) {
      kr = 1; kl = 1;
      chooseStage1();
      for (;;) {
        if (!ratioAndPivot(true)) {
          // a coefficient column with no pivot: set aside (columns kr and colIn swap)
          for (let i = 1; i <= m4; i++) {
            const d = W[at(i, kr)];
            W[at(i, kr)] = W[at(i, colIn)];
            W[at(i, colIn)] = d;
          }
          kr++;
        } else pivots++;
        if (kount + kr === n1) break;
        chooseStage1();
      }
    }
    for (;;) {
      let max = -BIG;
      for (let j = kr; j <= n; j++) {
        let d = W[at(m1, j)];
        if (d < 0) {
          if (d > -2) continue;
          d = -d - 2;
        }
        if (d > max) { max = d; colIn = j; }
      }
      if (max <= TOLER) break;
      if (W[at(m1, colIn)] <= 0) {
        negateColumn(colIn);
        W[at(m1, colIn)] -= 2;
        W[at(m2, colIn)] -= 2;
      }
      if (!ratioAndPivot(false)) { pivotsAll += pivots; return false; }
      if (++pivots > budget) {
        throw new RobustRegError('NUMERICAL', `rank walk (Barrodale–Roberts): the simplex did not end after ${budget} pivots`, { pivots });
      }
    }
    pivotsAll += pivots;
    if (kr === 1) {
      for (let j = 1; j <= n; j++) {
        const d = Math.abs(W[at(m1, j)]);
        if (d <= TOLER || 2 - d <= TOLER) {
          flag = 1;
          W[at(m2, nn + 1)] = 0; // as rqbr.f (a cell no decision reads)
          break;
        }
      }
    }
    return true;
  };

  /** 'label 80': the dual (rank scores) of the optimum; in the full fit also the coefficients. */
  const readOptimum = () => {
    if (!lci2) {
      for (let i = 1; i < kl; i++) {
        const k = Math.abs(W[at(i, n4)]);
        x[k] = W[at(i, n1)] * sgn(W[at(i, n4)]);
      }
    }
    for (let i = 1; i <= n; i++) {
      const lab = W[at(m4, i)];
      const kd = Math.abs(lab) - n;
      if (!(kd >= 1 && kd <= m)) {
        throw new RobustRegError('RANK_DEFICIENT', 'rank walk (Barrodale–Roberts): a coefficient column could not be pivoted in (the design does not have full column rank)', {});
      }
      let v = 1 + W[at(m1, i)] / 2;
      if (lab < 0) v = 1 - v;
      dsol[kd] = v;
    }
    for (let i = kl; i <= m; i++) {
      const lab = W[at(i, n4)];
      const kd = Math.abs(lab) - n;
      if (lab < 0) dsol[kd] = 0;
      if (lab > 0) dsol[kd] = 1;
    }
  };

  // The full fit.
  setup();
  if (!solve()) return { coef: x.slice(1), flag: 2, pivots: pivotsAll };
  readOptimum();
  const coef = x.slice(1);
  if (!inp.walk) return { coef, flag, pivots: pivotsAll };

  // The walk: for each coefficient, up from x_j then down, one restricted fit from scratch at
  // x_j ± toler, then breakpoint to breakpoint with one pass-through and a few pivots each.
  const { qn, cutoff } = inp.walk;
  const ci = new Float64Array(4 * nn);
  const tnmat = new Float64Array(4 * nn);
  const sol1 = new Float64Array(nn + 1);
  const sol2 = new Float64Array(nn + 1);
  const gamma = new Float64Array(nn);
  const mislabelled = new Int32Array(nn);
  const zo = new Int32Array(nn);
  lci2 = true;
  n = nn - 1; n1 = n + 1; n2 = n + 2; n3 = n + 3; n4 = n + 4;
  for (idxcf = 1; idxcf <= nn; idxcf++) {
    const c = 4 * (idxcf - 1);
    // column offsets into A: x_j, and the other columns in order (rqbr.f's column skip)
    const xo = (idxcf - 1) * m;
    for (let j = 1, l = 1; j <= n; j++, l++) {
      if (j === idxcf) l++;
      zo[j - 1] = (l - 1) * m;
    }
    const scale = Math.sqrt(qn[idxcf - 1] * t * (1 - t));
    for (const lup of [true, false]) {
      let told: number;
      if (lup) { tnew = x[idxcf] + TOLER; ci[c + 2] = x[idxcf]; tnmat[c + 2] = 0; }
      else { tnew = x[idxcf] - TOLER; ci[c + 1] = x[idxcf]; tnmat[c + 1] = 0; }
      told = tnew;
      setup();
      for (;;) {
        if (!solve()) return { coef, flag: 2, ci, tnmat, pivots: pivotsAll };
        readOptimum();
        let a1 = 0;
        for (let i = 1; i <= m; i++) a1 = a1 + a(i, idxcf) * (dsol[i] + t - 1);
        const tn = a1 / scale;
        // The vertex's residuals against the labels (a check only; the walk does not read them).
        for (let i = 1; i < kl; i++) gamma[Math.abs(W[at(i, n4)]) - 1] = W[at(i, n1)] * sgn(W[at(i, n4)]);
        let wrong = 0;
        for (let i = kl; i <= m; i++) {
          const k = Math.abs(W[at(i, n4)]) - n;
          const bx = tnew * A[k - 1 + xo];
          let r = b[k - 1] - bx;
          let mag = Math.abs(b[k - 1]) + Math.abs(bx);
          for (let j = 0; j < n; j++) {
            const zg = A[k - 1 + zo[j]] * gamma[j];
            r -= zg;
            mag += Math.abs(zg);
          }
          if (sgn(W[at(i, n4)]) * r < -8 * Number.EPSILON * mag) wrong++;
        }
        if (wrong > 0) mislabelled[idxcf - 1]++;
        if (inp.trace) inp.trace({ coefficient: idxcf - 1, direction: lup ? 1 : -1, b: tnew, T: tn, gamma: gamma.slice(), mislabelled: wrong });
        if (!(Math.abs(tn) < cutoff)) {
          if (lup) { ci[c + 3] = tnew - TOLER; tnmat[c + 3] = tn; } else { ci[c] = tnew + TOLER; tnmat[c] = tn; }
          break;
        }
        // The next breakpoint: the nearest b beyond tnew at which a nonbasic residual reaches zero.
        let smax = lup ? BIG : -BIG;
        for (let i = 1; i < kl; i++) {
          const k = Math.abs(W[at(i, n4)]);
          const sg = sgn(W[at(i, n4)]);
          sol1[k] = W[at(i, n2)] * sg;
          sol2[k] = (W[at(i, n3)] * sg) / tnew;
        }
        for (let i = kl; i <= m; i++) {
          let s1 = 0, s2 = 0;
          const k = Math.abs(W[at(i, n4)]) - n;
          for (let j = 1; j <= n; j++) {
            const akl = A[k - 1 + zo[j - 1]];
            s1 = s1 + akl * sol1[j];
            s2 = s2 + akl * sol2[j];
          }
          const tnt = (b[k - 1] - s1) / (A[k - 1 + xo] - s2);
          if (lup) {
            if (tnt > tnew && tnt < smax) { smax = tnt; out = i; }
          } else if (tnt < tnew && tnt > smax) { smax = tnt; out = i; }
        }
        told = tnew;
        if (lup) {
          tnew = smax + TOLER;
          ci[c + 2] = told - TOLER;
          tnmat[c + 2] = tn;
          if (!(tnew < BIG - TOLER)) { ci[c + 2] = BIG; ci[c + 3] = BIG; tnmat[c + 2] = tn; tnmat[c + 3] = tn; break; }
        } else {
          tnew = smax - TOLER;
          ci[c + 1] = told + TOLER;
          tnmat[c + 1] = tn;
          if (!(tnew > -BIG + TOLER)) { ci[c + 1] = -BIG; ci[c] = -BIG; tnmat[c + 1] = tn; tnmat[c] = tn; break; }
        }
        // Move the right-hand side to b = tnew and pass the crossing row through; continue in stage 2.
        for (let i = 1; i <= m; i++) {
          W[at(i, n3)] = (W[at(i, n3)] / told) * tnew;
          W[at(i, n1)] = W[at(i, n2)] - W[at(i, n3)];
        }
        flipRow(out);
        init = true;
      }
    }
  }
  return { coef, flag, ci, tnmat, pivots: pivotsAll, mislabelled };
}
