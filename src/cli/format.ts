// Plain-text formatting for terminal output: numbers, aligned tables. ASCII only, so output reads
// the same in every terminal, log file and CI console.

/** R-like number: `digits` significant digits, fixed notation for moderate magnitudes. */
export function fmtNum(x: number, digits = 7): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e15) {
    // toPrecision gives the significant digits; strip trailing zeros of the fraction.
    let s = x.toPrecision(digits);
    if (s.includes('e')) s = Number(s).toString();
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
    return s;
  }
  return x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
}

/** Fixed decimals, falling back to fmtNum when the number is too large or too small for them. */
export function fmtFixed(x: number, decimals = 4): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  if (Math.abs(x) >= 1e9) return fmtNum(x, decimals + 1);
  // Values that round to zero print as 0.0000, never -0.0000.
  return x.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
}

/** Short form for small quantities such as gaps and condition numbers: 3 significant digits. */
export function fmtSci(x: number): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return fmtNum(x, 4);
  return x.toExponential(2);
}

export function fmtPercent(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const p = 100 * x;
  return p >= 99.5 ? `${p.toFixed(0)}%` : `${p.toFixed(p >= 9.95 ? 0 : 1)}%`;
}

export function fmtMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Align a table: the first column left-aligned, the others right-aligned; columns separated by two
 * spaces. Returns the lines (no trailing newline).
 */
export function table(rows: string[][], leftCols = 1): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, j) => (j < leftCols ? c.padEnd(widths[j]) : c.padStart(widths[j])))
      .join('  ')
      .trimEnd(),
  );
}

/** JSON with non-finite numbers as null and typed arrays as plain arrays. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}

/** Levenshtein distance (for "did you mean" hints on short words). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function suggest(word: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const c of choices) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}
