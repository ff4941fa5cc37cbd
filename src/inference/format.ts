// formatSummary: an R-like text table of a Summary (used by the CLI). The table itself is ASCII;
// method names and warnings keep their typographic characters (en dash, ×, −, ±), UTF-8 output.
import { RobustRegError, describe } from '../errors.js';
import { checkOptionsObject } from '../data/options.js';
import type { Summary } from './summary.js';

/**
 * `digits` significant digits; fixed notation for moderate magnitudes, else exponential. `strip`
 * drops trailing zeros of the fraction (headers, p-values); table cells keep them, so a column's
 * entries show the same number of significant digits.
 */
function sig(x: number, digits: number, strip = true): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 10 ** digits) {
    let s = x.toPrecision(digits);
    if (strip && s.includes('.')) s = s.replace(/\.?0+$/, '');
    return s;
  }
  // R style: mantissa without trailing zeros, exponent of at least two digits (e+06, e-10).
  return x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
}

/** R's format.pval with 4 significant digits: '<2e-16' below machine epsilon. */
function pval(p: number): string {
  if (Number.isNaN(p)) return 'NA';
  if (p < 2.220446049250313e-16) return '<2e-16';
  return sig(p, 4);
}

function stars(p: number): string {
  if (!(p >= 0)) return '';
  if (p < 0.001) return '***';
  if (p < 0.01) return '**';
  if (p < 0.05) return '*';
  if (p < 0.1) return '.';
  return '';
}

function pct(x: number): string {
  const s = String(Math.round(x * 1e6) / 1e4);
  return `${s} %`;
}

const TITLES: Record<string, string> = {
  l2: 'Least squares',
  l1: 'Least absolute deviations (L1)',
  quantile: 'Quantile regression',
  huber: 'Huber M-estimation',
};

const METHODS: Record<string, string> = {
  classical: 'classical (iid errors)',
  HC0: 'HC0 (White heteroskedasticity-consistent)',
  HC1: 'HC1 (HC0 × n/(n − p))',
  HC2: 'HC2 (leverage-adjusted)',
  HC3: 'HC3 (jackknife-like, MacKinnon & White)',
  rank: 'none; rank-inversion intervals (Koenker 1994)',
  nid: 'nid (Hendricks–Koenker local sparsity)',
  ker: 'ker (Powell kernel sandwich)',
  boot: 'boot (xy-pairs bootstrap)',
  H1: 'H1 (Huber sandwich, statsmodels RLM default)',
  H2: 'H2 (Huber)',
  H3: 'H3 (Huber)',
};

/** R-like text rendering of a summary: header, coefficient table, significance codes, footer. */
export function formatSummary(s: Summary, options: { digits?: number } = {}): string {
  const o = checkOptionsObject(options, ['digits'], 'formatSummary');
  const digits = o.digits === undefined ? 5 : (o.digits as number);
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new RobustRegError('INVALID_INPUT', `formatSummary: option digits must be an integer in [1, 17], received ${describe(digits)}`, { argument: 'digits', value: digits });
  }
  checkSummary(s);
  const out: string[] = [];
  const title = TITLES[s.loss] ?? s.loss;
  const tauPart = s.loss === 'quantile' && s.tau !== undefined ? ` (tau = ${s.tau})` : '';
  out.push(`${title}${tauPart}`);
  let how = `Standard errors: ${METHODS[s.method] ?? s.method}`;
  if (s.bandwidth) {
    how += `; bandwidth ${s.bandwidth.rule === 'hall-sheather' ? 'Hall–Sheather' : 'Bofinger'} h = ${sig(s.bandwidth.h, 4)}`;
    if (s.bandwidth.kernel !== undefined) how += `, kernel ${sig(s.bandwidth.kernel, 4)}`;
  }
  if (s.bootstrap) how += `; B = ${s.bootstrap.B}, seed = ${s.bootstrap.seed}, ${s.bootstrap.ci} intervals`;
  if (s.rank) {
    how += s.rank.iid ? ', iid errors' : `, density-weighted (iid: false, h = ${sig(s.rank.h ?? NaN, 4)})`;
    how += `; critical value ${sig(s.rank.critical, 5)}`;
  }
  out.push(how);
  out.push(`n = ${s.n}, coefficients = ${s.p}, residual df = ${s.df}, objective = ${sig(s.objective, 7)}`);
  out.push('');
  const statName = s.distribution === 'normal' ? 'z value' : 't value';
  const pName = s.distribution === 'normal' ? 'Pr(>|z|)' : 'Pr(>|t|)';
  const a = (1 - s.level) / 2;
  // Rank inversion gives intervals only (quantreg prints coefficients, lower bd, upper bd).
  const rankTable = s.method === 'rank';
  const header = rankTable ? ['', 'Estimate', pct(a), pct(1 - a)] : ['', 'Estimate', 'Std. Error', statName, pName, '', pct(a), pct(1 - a)];
  const rows: string[][] = [header];
  for (const c of s.coefficients) {
    rows.push(rankTable ? [c.name, sig(c.estimate, digits, false), sig(c.ciLower, digits, false), sig(c.ciUpper, digits, false)] : [
      c.name, sig(c.estimate, digits, false), sig(c.stdError, digits, false),
      Number.isFinite(c.statistic) ? c.statistic.toFixed(3) : sig(c.statistic, 3),
      pval(c.pValue), stars(c.pValue), sig(c.ciLower, digits, false), sig(c.ciUpper, digits, false),
    ]);
  }
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, j) => (widths[j] = Math.max(widths[j] ?? 0, cell.length)));
  for (const r of rows) {
    out.push(r.map((cell, j) => (j === 0 || (j === 5 && !rankTable) ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd());
  }
  if (!rankTable) {
    out.push('---');
    out.push("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1");
  }
  if (s.loss === 'l2' && s.sigma !== undefined) {
    out.push('');
    out.push(`Residual standard error: ${sig(s.sigma, 4)} on ${s.df} degrees of freedom`);
    out.push(`Multiple R-squared:  ${sig(s.rSquared ?? NaN, 4)},  Adjusted R-squared:  ${sig(s.adjRSquared ?? NaN, 4)}`);
    if (s.fStatistic) {
      const f = s.fStatistic;
      const kind = s.method === 'classical' ? 'F-statistic' : `Wald F-statistic (${s.method})`;
      out.push(`${kind}: ${sig(f.value, 4)} on ${f.df1} and ${f.df2} DF,  p-value: ${pval(f.pValue)}`);
    }
  }
  if (s.loss === 'huber' && s.scale !== undefined) {
    out.push('');
    out.push(`Scale: ${sig(s.scale, 5)} (delta = ${s.delta}); statistics are referred to the normal distribution`);
  }
  if (s.warnings.length) {
    out.push('');
    out.push('Warnings:');
    for (const w of s.warnings) out.push(`  - ${w}`);
  }
  return out.join('\n');
}

function badSummary(field: string, what: string, value: unknown): never {
  throw new RobustRegError('INVALID_INPUT', `formatSummary: ${field} must be ${what}, received ${describe(value)}`, { argument: field, value });
}

/** The fields formatSummary reads, checked so that a wrong object is a typed error, not a TypeError. */
function checkSummary(s: unknown): asserts s is Summary {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) badSummary('s', 'the object returned by summary()', s);
  const r = s as Record<string, unknown>;
  if (typeof r.loss !== 'string') badSummary('s.loss', 'a string', r.loss);
  if (typeof r.method !== 'string') badSummary('s.method', 'a string', r.method);
  if (!Array.isArray(r.coefficients)) badSummary('s.coefficients', 'an array of coefficient rows (pass the object returned by summary())', r.coefficients);
  (r.coefficients as unknown[]).forEach((c, j) => {
    const row = c as Record<string, unknown> | null;
    if (typeof row !== 'object' || row === null || typeof row.name !== 'string'
      || !['estimate', 'stdError', 'statistic', 'pValue', 'ciLower', 'ciUpper'].every((k) => typeof row[k] === 'number')) {
      badSummary(`s.coefficients[${j}]`, 'a coefficient row { name, estimate, stdError, statistic, pValue, ciLower, ciUpper }', c);
    }
  });
  for (const k of ['n', 'p', 'df', 'objective']) if (typeof r[k] !== 'number') badSummary(`s.${k}`, 'a number', r[k]);
  if (typeof r.level !== 'number' || !(r.level > 0 && r.level < 1)) badSummary('s.level', 'a number strictly between 0 and 1', r.level);
  if (r.distribution !== 't' && r.distribution !== 'normal') badSummary('s.distribution', "'t' or 'normal'", r.distribution);
  if (!Array.isArray(r.warnings) || !r.warnings.every((w) => typeof w === 'string')) badSummary('s.warnings', 'an array of strings', r.warnings);
}
