// Deterministic data: a small trend for the interactive plot and big synthetic sets with outliers.

/** Mulberry32: a tiny seeded PRNG (uniform in [0, 1)). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box–Muller, both halves used). */
export function normal(rand) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

export const DOMAIN = { x0: 0, x1: 10, y0: 0, y1: 10 };
export const SMALL_TRUTH = { intercept: 1.4, slope: 0.6 };

/** 16 points with a clear linear trend (y = 1.4 + 0.6 x + noise). */
export function initialPoints() {
  const rand = rng(7);
  const z = normal(rand);
  const pts = [];
  const n = 16;
  for (let i = 0; i < n; i++) {
    const x = 0.7 + (8.6 * i) / (n - 1) + (rand() - 0.5) * 0.4;
    const y = SMALL_TRUTH.intercept + SMALL_TRUTH.slope * x + 0.45 * z();
    pts.push({ x: round2(x), y: round2(y) });
  }
  return pts;
}

/**
 * The leverage scenario: 16 points on the trend over the left half (x in [0.6, 5]) and 4 bad points
 * far out in x (x ≈ 9.2–9.9) far below the trend. They tilt L2, L1 and Huber to a negative slope;
 * MM and LTS keep the trend (slope ≈ 0.64) and flag the four (measured with robustreg's fit()).
 */
export function leveragePoints() {
  const rand = rng(11);
  const z = normal(rand);
  const pts = [];
  const n = 16;
  for (let i = 0; i < n; i++) {
    const x = 0.6 + (4.4 * i) / (n - 1) + (rand() - 0.5) * 0.3;
    pts.push({ x: round2(x), y: round2(SMALL_TRUTH.intercept + SMALL_TRUTH.slope * x + 0.35 * z()) });
  }
  for (const [x, y] of [[9.2, 0.9], [9.45, 0.6], [9.7, 0.75], [9.9, 0.45]]) pts.push({ x, y });
  return pts;
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

export const BIG_TRUTH = { intercept: 2, slope: 0.5 };

/**
 * n rows of y = 2 + 0.5 x + N(0, 0.8²) with x ~ U(0, 10); a fraction `outlierFrac` of the rows are
 * replaced by gross errors: readings stuck low at the right end (x in [6, 10], y in [-14, -6]), the
 * kind of corruption that tilts a least-squares line.
 */
export function bigData(n, outlierFrac, seed = 12345) {
  const rand = rng(seed);
  const z = normal(rand);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let outliers = 0;
  for (let i = 0; i < n; i++) {
    if (rand() < outlierFrac) {
      x[i] = 6 + 4 * rand();
      y[i] = -14 + 8 * rand();
      outliers++;
    } else {
      x[i] = 10 * rand();
      y[i] = BIG_TRUTH.intercept + BIG_TRUTH.slope * x[i] + 0.8 * z();
    }
  }
  return { x, y, n, outliers };
}
