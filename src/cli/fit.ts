// `robustreg fit data.csv --y col ...`: one fit on a CSV file, printed like R's summary() or as JSON.
import {
  fit as fitModel, formatSummary, normalQuantile, RobustRegError, summary as inference,
  type FitOptions, type FitResult, type Summary, type SummaryOptions,
} from '../index.js';
import { choiceFlag, intFlag, listFlag, numberFlag, parse } from './args.js';
import { open, stat } from 'node:fs/promises';
import { loadColumnarFile, loadDesign, type FrameDesign, type FrameRequest } from './data.js';
import { EXIT_OK, InputError, UsageError, withColumnNames } from './errors.js';
import { fmtMs, fmtNum, fmtSci, table, toJson } from './format.js';
import { writeOutput, type CliIo } from './io.js';
import { ProgressLine } from './progress.js';
import { PALETTE, coefficientPanelsSvg, scatterSvg } from './svg.js';

/** lts's reweighting cutoff on |r / s|: qnorm(0.9875) (LTS_CUTOFF in src/fit/lts.ts; the CLI sees only the public API). */
const LTS_CUTOFF = normalQuantile(0.9875);

export const FIT_HELP = `Usage: robustreg fit <file.csv | file.parquet | file.arrow | -> --y <column> [options]

Fit one linear model to a CSV file (- reads standard input), a Parquet file (.parquet, read with
the hyparquet package) or an Arrow IPC / Feather v2 file (.arrow, .feather, with apache-arrow)
and print a summary.
The file is read as a stream: numeric columns as numbers, TRUE/FALSE columns as logicals (one
0/1 column named colTRUE), text columns as factors with treatment contrasts (the first level in
sorted order is the reference; one column per other level, named colLevel, as R names them).
An unnamed first column (R's write.csv row names) labels the rows and is not a predictor.

Columns:
  --y <col>            response column, by name or 1-based position (required)
  --x <a,b,c>          predictor columns (default: every column except --y, --weights and the
                       row names); may be repeated; a value that is exactly one column name is
                       that column, so --x "a,b" selects a column named a,b if there is one
  --weights <col>      column of non-negative observation weights
  --factor <col>       treat a numeric column as a factor (levels in numeric order); repeatable
  --header <mode>      auto (default: the first row is a header if any field is not a number),
                       yes or no (no: columns are named V1, V2, ...)
  --na <rule>          rows with a missing value (empty, NA, NaN) in a used column: omit
                       (default: dropped, with a note giving their count and first lines) or
                       fail (an error listing them); --drop-missing is --na omit
  --f32                store X as float32 (half the memory; the fit computes in float64)

Model:
  --loss <loss>        l1 (default), l2, quantile, huber, smooth-l1, mm or lts (mm: MM-estimator
                       as R's robustbase lmrob(); mm and lts resist outlying x as well as
                       outlying y and list the flagged outliers)
  --tau <t>            quantile level in (0, 1), default 0.5 (implies --loss quantile)
  --delta <d>          Huber threshold (implies --loss huber)
  --scale <s>          Huber: fix the residual scale instead of estimating it (implies --loss huber)
  --epsilon <e>        smooth-L1 width (implies --loss smooth-l1)
  --alpha <a>          LTS coverage h/n in [0.5, 1), default 0.5 (implies --loss lts)
  --subsamples <k>     LTS random elemental starts, default 500 (implies --loss lts)
  --no-intercept       fit through the origin
  --backend <b>        auto (default: WebAssembly when available), wasm or js
  --max-iter <n>       iteration cap          --tol <t>   convergence tolerance

Inference (standard errors, t/z statistics, p-values, confidence intervals):
  --se <method>        l2: classical (default), hc0, hc1, hc2 or hc3 (heteroskedasticity-robust);
                       l1/quantile: rank (default below 1001 rows: rank-inversion intervals,
                       as quantreg), nid (default from 1001 rows), ker or boot;
                       huber: h1 (default), h2 or h3;
                       mm: avar1 (default, robustbase's .vcov.avar1);
                       lts: classical (on the reweighted fit, as robustbase summary.lts);
                       none skips them (smooth-l1 has none)
  --level <l>          confidence level of the intervals, in (0, 1), default 0.95
  --iid <true|false>   --se rank: true (default) assumes iid errors; false weights the rank
                       test by local density estimates (quantreg's iid = FALSE); implies --se rank
  --reps <B>           --se boot: bootstrap replicates (default 200)
  --seed <s>           --se boot: seed of the resampling (default 1); --loss lts: seed of the
                       random starts (default 20061)

Output:
  --json               print one JSON object (for scripts) instead of the summary
  --plot <out.svg>     write an SVG plot: y against x with the fitted line when there is one
                       predictor, else observed against fitted values; with --taus, each
                       coefficient against tau with its confidence band and the least-squares
                       estimate and interval as a reference (quantreg's plot.summary.rqs)
  --taus <t1,t2,...>   quantile regression at several tau (implies --loss quantile): one table
                       per tau (rank-inversion intervals below 1001 rows, else nid)
  -h, --help           show this help

Exit codes: 0 ok, 1 bad input (unreadable or malformed CSV, unknown column, text response,
missing values with --na fail, invalid option value), 2 usage error.

Examples:
  robustreg fit data/stackloss.csv --y stack.loss
  robustreg fit data/stackloss.csv --y stack.loss --loss l2 --se hc3 --level 0.9
  robustreg fit data/starsCYG.csv --y log.light --x log.Te --loss quantile --tau 0.9 --plot q90.svg
  robustreg fit data/stackloss.csv --y stack.loss --taus 0.1,0.25,0.5,0.75,0.9 --plot taus.svg
  robustreg fit data/starsCYG.csv --y log.light --loss lts
  robustreg fit iris.csv --y Sepal.Length --loss l2          (Species becomes 2 dummy columns)
  robustreg fit education.csv --y Y --factor Region --se hc3
  cat data.csv | robustreg fit - --y 1 --loss l2 --json
`;

const FIT_FLAGS = {
  y: { type: 'string' },
  x: { type: 'string', multiple: true },
  weights: { type: 'string' },
  factor: { type: 'string', multiple: true },
  header: { type: 'string' },
  na: { type: 'string' },
  'drop-missing': { type: 'boolean' },
  f32: { type: 'boolean' },
  loss: { type: 'string' },
  tau: { type: 'string' },
  taus: { type: 'string' },
  delta: { type: 'string' },
  epsilon: { type: 'string' },
  alpha: { type: 'string' },
  subsamples: { type: 'string' },
  scale: { type: 'string' },
  'no-intercept': { type: 'boolean' },
  backend: { type: 'string' },
  'max-iter': { type: 'string' },
  tol: { type: 'string' },
  se: { type: 'string' },
  level: { type: 'string' },
  iid: { type: 'string' },
  reps: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  plot: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const LOSSES = ['l1', 'l2', 'quantile', 'huber', 'smooth-l1', 'mm', 'lts'] as const;
export type LossName = (typeof LOSSES)[number];

export const LOSS_TITLE: Record<LossName, string> = {
  l1: 'least absolute deviations',
  l2: 'least squares',
  quantile: 'quantile regression',
  huber: 'Huber M-estimator',
  'smooth-l1': 'smooth approximation of L1',
  mm: 'MM-estimator, bisquare, 50% breakdown, 95% efficiency',
  lts: 'least trimmed squares, FAST-LTS + reweighting',
};

const OBJECTIVE_UNITS: Record<LossName, string> = {
  l1: 'sum w|r|',
  l2: 'sum w r^2',
  quantile: 'sum w rho_tau(r)',
  huber: 'Huber loss',
  'smooth-l1': 'smooth-L1 loss',
  mm: 'sum rho(r/s), bisquare',
  lts: 'sum of the h smallest r^2 of the raw fit',
};

/** --se values per loss (lower case on the command line; the library's spelling on the right). */
const SE_CHOICES: Record<LossName, Record<string, string>> = {
  l2: { classical: 'classical', hc0: 'HC0', hc1: 'HC1', hc2: 'HC2', hc3: 'HC3', none: 'none' },
  l1: { rank: 'rank', nid: 'nid', ker: 'ker', boot: 'boot', none: 'none' },
  quantile: { rank: 'rank', nid: 'nid', ker: 'ker', boot: 'boot', none: 'none' },
  huber: { h1: 'H1', h2: 'H2', h3: 'H3', none: 'none' },
  'smooth-l1': { none: 'none' },
  mm: { avar1: '.vcov.avar1', none: 'none' },
  lts: { classical: 'classical', none: 'none' },
};

/** The inference request of the command line, validated for syntax (ranges are the library's). */
interface InferenceRequest {
  /** The library's method name, 'none', or 'default' (l1/quantile: the library picks rank or nid by n). */
  method: string;
  level?: number;
  B?: number;
  seed?: number;
  /** --iid: rank intervals under iid errors (true) or with local density weights (false). */
  iid?: boolean;
}

function inferenceRequest(v: Record<string, unknown>, loss: LossName): InferenceRequest {
  const raw = v.se as string | undefined;
  const choices = SE_CHOICES[loss];
  // l1/quantile: no --se leaves the choice to summary() (rank below 1001 rows, nid from there, as quantreg).
  let method = loss === 'l1' || loss === 'quantile' ? 'default' : Object.values(choices)[0];
  if (raw !== undefined) {
    const key = raw.toLowerCase();
    if (!(key in choices)) {
      if (loss === 'smooth-l1') throw new UsageError(`--se: smooth-l1 fits have no standard errors (only --se none is accepted); received ${JSON.stringify(raw)}`, 'fit');
      throw new UsageError(`--se must be one of ${Object.keys(choices).join(', ')} for --loss ${loss}; received ${JSON.stringify(raw)}`, 'fit');
    }
    method = choices[key];
  }
  let iid: boolean | undefined;
  if (v.iid !== undefined) {
    const t = String(v.iid).toLowerCase();
    if (t !== 'true' && t !== 'false') throw new UsageError(`--iid must be true or false; received ${JSON.stringify(v.iid)}`, 'fit');
    iid = t === 'true';
    if (loss !== 'l1' && loss !== 'quantile') throw new UsageError(`--iid applies to --se rank (l1 and quantile fits) only, not to --loss ${loss}`, 'fit');
    // --iid asks for rank intervals: it implies --se rank, and contradicts any other method.
    if (method === 'default') method = 'rank';
    if (method !== 'rank') throw new UsageError(`--iid applies to --se rank only, not to --se ${raw}`, 'fit');
  }
  const level = numberFlag('fit', 'level', v.level as string | undefined);
  const B = intFlag('fit', 'reps', v.reps as string | undefined);
  const seed = intFlag('fit', 'seed', v.seed as string | undefined);
  if (method !== 'boot') {
    if (B !== undefined) throw new UsageError('--reps applies to --se boot only', 'fit');
    if (seed !== undefined && loss !== 'lts') throw new UsageError('--seed applies to --se boot only (or to --loss lts, as the seed of its random starts)', 'fit');
  }
  if (method === 'none' && level !== undefined) {
    throw new UsageError(loss === 'smooth-l1' ? '--level has no effect: smooth-l1 fits have no standard errors' : '--level has no effect with --se none', 'fit');
  }
  return { method, level, B, seed, ...(iid !== undefined ? { iid } : {}) };
}

/** What the summary section shows: the library's Summary, or why there is none. */
interface InferenceOutcome {
  summary?: Summary;
  /** Why no standard errors are shown (method none, smooth-l1, or a failed computation). */
  note?: string;
  ms: number;
}

/**
 * summary() from src/inference for the fitted model, with the fit's X, y, weights and intercept.
 * An option value the library rejects (level, reps, seed) is an input error (exit 1, like --tau);
 * any other failure leaves the estimates printed and says why the standard errors are missing.
 */
function runInference(req: InferenceRequest, d: FrameDesign, loss: LossName, intercept: boolean, r: FitResult, now: () => number): InferenceOutcome {
  if (req.method === 'none') {
    return { note: loss === 'smooth-l1' ? 'none for smooth-l1 fits' : 'not computed (--se none)', ms: 0 };
  }
  const o: SummaryOptions = { names: d.xNames };
  if (!intercept) o.intercept = false;

  if (req.level !== undefined) o.level = req.level;
  if (loss === 'l2' || loss === 'huber' || loss === 'mm') o.vcov = req.method as SummaryOptions['vcov'];
  else if (loss !== 'lts' && req.method !== 'default') o.se = req.method as SummaryOptions['se'];
  if (req.B !== undefined) o.B = req.B;
  if (req.iid !== undefined) o.iid = req.iid;
  if (req.seed !== undefined && loss !== 'lts' && loss !== 'mm') o.seed = req.seed;
  const t0 = now();
  try {
    const s = inference(r, d.ds, o);
    return { summary: s, ms: now() - t0 };
  } catch (err) {
    const e = withColumnNames(err, d.xNames);
    const arg = e instanceof RobustRegError ? e.details.argument : undefined;
    if (arg === 'level' || arg === 'B' || arg === 'seed') throw e;
    if (e instanceof RobustRegError) return { note: `not available: [${e.code}] ${e.message}`, ms: now() - t0 };
    throw e;
  }
}

/** The inference method in words (ASCII), for the header of the coefficient table. */
function methodText(s: Summary): string {
  const names: Record<string, string> = {
    classical: 'classical, iid errors',
    HC0: 'HC0, White', HC1: 'HC1, White x n/(n-p)', HC2: 'HC2, leverage-adjusted', HC3: 'HC3, MacKinnon-White',
    rank: 'none: rank-inversion intervals', nid: 'nid, Hendricks-Koenker', ker: 'ker, Powell kernel', boot: 'xy-pairs bootstrap',
    H1: 'H1, Huber sandwich', H2: 'H2, Huber sandwich', H3: 'H3, Huber sandwich',
    '.vcov.avar1': '.vcov.avar1, robustbase lmrob',
  };
  let t = s.loss === 'lts' ? 'classical, on the reweighted least-squares fit' : names[s.method] ?? s.method;
  if (s.bandwidth) t += `, ${s.bandwidth.rule === 'hall-sheather' ? 'Hall-Sheather' : 'Bofinger'} h = ${fmtNum(s.bandwidth.h, 4)}`;
  if (s.bootstrap) t += `, B = ${s.bootstrap.B}, seed = ${s.bootstrap.seed}${s.bootstrap.ci === 'percentile' ? ', percentile intervals' : ''}`;
  if (s.rank) {
    return `${t}, ${s.rank.iid ? 'iid' : 'density-weighted'} rank test; critical value ${fmtNum(s.rank.critical, 5)} (t on ${s.df} df)`;
  }
  const test = s.distribution === 'normal' ? 'z tests' : `t tests on ${s.df} df`;
  return `SE: ${t}; ${test}`;
}

/**
 * The coefficient table and what follows it in formatSummary() (significance codes; for l2 the
 * residual standard error, R-squared and F test; warnings), without formatSummary's own header
 * (the command prints the model, loss and data above it) and without its Huber scale line (printed
 * with the other fit facts below).
 */
function summaryLines(s: Summary): string[] {
  const lines = formatSummary(s, { digits: 6 }).split('\n');
  const start = lines.indexOf('') + 1;
  const out: string[] = [];
  let inTable = true;
  for (const l of lines.slice(start)) {
    if (l.startsWith('Scale: ')) continue;
    if (l === '') inTable = false; // (a rank table has no significance codes: a blank line ends it)
    out.push(inTable ? `  ${l}` : l);
    if (l.startsWith('Signif. codes')) inTable = false;
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

export async function fitCommand(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse('fit', args, FIT_FLAGS);
  if (v.help) {
    io.stdout.write(FIT_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('missing the data file (a CSV path, or - for standard input)', 'fit');
  if (positionals.length > 1) throw new UsageError(`expected one data file, received ${positionals.length}: ${positionals.join(' ')}`, 'fit');
  const file = positionals[0];
  if (v.y === undefined) throw new UsageError('missing --y <column> (the response)', 'fit');
  const tau = numberFlag('fit', 'tau', v.tau as string | undefined);
  const taus = v.taus === undefined ? undefined : (v.taus as string).split(',').map((t) => numberFlag('fit', 'taus', t.trim()) as number);
  if (taus !== undefined && tau !== undefined) throw new UsageError('--tau and --taus exclude each other (--taus fits every tau it lists)', 'fit');
  if (taus !== undefined && v.loss !== undefined && v.loss !== 'quantile') throw new UsageError(`--taus applies to --loss quantile, not ${v.loss}`, 'fit');
  const delta = numberFlag('fit', 'delta', v.delta as string | undefined);
  const epsilon = numberFlag('fit', 'epsilon', v.epsilon as string | undefined);
  const scale = numberFlag('fit', 'scale', v.scale as string | undefined);
  const maxIter = intFlag('fit', 'max-iter', v['max-iter'] as string | undefined);
  const tol = numberFlag('fit', 'tol', v.tol as string | undefined);
  const backend = choiceFlag('fit', 'backend', v.backend as string | undefined, ['auto', 'wasm', 'js'] as const);
  const header = choiceFlag('fit', 'header', v.header as string | undefined, ['auto', 'yes', 'no'] as const) ?? 'auto';
  listFlag('fit', 'x', v.x as string[] | undefined); // syntax check only: names are resolved against the header
  const alpha = numberFlag('fit', 'alpha', v.alpha as string | undefined);
  const subsamples = intFlag('fit', 'subsamples', v.subsamples as string | undefined);
  const loss = taus !== undefined ? 'quantile' : resolveLoss(v.loss as string | undefined, tau, delta ?? scale, epsilon, alpha ?? subsamples);
  const infReq = inferenceRequest(v, loss);
  const plot = v.plot as string | undefined;
  if (plot === '' || plot === '-') throw new UsageError('--plot needs a file name (the SVG is not written to standard output)', 'fit');
  const na = choiceFlag('fit', 'na', v.na as string | undefined, ['omit', 'fail'] as const) ?? 'omit';
  if (v['drop-missing'] === true && na === 'fail') throw new UsageError('--drop-missing contradicts --na fail', 'fit');
  const intercept = v['no-intercept'] !== true;

  const now = io.now ?? (() => performance.now());
  const req: FrameRequest = {
    y: v.y as string, x: v.x as string[] | undefined, weights: v.weights as string | undefined,
    factors: v.factor as string[] | undefined, header, na, intercept, precision: v.f32 === true ? 'f32' : 'f64',
  };
  if (backend) req.backend = backend;
  const tRead = now();
  const cpu0 = process.cpuUsage();
  const design = await readDesign(file, io, req, now);
  const readMs = now() - tRead;
  const cpu1 = process.cpuUsage(cpu0);
  const readCpuMs = (cpu1.user + cpu1.system) / 1000;
  try {
    return await fitDesign(design, file, v, io, now, { readMs, readCpuMs }, { loss, intercept, backend, maxIter, tol, tau, delta, epsilon, scale, alpha, subsamples, infReq, plot, taus });
  } finally {
    design.ds.dispose();
  }
}

interface FitRequest {
  loss: LossName;
  intercept: boolean;
  backend?: 'auto' | 'wasm' | 'js';
  maxIter?: number;
  tol?: number;
  tau?: number;
  delta?: number;
  epsilon?: number;
  scale?: number;
  /** lts: coverage and number of random starts. */
  alpha?: number;
  subsamples?: number;
  infReq: InferenceRequest;
  plot?: string;
  /** --taus: one quantile fit per tau. */
  taus?: number[];
}

/** Stream the file (or standard input) into a Dataset, with a progress line on a terminal. */
async function readDesign(file: string, io: CliIo, req: FrameRequest, now: () => number): Promise<FrameDesign> {
  let source: AsyncIterable<Uint8Array | string>;
  let total: number | undefined;
  if (file === '-') {
    const s = io.stdin;
    source = typeof s === 'string' ? [s] as unknown as AsyncIterable<string> : s;
  } else {
    try {
      const st = await stat(file);
      if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      total = st.size;
    } catch (e) {
      throw new InputError(`cannot read ${JSON.stringify(file)}: ${fsReason(e)}`);
    }
    source = readChunks(file);
  }
  const ext = /\.(parquet|arrow|feather|ipc)$/i.exec(file)?.[1].toLowerCase();
  if (ext !== undefined && total !== undefined) return loadColumnarFile(file, ext === 'parquet' ? 'parquet' : 'arrow', total, req);
  const bar = new ReadProgress(io, file === '-' ? 'standard input' : file, total, now);
  try {
    return await loadDesign(wrapErrors(source, file), total, req, (b) => bar.update(b));
  } finally {
    bar.done();
  }
}

/** The file in 4 MiB reads into one reused buffer (each chunk is consumed before the next read). */
async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(1 << 22);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** File-system errors while streaming become InputError naming the file. */
async function* wrapErrors(source: AsyncIterable<Uint8Array | string>, file: string): AsyncGenerator<Uint8Array | string> {
  try {
    for await (const c of source) yield c;
  } catch (e) {
    if ((e as { code?: string })?.code) throw new InputError(`cannot read ${JSON.stringify(file)}: ${fsReason(e)}`);
    throw e;
  }
}

function fsReason(e: unknown): string {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return (e as Error)?.message ?? String(e);
  }
}

/** "reading data.csv  45% (47 MB of 104 MB, 120 MB/s)" on a terminal, after 0.5 s, every 0.1 s. */
class ReadProgress {
  private readonly t0: number;
  private last = -Infinity;
  private drawn = false;
  constructor(private readonly io: CliIo, private readonly what: string, private readonly total: number | undefined, private readonly now: () => number) {
    this.t0 = now();
  }
  update(bytes: number): void {
    if (!this.io.isTTY) return;
    const t = this.now();
    if (t - this.t0 < 500 || t - this.last < 100) return;
    this.last = t;
    const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
    const rate = bytes / 1e6 / ((t - this.t0) / 1000);
    const pct = this.total ? `${Math.min(100, (100 * bytes) / this.total).toFixed(0)}% (${mb(bytes)} of ${mb(this.total)}` : `(${mb(bytes)}`;
    this.io.stderr.write(`\rreading ${this.what}  ${pct}, ${rate.toFixed(0)} MB/s)\x1b[K`);
    this.drawn = true;
  }
  done(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** Column-major copies of the stored data (for residuals, standard errors and the plot), made once. */
const arrayCache = new WeakMap<FrameDesign, { X: { data: Float64Array; rows: number; cols: number; layout: 'column-major' }; y: Float64Array; weights?: Float64Array }>();
function arraysOf(d: FrameDesign): { X: { data: Float64Array; rows: number; cols: number; layout: 'column-major' }; y: Float64Array; weights?: Float64Array } {
  let a = arrayCache.get(d);
  if (!a) {
    const t = d.ds.toArrays();
    a = { X: { data: Float64Array.from(t.X.data), rows: t.X.rows, cols: t.X.cols, layout: 'column-major' }, y: t.y };
    if (t.weights) a.weights = t.weights;
    arrayCache.set(d, a);
  }
  return a;
}

async function fitDesign(design: FrameDesign, file: string, v: Record<string, unknown>, io: CliIo, now: () => number, read: { readMs: number; readCpuMs: number }, f: FitRequest): Promise<number> {
  const { readMs } = read;
  const { loss, intercept, backend, maxIter, tol, tau, delta, epsilon, scale, alpha, subsamples, infReq, plot } = f;
  const options: FitOptions = { loss };
  if (!intercept) options.intercept = false;
  if (backend) options.backend = backend;
  if (maxIter !== undefined) options.maxIter = maxIter;
  if (tol !== undefined) options.tol = tol;
  if (tau !== undefined) options.tau = tau;
  if (delta !== undefined) options.delta = delta;
  if (epsilon !== undefined) options.epsilon = epsilon;
  if (scale !== undefined) options.scale = scale;
  if (alpha !== undefined) options.alpha = alpha;
  if (subsamples !== undefined) options.subsamples = subsamples;
  if (loss === 'lts' && infReq.seed !== undefined) options.seed = infReq.seed;

  if (f.taus !== undefined) {
    return fitTaus(file, design, intercept, options, f.taus, infReq, v.json === true, plot, io, now);
  }
  const bar = new ProgressLine(io.stderr, io.isTTY, `fitting ${loss}`, now);
  if (io.isTTY) options.onProgress = (p) => bar.update({ iteration: p.iteration, objective: p.objective, gap: p.gap });
  const t0 = now();
  const c0 = process.cpuUsage();
  let result: FitResult;
  try {
    result = fitModel(design.ds, options);
  } catch (e) {
    throw withColumnNames(e, design.xNames);
  } finally {
    bar.done();
  }
  const ms = now() - t0;

  const c1 = process.cpuUsage(c0);
  const inf = runInference(infReq, design, loss, intercept, result, now);
  const c2 = process.cpuUsage(c0);
  const cpuMs = { read: read.readCpuMs, fit: (c1.user + c1.system) / 1000, se: (c2.user + c2.system - c1.user - c1.system) / 1000 };
  const residuals = residualsOf(design, result);
  if (v.json) {
    io.stdout.write(toJson({ ...fitJson(file, design, loss, intercept, options, result, residuals, ms, inf, readMs), readCpuMs: read.readCpuMs, cpuMs, bytes: design.bytes }) + '\n');
  } else {
    io.stdout.write(fitSummary(file, design, loss, intercept, options, result, residuals, ms, inf, readMs));
  }
  if (plot) {
    await writeOutput(plot, fitPlot(file, design, loss, intercept, options, result), 'plot');
    io.stderr.write(`robustreg: wrote ${plot}\n`);
  }
  return EXIT_OK;
}

function resolveLoss(loss: string | undefined, tau?: number, huberParam?: number, epsilon?: number, ltsParam?: number): LossName {
  const implied: [string, LossName][] = [];
  if (ltsParam !== undefined) implied.push(['--alpha/--subsamples', 'lts']);
  if (tau !== undefined) implied.push(['--tau', 'quantile']);
  if (huberParam !== undefined) implied.push(['--delta/--scale', 'huber']);
  if (epsilon !== undefined) implied.push(['--epsilon', 'smooth-l1']);
  let chosen: LossName;
  if (loss !== undefined) {
    chosen = choiceFlag('fit', 'loss', loss, LOSSES) as LossName;
  } else if (implied.length > 0) {
    chosen = implied[0][1];
  } else {
    chosen = 'l1';
  }
  for (const [flag, l] of implied) {
    if (l !== chosen) throw new UsageError(`${flag} applies to --loss ${l}, not ${chosen}`, 'fit');
  }
  return chosen;
}

/** Residuals y − b0 − X b, a column at a time over the stored data (X as stored: f64 or f32). */
function residualsOf(d: FrameDesign, r: FitResult): Float64Array {
  const n = d.n;
  const ds = d.ds;
  const f = ds.slot.backend.f64();
  const res = f.slice(ds.pY >>> 3, (ds.pY >>> 3) + n);
  for (let i = 0; i < n; i++) res[i] -= r.intercept;
  const X = ds.xView();
  const x0 = ds.pX / X.BYTES_PER_ELEMENT;
  for (let j = 0; j < d.p; j++) {
    if (X instanceof Float64Array) subtractColumn(res, X.subarray(x0 + j * n, x0 + (j + 1) * n), r.coef[j]);
    else subtractColumn32(res, X.subarray(x0 + j * n, x0 + (j + 1) * n), r.coef[j]);
  }
  return res;
}

function subtractColumn(res: Float64Array, col: Float64Array, b: number): void {
  for (let i = 0; i < res.length; i++) res[i] -= col[i] * b;
}

function subtractColumn32(res: Float64Array, col: Float32Array, b: number): void {
  for (let i = 0; i < res.length; i++) res[i] -= col[i] * b;
}

/** Type-7 quantiles (R's default) of a sample, by selection (O(n) each, no full sort). */
export function quantiles(x: Float64Array, probs: number[]): number[] {
  // probabilities in increasing order: each selection works right of the previous one
  const s = Float64Array.from(x);
  const order = probs.map((p, k) => [p, k] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(probs.length);
  let from = 0;
  for (const [p, k] of order) {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const a = select(s, lo, from);
    from = lo;
    if (h === lo) { out[k] = a; continue; }
    // the next order statistic: the smallest value right of position lo after selection
    let b = Infinity;
    for (let i = lo + 1; i < s.length; i++) if (s[i] < b) b = s[i];
    out[k] = a + (h - lo) * (b - a);
  }
  return out;
}

/** The k-th smallest value (0-based) of a, given a[0..from) ≤ a[from..] already; partially reorders a (quickselect, median of 3). */
function select(a: Float64Array, k: number, from = 0): number {
  let l = from, r = a.length - 1;
  while (r > l) {
    const m = (l + r) >>> 1;
    if (a[m] < a[l]) swap(a, m, l);
    if (a[r] < a[l]) swap(a, r, l);
    if (a[r] < a[m]) swap(a, r, m);
    const pivot = a[m];
    let i = l, j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** A column name as R prints it in a formula: in backticks unless it is a syntactic name. */
function rName(name: string): string {
  return /^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$/.test(name) ? name : `\`${name.replace(/[`\\]/g, '\\$&')}\``;
}

function formula(d: FrameDesign, intercept: boolean): string {
  const rhs = d.xColumns.length ? d.xColumns.map(rName).join(' + ') : '1';
  return `${rName(d.yName)} ~ ${rhs}${intercept ? '' : ' - 1'}`;
}

function lossDescription(loss: LossName, o: FitOptions): string {
  let s = `${loss} (${LOSS_TITLE[loss]})`;
  if (loss === 'quantile') s += `, tau = ${o.tau ?? 0.5}`;
  if (loss === 'huber' && o.delta !== undefined) s += `, delta = ${o.delta}`;
  if (loss === 'smooth-l1' && o.epsilon !== undefined) s += `, epsilon = ${o.epsilon}`;
  if (loss === 'lts' && o.alpha !== undefined) s += `, alpha = ${o.alpha}`;
  return s;
}

function fitSummary(file: string, d: FrameDesign, loss: LossName, intercept: boolean, o: FitOptions, r: FitResult, res: Float64Array, ms: number, inf: InferenceOutcome, readMs: number): string {
  const out: string[] = [];
  out.push(`Model:  ${formula(d, intercept)}`);
  out.push(`Loss:   ${lossDescription(loss, o)}`);
  out.push(`Data:   ${file === '-' ? 'standard input' : file}, n = ${d.n}${d.weightsName ? `, weights = ${d.weightsName}` : ''}`);
  if (d.droppedLines.length > 0) {
    const k = d.droppedLines.length;
    out.push(`        dropped ${k} row${k === 1 ? '' : 's'} with missing values (${rowList(d.droppedLines, d.droppedLabels, d.rowKind)})`);
  }
  const terms = d.frame.terms.filter((t) => t.reference !== undefined || t.kind !== 'numeric');
  for (const t of terms) {
    const lv = t.levels!;
    const shownLv = lv.length > 6 ? `${lv.slice(0, 6).join(', ')}, ... (${lv.length} levels)` : lv.join(', ');
    out.push(`        ${t.column}: ${t.kind === 'logical' ? 'logical' : 'factor'} (${shownLv})${t.reference !== undefined ? `, reference ${t.reference}` : ', coded in full (no intercept)'}`);
  }
  out.push('');
  // Residual quantiles; rounding noise (|q| below 1e-12 of the range) prints as 0.
  const q = quantiles(res, [0, 0.25, 0.5, 0.75, 1]);
  const span = Math.max(Math.abs(q[0]), Math.abs(q[4]));
  for (let k = 0; k < q.length; k++) if (Math.abs(q[k]) <= 1e-12 * span) q[k] = 0;
  out.push('Residuals:');
  out.push(...table([['Min', '1Q', 'Median', '3Q', 'Max'], q.map((x) => fmtNum(x, 5))], 0).map((l) => '  ' + l));
  out.push('');
  if (inf.summary) {
    out.push(`Coefficients (${methodText(inf.summary)}):`);
    out.push(...summaryLines(inf.summary));
  } else {
    out.push(`Coefficients (SE: ${inf.note}):`);
    const rows: string[][] = [['', 'Estimate']];
    if (intercept) rows.push(['(Intercept)', fmtNum(r.intercept)]);
    d.xNames.forEach((name, j) => rows.push([name, fmtNum(r.coef[j])]));
    out.push(...table(rows).map((l) => '  ' + l));
  }
  out.push('');
  out.push(`Objective:    ${fmtNum(r.objective)}  (${OBJECTIVE_UNITS[loss]})`);
  if (r.certificate) {
    const c = r.certificate;
    const rel = c.gap / Math.max(Math.abs(c.primal), Number.MIN_VALUE);
    out.push(`Certificate:  primal ${fmtNum(c.primal)}, dual ${fmtNum(c.dual)}, gap ${fmtSci(c.gap)} (relative ${fmtSci(rel)})`);
  }
  if (r.rcond !== undefined) out.push(`Condition:    rcond ${fmtSci(r.rcond)}${r.method ? ` (${r.method})` : ''}`);
  const x = extras(r);
  if (x.scale !== undefined && loss !== 'lts') {
    out.push(`Scale:        s = ${fmtNum(x.scale)}${loss === 'mm' ? ' (S-estimate)' : o.scale === undefined ? ' (estimated)' : ' (fixed)'}${x.delta !== undefined ? `, delta = ${fmtNum(x.delta)}` : ''}`);
  }
  if (x.outliers !== undefined && loss === 'mm') {
    // MM: every flagged row is listed (robustness weight < 0.1/n, robustbase's rule)
    const lines = downweightedRows(x.outliers).map((i) => d.lines[i]);
    out.push(`Outliers:     ${lines.length} of ${d.n} rows have robustness weight < 0.1/n${lines.length ? ` (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})` : ''}`);
    const warn = (r as unknown as { warning?: string }).warning;
    if (warn) out.push(`Warning:      ${warn}`);
  } else if (x.outliers !== undefined && loss === 'lts') {
    const lt = r as unknown as { h: number; raw: { scale: number; objective: number }; exactFit: boolean };
    out.push(`Coverage:     h = ${lt.h} of ${d.n} rows; raw scale ${fmtNum(lt.raw.scale)}, reweighted scale ${fmtNum(x.scale ?? NaN)}`);
    const rows: number[] = [];
    for (let i = 0; i < d.n; i++) if (x.outliers[i]) rows.push(i);
    out.push(`Outliers:     ${rows.length} of ${d.n} rows have |r| > ${fmtNum(LTS_CUTOFF, 5)} s on the reweighted fit${rows.length ? ':' : ''}`);
    for (let k = 0; k < rows.length; k += 10) {
      out.push('              ' + rows.slice(k, k + 10).map((i) => `line ${d.lines[i]} (row ${i + 1})`).join(', '));
    }
    if (lt.exactFit) out.push('Note: exact fit: more than h rows lie on the returned hyperplane; the scale is 0.');
  } else if (x.outliers !== undefined) {
    const idx = downweightedRows(x.outliers);
    const lines = idx.map((i) => d.lines[i]);
    const labels = d.labels ? idx.map((i) => d.labels![i]) : undefined;
    out.push(`Downweighted: ${lines.length} of ${d.n} rows have |r| > delta*s${lines.length ? ` (${rowList(lines, labels, d.rowKind)})` : ''}`);
  }
  if (x.epsilon !== undefined) out.push(`Smoothing:    epsilon = ${fmtNum(x.epsilon)}`);
  const edges = r.edgeSteps !== undefined ? ` (${r.edgeSteps} simplex step${r.edgeSteps === 1 ? '' : 's'})` : '';
  out.push(`Iterations:   ${r.iterations}${edges}, ${r.converged ? 'converged' : 'NOT converged'} (status ${r.status})`);
  out.push(`Time:         ${fmtMs(ms)}${inf.summary ? ` (+ ${fmtMs(inf.ms)} standard errors)` : ''}, backend ${r.backend}; reading the data ${fmtMs(readMs)}`);
  if (r.nonUnique) out.push('Note: the optimum is probably not unique; the objective is certified, the coefficients are one optimal point.');
  if (!r.converged) out.push('Note: the fit did not converge; the coefficients are the best iterate (raise --max-iter or --tol).');
  return out.join('\n') + '\n';
}

/** Loss-specific result fields (Huber: scale, delta, outliers; smooth-L1: epsilon), when present. */
function extras(r: FitResult): { scale?: number; delta?: number; epsilon?: number; outliers?: ArrayLike<number> } {
  const o = r as unknown as Record<string, unknown>;
  const num = (k: string): number | undefined => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
  const flags = o.outliers;
  return {
    scale: num('scale'),
    delta: num('delta'),
    epsilon: num('epsilon'),
    outliers: ArrayBuffer.isView(flags) && (flags as unknown as ArrayLike<number>).length === (r.n ?? -1) ? (flags as unknown as ArrayLike<number>) : undefined,
  };
}

function downweightedRows(flags: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

/** LTS flagged rows: count, physical lines and 1-based data rows. */
function outlierRows(d: FrameDesign, flags: ArrayLike<number>): { count: number; lines: number[]; rows: number[] } {
  const rows: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) rows.push(i + 1);
  return { count: rows.length, lines: rows.map((r) => d.lines[r - 1]), rows };
}

function rawJson(r: FitResult): Record<string, unknown> {
  const raw = (r as unknown as { raw: { coef: Float64Array; intercept: number; scale: number; objective: number } }).raw;
  return { intercept: raw.intercept, coef: Array.from(raw.coef), scale: raw.scale, objective: raw.objective };
}

/** "lines 3, 7, ..." or, with R row names, "rows "Mazda RX4", ... (lines 2, ...)": the first 8. */
function rowList(lines: number[], labels?: string[], kind: 'line' | 'row' = 'line'): string {
  const more = lines.length > 8 ? ', ...' : '';
  const ls = `${kind}${lines.length === 1 ? '' : 's'} ${lines.slice(0, 8).join(', ')}${more}`;
  if (!labels) return ls;
  return `row${labels.length === 1 ? '' : 's'} ${labels.slice(0, 8).map((l) => JSON.stringify(l)).join(', ')}${more}; ${ls}`;
}

function countedRows(d: FrameDesign, idx: number[]): { count: number; lines: number[]; labels?: string[] } {
  const out: { count: number; lines: number[]; labels?: string[] } = { count: idx.length, lines: idx.map((i) => d.lines[i]) };
  if (d.labels) out.labels = idx.map((i) => d.labels![i]);
  return out;
}

function fitJson(file: string, d: FrameDesign, loss: LossName, intercept: boolean, o: FitOptions, r: FitResult, res: Float64Array, ms: number, inf: InferenceOutcome, readMs: number): Record<string, unknown> {
  const coefficients: Record<string, number> = {};
  if (intercept) coefficients['(Intercept)'] = r.intercept;
  d.xNames.forEach((name, j) => (coefficients[name] = r.coef[j]));
  const q = quantiles(res, [0, 0.25, 0.5, 0.75, 1]);
  return {
    command: 'fit',
    file,
    formula: formula(d, intercept),
    loss,
    tau: loss === 'quantile' ? (o.tau ?? 0.5) : undefined,
    response: d.yName,
    predictors: d.xNames,
    columns: d.xColumns,
    weights: d.weightsName,
    n: d.n,
    p: d.p,
    droppedRows: d.rowKind === 'row'
      ? { count: d.droppedLines.length, rows: d.droppedLines }
      : { count: d.droppedLines.length, lines: d.droppedLines, ...(d.droppedLabels ? { labels: d.droppedLabels } : {}) },
    rowsRead: d.rowsIn,
    terms: d.frame.terms,
    hasIntercept: intercept,
    coefficients,
    intercept: r.intercept,
    coef: Array.from(r.coef),
    objective: r.objective,
    certificate: r.certificate,
    rcond: r.rcond,
    method: r.method,
    scale: extras(r).scale,
    delta: extras(r).delta ?? o.delta,
    epsilon: extras(r).epsilon ?? o.epsilon,
    downweighted: extras(r).outliers && loss !== 'mm' && loss !== 'lts' ? countedRows(d, downweightedRows(extras(r).outliers!)) : undefined,
    outliers: extras(r).outliers && (loss === 'lts' || loss === 'mm') ? outlierRows(d, extras(r).outliers!) : undefined,
    alpha: loss === 'lts' ? (o.alpha ?? 0.5) : undefined,
    h: loss === 'lts' ? (r as unknown as { h: number }).h : undefined,
    raw: loss === 'lts' ? rawJson(r) : undefined,
    nonUnique: r.nonUnique,
    iterations: r.iterations,
    edgeSteps: r.edgeSteps,
    converged: r.converged,
    status: r.status,
    backend: r.backend,
    timeMs: ms,
    readMs,
    residuals: { min: q[0], q1: q[1], median: q[2], q3: q[3], max: q[4] },
    inference: inf.summary ? inferenceJson(inf.summary, inf.ms) : null,
    inferenceNote: inf.note,
  };
}

/** The Summary of src/inference as JSON (the objective, n and p are already at the top level). */
function inferenceJson(s: Summary, ms: number): Record<string, unknown> {
  const { loss: _loss, objective: _objective, ...rest } = s;
  return { ...rest, timeMs: ms };
}

function fitPlot(file: string, d: FrameDesign, loss: LossName, intercept: boolean, o: FitOptions, r: FitResult): string {
  const { X, y } = arraysOf(d);
  const title = `${formula(d, intercept)}: ${lossDescription(loss, o)}`;
  const subtitle = `${file === '-' ? 'standard input' : file}, n = ${d.n}`;
  if (d.p === 1) {
    return scatterSvg({
      title,
      subtitle,
      xLabel: d.xNames[0],
      yLabel: d.yName,
      points: Array.from(y, (yi, i) => ({ x: X.data[i], y: yi })),
      lines: [{ label: `${loss} fit`, intercept: r.intercept, slope: r.coef[0], color: PALETTE[0] }],
      pointLabel: 'observations',
    });
  }
  // Several predictors: observed against fitted values, with the identity line.
  const fitted = r.predict(X);
  return scatterSvg({
    title,
    subtitle,
    xLabel: `fitted ${d.yName}`,
    yLabel: `observed ${d.yName}`,
    points: Array.from(y, (yi, i) => ({ x: fitted[i], y: yi })),
    lines: [{ label: 'observed = fitted', intercept: 0, slope: 1, color: PALETTE[0] }],
    pointLabel: 'observations',
  });
}

/**
 * `--taus`: one quantile fit and summary per tau, the least-squares fit as a reference, printed as one
 * table per tau (or JSON), and with --plot the coefficient-against-tau panels of plot.summary.rqs.
 */
async function fitTaus(file: string, d: FrameDesign, intercept: boolean, base: FitOptions, taus: number[], req: InferenceRequest, json: boolean, plot: string | undefined, io: CliIo, now: () => number): Promise<number> {
  const fits = taus.map((tau) => ({ tau, r: fitModel(d.ds, { ...base, loss: 'quantile', tau }) }));
  const infs = fits.map((f) => runInference(req, d, 'quantile', intercept, f.r, now));
  // Least squares with its classical interval at the same level: the reference line.
  const l2opts: FitOptions = { loss: 'l2' };
  if (!intercept) l2opts.intercept = false;
  const ols = fitModel(d.ds, l2opts); // the dataset carries the weights
  const olsInf = req.method === 'none' ? undefined
    : runInference({ method: 'classical', ...(req.level !== undefined ? { level: req.level } : {}) }, d, 'l2', intercept, ols, now).summary;
  const names = intercept ? ['(Intercept)', ...d.xNames] : [...d.xNames];
  const coefOf = (r: FitResult) => (intercept ? [r.intercept, ...r.coef] : [...r.coef]);
  if (json) {
    io.stdout.write(toJson({
      command: 'fit', file, formula: formula(d, intercept), loss: 'quantile', taus, response: d.yName, predictors: d.xNames,
      n: d.n, p: d.p, hasIntercept: intercept,
      fits: fits.map((f, i) => ({ tau: f.tau, coefficients: Object.fromEntries(names.map((nm, j) => [nm, coefOf(f.r)[j]])), objective: f.r.objective, certificate: f.r.certificate, inference: infs[i].summary ?? null, inferenceNote: infs[i].note })),
      ols: { coefficients: Object.fromEntries(names.map((nm, j) => [nm, coefOf(ols)[j]])), inference: olsInf ?? null },
    }) + '\n');
  } else {
    const out: string[] = [];
    out.push(`Model:  ${formula(d, intercept)}`);
    out.push(`Loss:   quantile regression at tau = ${taus.join(', ')}`);
    out.push(`Data:   ${file === '-' ? 'standard input' : file}, n = ${d.n}`);
    fits.forEach((f, i) => {
      out.push('');
      out.push(`tau = ${f.tau}: objective ${fmtNum(f.r.objective)}`);
      const inf = infs[i];
      if (inf.summary) {
        out.push(`Coefficients (${methodText(inf.summary)}):`);
        out.push(...summaryLines(inf.summary));
      } else {
        out.push(`Coefficients (SE: ${inf.note}):`);
        out.push(...table([['', 'Estimate'], ...names.map((nm, j) => [nm, fmtNum(coefOf(f.r)[j])])]).map((l) => '  ' + l));
      }
    });
    io.stdout.write(out.join('\n') + '\n');
  }
  if (plot) {
    const level = infs.find((x) => x.summary)?.summary?.level ?? req.level ?? 0.95;
    const method = infs.find((x) => x.summary)?.summary?.method;
    const pct = `${+(level * 100).toFixed(4)}%`;
    const svg = coefficientPanelsSvg({
      title: `${formula(d, intercept)}: quantile regression coefficients against tau`,
      subtitle: `${file === '-' ? 'standard input' : file}, n = ${d.n}`,
      taus,
      panels: names.map((name, j) => ({
        name,
        estimate: fits.map((f) => coefOf(f.r)[j]),
        lower: infs.map((x) => x.summary?.coefficients[j].ciLower ?? NaN),
        upper: infs.map((x) => x.summary?.coefficients[j].ciUpper ?? NaN),
        ...(olsInf ? { ols: { estimate: olsInf.coefficients[j].estimate, lower: olsInf.coefficients[j].ciLower, upper: olsInf.coefficients[j].ciUpper } } : {}),
      })),
      bandLabel: method ? `${pct} ${method === 'rank' ? 'rank-inversion' : method} interval` : 'no interval (--se none)',
      olsLabel: `least squares ± ${pct} interval`,
    });
    await writeOutput(plot, svg, 'plot');
    io.stderr.write(`robustreg: wrote ${plot}\n`);
  }
  return EXIT_OK;
}
