// The command line (issue 7), run in-process through main(argv, io): argument handling, exit codes,
// messages for broken input, output formats, the demo, and the CSV reader it depends on.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelsFor, main, warmupMode, type CliIo } from '../../src/cli/run.js';
import { CsvError, isMissingToken, isNumericToken, parseCsv, parseCsvRecords, toNumber } from '../../src/cli/csv.js';
import { readAll } from '../../src/cli/io.js';
import { STACKLOSS_CSV, STARS_CYG_CSV } from '../../src/cli/datasets.js';
import { ProgressLine } from '../../src/cli/progress.js';
import { niceTicks, scatterSvg } from '../../src/cli/svg.js';
import { fmtFixed, fmtNum } from '../../src/cli/format.js';
import * as lib from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataFile = (name: string): string => join(root, 'data', name);
const STACKLOSS = dataFile('stackloss.csv');
const STARS = dataFile('starsCYG.csv');
const tmp = mkdtempSync(join(tmpdir(), 'robustreg-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], opts: { stdin?: string; isTTY?: boolean; now?: () => number } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: opts.stdin ?? '',
    isTTY: opts.isTTY ?? false,
    now: opts.now,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A CSV written to the temporary directory; returns its path. */
let fileCount = 0;
function csvFile(text: string): string {
  const p = join(tmp, `f${fileCount++}.csv`);
  writeFileSync(p, text);
  return p;
}

/** Relative closeness with a message that shows actual, expected, delta and tolerance. */
function expectClose(actual: number, expected: number, rel: number, what = ''): void {
  const delta = Math.abs(actual - expected);
  const tol = rel * Math.max(Math.abs(expected), 1e-300);
  if (!(delta <= tol)) {
    throw new Error(`${what} actual ${actual}, expected ${expected}, |delta| ${delta.toExponential(3)} > tol ${tol.toExponential(3)} (rel ${rel})`);
  }
}

function expectNoStack(s: string): void {
  expect(s).not.toMatch(/\n\s+at /);
  expect(s).not.toMatch(/Error: /);
}

// Least squares references (R lm(), 7 significant digits as printed by summary.lm).
const OLS_STACKLOSS = [-39.91967, 0.7156402, 1.295286, -0.1521225];
const OLS_STARS = [6.793467, -0.4133039];
// L1 references certified by R quantreg rq(method = "br") and HiGHS (shared data manifest).
const LAD_STACKLOSS = [-39.68985507246379, 0.8318840579710135, 0.5739130434782647, -0.06086956521739127];
const LAD_STARS = [8.149204545454547, -0.6931818181818185];

// ---------------------------------------------------------------------------------------------
describe('CSV reader (RFC 4180)', () => {
  it('splits plain records and skips blank lines', () => {
    const r = parseCsvRecords('a,b\n1,2\n\n3,4\n');
    expect(r.map((x) => x.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 4]);
  });

  it('reads quoted fields with commas and escaped quotes', () => {
    const r = parseCsvRecords('name,note\n"Smith, J.","said ""hi"""\n"",x\n');
    expect(r[1].fields).toEqual(['Smith, J.', 'said "hi"']);
    expect(r[2].fields).toEqual(['', 'x']);
  });

  it('accepts CRLF, LF and lone CR line ends, and a missing final newline', () => {
    const want = [['a', 'b'], ['1', '2'], ['3', '4']];
    expect(parseCsvRecords('a,b\r\n1,2\r\n3,4\r\n').map((x) => x.fields)).toEqual(want);
    expect(parseCsvRecords('a,b\n1,2\n3,4').map((x) => x.fields)).toEqual(want);
    expect(parseCsvRecords('a,b\r1,2\r3,4\r').map((x) => x.fields)).toEqual(want);
  });

  it('strips a UTF-8 byte-order mark', () => {
    const t = parseCsv('\uFEFFy,x\n1,2\n');
    expect(t.names).toEqual(['y', 'x']);
  });

  it('keeps newlines inside quotes and reports the starting line of each record', () => {
    const r = parseCsvRecords('id,text\n1,"two\nlines"\n2,"crlf\r\ninside"\n3,plain\n');
    expect(r[1].fields).toEqual(['1', 'two\nlines']);
    expect(r[2].fields).toEqual(['2', 'crlf\r\ninside']);
    expect(r.map((x) => x.line)).toEqual([1, 2, 4, 6]);
  });

  it('keeps an empty trailing field', () => {
    expect(parseCsvRecords('1,2,\n').map((x) => x.fields)).toEqual([['1', '2', '']]);
  });

  it('rejects an unterminated quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsvRecords('a,b\n1,"open\n2,3\n')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => parseCsvRecords('a,b\n"x"y,1\n')).toThrow(/after a closing quote on line 2/);
    try {
      parseCsvRecords('a\n"x"y\n');
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).line).toBe(2);
    }
  });

  it('detects a header only when a first-row field is not a number or a missing value', () => {
    expect(parseCsv('y,x\n1,2\n').hasHeader).toBe(true);
    const noHeader = parseCsv('1,2\n3,4\n');
    expect(noHeader.hasHeader).toBe(false);
    expect(noHeader.names).toEqual(['V1', 'V2']);
    expect(noHeader.rows.length).toBe(2);
    expect(parseCsv('1,NA\n3,4\n').hasHeader).toBe(false);
    expect(parseCsv('1e3,-.5\n3,4\n').hasHeader).toBe(false);
    expect(parseCsv('2020,2021\n3,4\n', 'yes').names).toEqual(['2020', '2021']);
    expect(parseCsv('y,x\n1,2\n', 'no').rows.length).toBe(2);
  });

  it('rejects empty files, header-only files, ragged rows, empty and repeated column names', () => {
    expect(() => parseCsv('')).toThrow(/empty/);
    expect(() => parseCsv('\n\n')).toThrow(/empty/);
    expect(() => parseCsv('y,x\n')).toThrow(/no data rows/);
    expect(() => parseCsv('y,x\n1,2\n3\n')).toThrow(/line 3 has 1 field, expected 2/);
    expect(() => parseCsv('y,,z\n1,2,3\n')).toThrow(/column 2 has no name/);
    expect(() => parseCsv('y,x,x\n1,2,3\n')).toThrow(/"x" appears twice/);
  });

  it('classifies tokens', () => {
    for (const s of ['1', '-1', '+1.5', '.5', '5.', '1e-3', '2E+10', ' 3 ']) expect(isNumericToken(s)).toBe(true);
    for (const s of ['', 'abc', '0x10', '1,000', 'Inf', 'NaN', '1e', '--1', '.']) expect(isNumericToken(s)).toBe(false);
    for (const s of ['', ' ', 'NA', 'na', 'NaN', 'nan']) expect(isMissingToken(s)).toBe(true);
    for (const s of ['0', 'N/A?', 'null']) expect(isMissingToken(s)).toBe(false);
  });

  it('converts plain decimals only (no hex, binary, octal, Infinity or blanks)', () => {
    expect([' 1.5 ', '-2', '+.5', '5.', '1e3', '0', '007'].map(toNumber)).toEqual([1.5, -2, 0.5, 5, 1000, 0, 7]);
    for (const s of ['', '  ', '0x10', '0b1', '0o7', 'Infinity', '-Infinity', '1_000', '1,5', 'abc', '.', '-']) {
      expect(toNumber(s), JSON.stringify(s)).toBeNaN();
    }
    expect(toNumber('1e999')).toBe(Infinity);
  });

  it('quotes around numbers are allowed; a trailing comma at the end of the text opens an empty field', () => {
    expect(parseCsvRecords('"1","2"').map((r) => r.fields)).toEqual([['1', '2']]);
    expect(parseCsvRecords('1,').map((r) => r.fields)).toEqual([['1', '']]);
    expect(parseCsvRecords('"a" ,b\n').map((r) => r.fields)).toEqual([['a', 'b']]);
  });

  it('reads standard input given as byte chunks, even with a character split across chunks', async () => {
    const bytes = new TextEncoder().encode('y,x\n1,2 µ\n');
    const split = bytes.indexOf(0xc2) + 1;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, split);
      yield bytes.subarray(split);
    }
    expect(await readAll(chunks())).toBe('y,x\n1,2 µ\n');
  });
});

describe('init warm-up of the CLI: only the kernels the command uses (issue 23)', () => {
  it('maps --loss / --tau / --taus to the kernel families warmed in the background', () => {
    expect(kernelsFor(['data.csv', '--y', 'y'])).toEqual(['l1']);
    expect(kernelsFor(['data.csv', '--y', 'y', '--loss', 'l2'])).toEqual(['l2', 'moments', 'hc']);
    expect(kernelsFor(['data.csv', '--loss=huber'])).toEqual(['irls']);
    expect(kernelsFor(['data.csv', '--loss', 'smooth-l1'])).toEqual(['irls']);
    expect(kernelsFor(['data.csv', '--taus', '0.1,0.9'])).toEqual(['l1']);
    expect(kernelsFor(['data.csv', '--loss', 'mm'])).toEqual(['mm', 'l2']);
    expect(kernelsFor(['data.csv', '--loss', 'lts'])).toEqual(['lts', 'l2']);
  });
  it('warms by the size of the data file: none below 64 KB, on this thread up to 8 MB, else in the background', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rbwarm-'));
    try {
      const small = join(dir, 'small.csv');
      writeFileSync(small, 'y,x\n1,2\n');
      const mid = join(dir, 'mid.csv');
      writeFileSync(mid, 'y,x\n' + '1.25,2.5\n'.repeat(20_000));
      expect(warmupMode([small, '--y', 'y'])).toBe(false);
      expect(warmupMode([mid, '--y', 'y'])).toBe('wait');
      expect(warmupMode(['-', '--y', 'y'])).toBe(true);
      expect(warmupMode(['--y', 'y', mid])).toBe(true);
      expect(warmupMode([join(dir, 'missing.csv')])).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundled data', () => {
  it('the embedded demo data equal data/*.csv byte for byte', () => {
    expect(STACKLOSS_CSV).toBe(readFileSync(STACKLOSS, 'utf8'));
    expect(STARS_CYG_CSV).toBe(readFileSync(STARS, 'utf8'));
  });

  it('have the documented columns and sizes', () => {
    const s = parseCsv(STACKLOSS_CSV);
    expect(s.names).toEqual(['stack.loss', 'Air.Flow', 'Water.Temp', 'Acid.Conc.']);
    expect(s.rows.length).toBe(21);
    const c = parseCsv(STARS_CYG_CSV);
    expect(c.names).toEqual(['log.light', 'log.Te']);
    expect(c.rows.length).toBe(47);
    // The red giants: the four coolest stars.
    for (const k of [11, 20, 30, 34]) expect(Number(c.rows[k - 1][1])).toBeLessThan(3.5);
  });
});

describe('formatting helpers', () => {
  it('formats numbers like R and never prints -0.0000', () => {
    expect(fmtNum(-39.68985507246379)).toBe('-39.68986');
    expect(fmtNum(0.8318840579710135)).toBe('0.8318841');
    expect(fmtNum(1e-20)).toBe('1e-20');
    expect(fmtFixed(-0.06086956521739127)).toBe('-0.0609');
    expect(fmtFixed(-4.6e-16)).toBe('0.0000');
  });

  it('chooses nice ticks', () => {
    expect(niceTicks(3.48, 4.62).ticks).toEqual([3.4, 3.6, 3.8, 4, 4.2, 4.4, 4.6, 4.8]);
    expect(niceTicks(0, 10, 5).ticks).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('builds a well-formed SVG with escaped text', () => {
    const svg = scatterSvg({
      title: 'a < b & "c"',
      xLabel: 'x',
      yLabel: 'y',
      points: [{ x: 0, y: 0 }, { x: 1, y: 2, highlight: true }],
      lines: [{ label: 'fit', intercept: 0, slope: 2, color: '#000' }],
      highlightLabel: 'outlier',
    });
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).not.toContain('NaN');
  });
});

describe('progress line', () => {
  it('stays silent for short fits and when stderr is not a terminal', () => {
    let out = '';
    let t = 0;
    const quick = new ProgressLine({ write: (s) => (out += s) }, true, 'fit', () => t);
    t = 100;
    quick.update({ iteration: 1, objective: 1 });
    quick.done();
    expect(out).toBe('');
    const piped = new ProgressLine({ write: (s) => (out += s) }, false, 'fit', () => t);
    t = 10_000;
    piped.update({ iteration: 1, objective: 1 });
    piped.done();
    expect(out).toBe('');
  });

  it('draws after 0.5 s at most every 100 ms, and erases itself', () => {
    let out = '';
    let t = 0;
    const bar = new ProgressLine({ write: (s) => (out += s) }, true, 'fitting l1', () => t);
    t = 600;
    bar.update({ iteration: 7, objective: 42.5, gap: 1e-3 });
    t = 650;
    bar.update({ iteration: 8, objective: 42.4, gap: NaN });
    expect(out.match(/\r\[/g)?.length).toBe(1);
    expect(out).toContain('iteration 7');
    expect(out).toContain('gap 0.00100000');
    t = 800;
    bar.update({ iteration: 9, objective: 42.3, gap: NaN });
    expect(out.match(/\r\[/g)?.length).toBe(2);
    expect(out.split('\r[').pop()).not.toContain('gap');
    bar.done();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('help and usage errors', () => {
  it('--help and -h exit 0 for the top level and every command', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'fit'], ['help', 'demo'], ['fit', '--help'], ['demo', '-h'], ['fit', 'x.csv', '-h']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: robustreg/);
      expect(r.stderr).toBe('');
    }
    expect((await cli(['fit', '--help'])).stdout).toContain('--drop-missing');
    expect((await cli(['fit', '--help'])).stdout).toMatch(/--se <method>[\s\S]*--level <l>[\s\S]*--reps <B>[\s\S]*--seed <s>/);
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(`robustreg ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`);
    expect((await cli(['demo', '--help'])).stdout).toContain('--plot');
  });

  it.each([
    [[], /Usage: robustreg/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['fti'], /did you mean 'fit'/],
    [['--verbose'], /unknown option --verbose/],
    [['help', 'nope'], /no help for "nope"/],
    [['fit'], /missing the data file/],
    [['fit', 'a.csv', 'b.csv', '--y', 'y'], /expected one data file/],
    [['fit', 'data.csv'], /missing --y/],
    [['fit', 'data.csv', '--y', 'y', '--bogus'], /unknown option --bogus/],
    [['fit', 'data.csv', '--y'], /option --y needs a value/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l3'], /--loss must be one of l1, l2, quantile, huber, smooth-l1, mm/],
    [['fit', 'data.csv', '--y', 'y', '--tau', 'half'], /--tau expects a number/],
    [['fit', 'data.csv', '--y', 'y', '--tau', '-1'], /needs a value/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l2', '--tau', '0.3'], /--tau applies to --loss quantile, not l2/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l1', '--scale', '2'], /--delta\/--scale applies to --loss huber, not l1/],
    [['fit', 'data.csv', '--y', 'y', '--tau', '0.5', '--delta', '2'], /--delta\/--scale applies to --loss huber, not quantile/],
    [['fit', 'data.csv', '--y', 'y', '--backend', 'gpu'], /--backend must be one of auto, wasm, js/],
    [['fit', 'data.csv', '--y', 'y', '--max-iter', '1.5'], /--max-iter expects a whole number/],
    [['fit', 'data.csv', '--y', 'y', '--x', 'a,,b'], /--x expects a comma-separated list/],
    [['fit', 'data.csv', '--y', 'y', '--json=yes'], /does not take a value/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l2', '--se', 'nid'], /--se must be one of classical, hc0, hc1, hc2, hc3, none for --loss l2; received "nid"/],
    [['fit', 'data.csv', '--y', 'y', '--se', 'hc3'], /--se must be one of rank, nid, ker, boot, none for --loss l1; received "hc3"/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'huber', '--se', 'hc1'], /--se must be one of h1, h2, h3, none for --loss huber/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'smooth-l1', '--se', 'nid'], /--se: smooth-l1 fits have no standard errors \(only --se none is accepted\); received "nid"/],
    [['fit', 'data.csv', '--y', 'y', '--se'], /option --se needs a value/],
    [['fit', 'data.csv', '--y', 'y', '--level', 'high'], /--level expects a number, received "high"/],
    [['fit', 'data.csv', '--y', 'y', '--reps', '50'], /--reps applies to --se boot only/],
    [['fit', 'data.csv', '--y', 'y', '--iid', 'no'], /--iid must be true or false; received "no"/],
    [['fit', 'data.csv', '--y', 'y', '--se', 'nid', '--iid', 'false'], /--iid applies to --se rank only, not to --se nid/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l2', '--iid', 'false'], /--iid applies to --se rank \(l1 and quantile fits\) only, not to --loss l2/],
    [['fit', 'data.csv', '--y', 'y', '--se', 'boot', '--reps', '2.5'], /--reps expects a whole number/],
    [['fit', 'data.csv', '--y', 'y', '--se', 'nid', '--seed', '3'], /--seed applies to --se boot only/],
    [['fit', 'data.csv', '--y', 'y', '--se', 'none', '--level', '0.9'], /--level has no effect with --se none/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'smooth-l1', '--level', '0.9'], /--level has no effect: smooth-l1 fits have no standard errors/],
    [['fit', 'data.csv', '--y', 'y', '--tau', '0.5', '--taus', '0.2,0.8'], /--tau and --taus exclude each other/],
    [['fit', 'data.csv', '--y', 'y', '--loss', 'l2', '--taus', '0.2,0.8'], /--taus applies to --loss quantile, not l2/],
    [['fit', 'data.csv', '--y', 'y', '--taus', '0.2,x'], /--taus expects a number, received "x"/],
    [['demo', 'extra'], /demo takes no arguments/],
    [['demo', '--plot', '-'], /--plot needs a file name/],
  ])('%j exits 2', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });
});

describe('bad input exits 1 with a message that names the problem', () => {
  const cases: [string, string, string[], RegExp][] = [
    ['ragged rows', 'y,x\n1,2\n3,4,5\n', ['--y', 'y'], /line 3 has 3 fields, expected 2/],
    ['text in the response column', 'y,x\n1,2\nabc,3\n', ['--y', 'y'], /line 3, column "y": "abc" is not a number \(the response --y must be numeric\)/],
    ['text in the weights column', 'y,x,w\n1,2,1\n3,4,heavy\n', ['--y', 'y', '--weights', 'w'], /line 3, column "w": "heavy" is not a number/],
    ['a factor with over 1000 levels', 'y,id\n' + Array.from({ length: 1002 }, (_, i) => `${i},id${i}`).join('\n') + '\n', ['--y', 'y'], /column "id" has 1002 distinct values: as a factor that is more than 1000 levels.*leave it out with --x/],
    ['a factor with one level', 'y,g\n1,a\n2,a\n', ['--y', 'y'], /the factor "g" has a single level "a"/],
    ['--factor on a column that is not a predictor', 'y,x,g\n1,2,1\n2,3,2\n', ['--y', 'y', '--x', 'x', '--factor', 'g'], /--factor names column "g", which is not a predictor/],
    ['--x naming the row names', '"","y","x"\n"a",1,2\n"b",2,3\n', ['--y', 'y', '--x', '1'], /column 1 \(--x\) holds the row names/],
    ['an infinite value', 'y,x\n1,2\n3,Inf\n', ['--y', 'y'], /line 3, column "x": "Inf" is not a finite number/],
    ['an overflowing number', 'y,x\n1,2\n3,1e999\n', ['--y', 'y'], /line 3, column "x": "1e999" is too large for a double/],
    ['an empty file', '', ['--y', 'y'], /the file is empty/],
    ['a header without data', 'y,x\n', ['--y', 'y'], /no data rows/],
    ['a missing column name', 'y,,z\n1,2,3\n', ['--y', 'y'], /column 2 has no name in the header on line 1/],
    ['an unknown --y', 'y,x\n1,2\n', ['--y', 'nope'], /column "nope" \(--y\) is not in the data; columns are: y, x/],
    ['an unknown --x', 'y,x\n1,2\n', ['--y', 'y', '--x', 'z'], /column "z" \(--x\) is not in the data/],
    ['an unknown --weights', 'y,x\n1,2\n', ['--y', 'y', '--weights', 'w'], /column "w" \(--weights\)/],
    ['--x naming the response', 'y,x\n1,2\n', ['--y', 'y', '--x', 'x,y'], /--x includes the response column "y"/],
    ['an unterminated quote', 'y,x\n1,"2\n', ['--y', 'y'], /unterminated quoted field starting on line 2/],
    ['text after a closing quote', 'y,x\n1,2\n3,"4"x\n', ['--y', 'y'], /unexpected character "x" after a closing quote on line 3/],
    ['duplicate column names', 'y,x,x\n1,2,3\n', ['--y', 'y'], /column name "x" appears twice in the header on line 1 \(columns 2 and 3\)/],
    ['a factor level whose rows are all dropped', 'y,a,g\n1,1,u\n2,2,v\n3,NA,w\n4,3,u\n5,4,v\n', ['--y', 'y'], /level "w" of the factor "g" has no rows left: its 1 row was dropped for a missing value in another used column \(the first is on line 4\).*leave the column out with --x/],
    ['missing values with --na fail', 'y,x\n1,2\n,3\n4,NA\n5,6\n', ['--y', 'y', '--loss', 'l2', '--na', 'fail'], /missing values \(empty, NA or NaN\) in 2 rows: line 3 \(y\), line 4 \(x\); without --na fail such rows are dropped/],
  ];
  it.each(cases)('%s', async (_name, text, args, message) => {
    const r = await cli(['fit', csvFile(text), ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^robustreg: error: /);
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });

  it('writes nothing when the input is bad (no plot file, nothing on standard output)', async () => {
    const out = join(tmp, 'never.svg');
    const r = await cli(['fit', csvFile('y,x,g\n1,2,a\n3,4\n'), '--y', 'y', '--plot', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a file that does not exist', async () => {
    const r = await cli(['fit', join(tmp, 'nope.csv'), '--y', 'y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read ".*nope\.csv": no such file or directory/);
    expectNoStack(r.stderr);
  });

  it('library errors are shown with their code', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--tau', '1.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^robustreg: error \[INVALID_INPUT\]: .*tau.*1\.5/);
    expectNoStack(r.stderr);
  });

  it('a constant or collinear column is named, not numbered from 0 (issue 15)', async () => {
    const body = 'y,x1,const,x3,twice\n1,2,5,3,4\n2,3,5,1,6\n3,5,5,4,10\n4,4,5,2,8\n5,7,5,9,14\n6,1,5,8,2\n';
    const f = csvFile(body);
    for (const loss of ['l1', 'l2', 'quantile', 'huber']) {
      const r = await cli(['fit', f, '--y', 'y', '--loss', loss, '--x', 'x1,const,x3']);
      expect(r.code, loss).toBe(1);
      expect(r.stderr, loss).toMatch(/^robustreg: error \[RANK_DEFICIENT\]: \w+: column "const" is constant, zero, or a linear combination of earlier columns and the intercept; remove it/);
      expect(r.stderr).not.toMatch(/column \d/);
      expectNoStack(r.stderr);
    }
    const two = await cli(['fit', f, '--y', 'y', '--loss', 'l1']);
    expect(two.stderr).toMatch(/columns "const", "twice" are constant, zero, or a linear combination/);
  });

  it.each([
    [['--level', '1.5'], /^robustreg: error \[INVALID_INPUT\]: option level must be a number strictly between 0 and 1, received 1\.5/],
    [['--level', '0'], /option level must be a number strictly between 0 and 1, received 0/],
    [['--loss', 'l2', '--level', '1'], /option level must be a number strictly between 0 and 1, received 1\n/],
    [['--se', 'boot', '--reps', '1'], /option B must be an integer in \[2, 1000000\], received 1/],
  ])('inference options out of range (%j) exit 1 with the library\'s reason', async (args, message) => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', ...(args as string[])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });

  it('lists at most 8 lines with missing values', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},NA`).join('\n');
    const r = await cli(['fit', csvFile(`y,x\n${rows}\n`), '--y', 'y', '--na', 'fail']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in 12 rows: line 2 \(x\), .*line 9 \(x\), and 4 more/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('fit (least squares)', () => {
  it('prints an R-like summary for the bundled stack loss data', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Model:  stack.loss ~ Air.Flow + Water.Temp + Acid.Conc.');
    expect(r.stdout).toContain('Coefficients (SE: classical, iid errors; t tests on 17 df):');
    // R: summary(lm(stack.loss ~ ., stackloss)) prints -39.9197 11.8960 -3.356 0.00375 **
    expect(r.stdout).toMatch(/Estimate\s+Std\. Error\s+t value\s+Pr\(>\|t\|\)\s+2\.5 %\s+97\.5 %/);
    expect(r.stdout).toMatch(/\(Intercept\)\s+-39\.9197\s+11\.8960\s+-3\.356\s+0\.00375\s+\*\*\s+-65\.0180\s+-14\.8213/);
    expect(r.stdout).toMatch(/Water\.Temp\s+1\.29529\s+0\.368024\s+3\.520\s+0\.00263\s+\*\*/);
    expect(r.stdout).toContain('Residual standard error: 3.243 on 17 degrees of freedom');
    expect(r.stdout).toContain('Multiple R-squared:  0.9136,  Adjusted R-squared:  0.8983');
    expect(r.stdout).toContain('F-statistic: 59.9 on 3 and 17 DF,  p-value: 3.016e-09');
    expect(r.stdout).toMatch(/Objective:\s+178\.83/);
    expect(r.stdout).toMatch(/Condition:\s+rcond /);
    expect(r.stdout).toMatch(/Iterations:\s+\d+.*converged/);
    expect(r.stdout).toMatch(/Time:\s+[\d.]+ m?s \(\+ [\d.]+ m?s standard errors\), backend (wasm|js)/);
    expect(r.stdout.split('\n').length).toBeLessThan(30);
  });

  it('--json prints one parseable object with the fit', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ command: 'fit', loss: 'l2', n: 21, p: 3, response: 'stack.loss', converged: true });
    expect(j.predictors).toEqual(['Air.Flow', 'Water.Temp', 'Acid.Conc.']);
    expect(Object.keys(j.coefficients)).toEqual(['(Intercept)', 'Air.Flow', 'Water.Temp', 'Acid.Conc.']);
    [j.intercept, ...j.coef].forEach((b: number, k: number) => expectClose(b, OLS_STACKLOSS[k], 1e-6, `coef ${k}`));
    expectClose(j.objective, 178.8300, 1e-5, 'RSS');
    expect(typeof j.rcond).toBe('number');
    expect(['wasm', 'js']).toContain(j.backend);
    expect(j.droppedRows).toEqual({ count: 0, lines: [] });
  });

  it('selects columns by name or position, and --x limits the predictors', async () => {
    const r = await cli(['fit', STARS, '--y', '1', '--x', 'log.Te', '--loss', 'l2', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.response).toBe('log.light');
    expectClose(j.intercept, OLS_STARS[0], 1e-6);
    expectClose(j.coef[0], OLS_STARS[1], 1e-6);
    const r2 = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--x', 'Air.Flow', '--x', 'Water.Temp', '--loss', 'l2', '--json']);
    expect(JSON.parse(r2.stdout).predictors).toEqual(['Air.Flow', 'Water.Temp']);
  });

  it('reads standard input for file -', async () => {
    const fromFile = JSON.parse((await cli(['fit', STARS, '--y', 'log.light', '--loss', 'l2', '--json'])).stdout);
    const r = await cli(['fit', '-', '--y', 'log.light', '--loss', 'l2', '--json'], { stdin: readFileSync(STARS, 'utf8') });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.file).toBe('-');
    expect(j.coef).toEqual(fromFile.coef);
    expect(j.intercept).toBe(fromFile.intercept);
    const text = await cli(['fit', '-', '--y', 'log.light', '--loss', 'l2'], { stdin: readFileSync(STARS, 'utf8') });
    expect(text.stdout).toContain('Data:   standard input, n = 47');
  });

  it('reads a headerless CSV with CRLF line ends and a BOM from standard input', async () => {
    const body = readFileSync(STARS, 'utf8').split('\n').slice(1).join('\r\n');
    const r = await cli(['fit', '-', '--y', 'V1', '--loss', 'l2', '--json'], { stdin: '\uFEFF' + body });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.n).toBe(47);
    expectClose(j.coef[0], OLS_STARS[1], 1e-6);
  });

  it('--drop-missing drops and counts rows with missing values', async () => {
    const lines = readFileSync(STACKLOSS, 'utf8').trimEnd().split('\n');
    lines.push('NA,80,27,89', '30,,27,89', '31,70,NaN,88');
    const path = csvFile(lines.join('\n') + '\n');
    const r = await cli(['fit', path, '--y', 'stack.loss', '--loss', 'l2', '--drop-missing', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.droppedRows).toEqual({ count: 3, lines: [23, 24, 25] });
    expect(j.n).toBe(21);
    expectClose(j.coef[1], OLS_STACKLOSS[2], 1e-6);
    const t = await cli(['fit', path, '--y', 'stack.loss', '--loss', 'l2', '--drop-missing']);
    expect(t.stdout).toContain('dropped 3 rows with missing values (lines 23, 24, 25)');
    // Only the columns in use count: with --x Air.Flow the NaN in Water.Temp is irrelevant.
    const u = await cli(['fit', path, '--y', 'stack.loss', '--x', 'Air.Flow', '--loss', 'l2', '--drop-missing', '--json']);
    expect(JSON.parse(u.stdout).droppedRows.count).toBe(2);
  });

  it('quoted fields and embedded newlines in an unused column do not disturb the fit', async () => {
    const rows = readFileSync(STARS, 'utf8').trimEnd().split('\n').slice(1);
    const text = 'log.light,log.Te,"star, note"\n' + rows.map((r, i) => `${r},"star ${i + 1}${i === 10 ? '\nred ""giant""' : ''}"`).join('\n') + '\n';
    const r = await cli(['fit', csvFile(text), '--y', 'log.light', '--x', 'log.Te', '--loss', 'l2', '--json']);
    expect(r.code).toBe(0);
    expectClose(JSON.parse(r.stdout).coef[0], OLS_STARS[1], 1e-6);
  });

  it('weights equal duplicated rows; --no-intercept drops the intercept', async () => {
    const rows = readFileSync(STARS, 'utf8').trimEnd().split('\n').slice(1);
    const weighted = 'y,x,w\n' + rows.map((r, i) => `${r},${i % 3 === 0 ? 2 : 1}`).join('\n') + '\n';
    const duplicated = 'y,x\n' + rows.flatMap((r, i) => (i % 3 === 0 ? [r, r] : [r])).join('\n') + '\n';
    const a = JSON.parse((await cli(['fit', csvFile(weighted), '--y', 'y', '--weights', 'w', '--loss', 'l2', '--json'])).stdout);
    const b = JSON.parse((await cli(['fit', csvFile(duplicated), '--y', 'y', '--loss', 'l2', '--json'])).stdout);
    expect(a.predictors).toEqual(['x']);
    expect(a.weights).toBe('w');
    expectClose(a.coef[0], b.coef[0], 1e-9, 'weighted slope');
    expectClose(a.intercept, b.intercept, 1e-9, 'weighted intercept');
    const c = JSON.parse((await cli(['fit', STARS, '--y', 'log.light', '--loss', 'l2', '--no-intercept', '--json'])).stdout);
    expect(c.hasIntercept).toBe(false);
    expect(c.intercept).toBe(0);
    expect(Object.keys(c.coefficients)).toEqual(['log.Te']);
    expect(c.formula).toBe('log.light ~ log.Te - 1');
  });

  it('--json carries the inference table: R summary.lm values, intervals from t(17)', async () => {
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--json'])).stdout);
    const inf = j.inference;
    expect(inf).toMatchObject({ method: 'classical', level: 0.95, distribution: 't', df: 17, n: 21, p: 4, intercept: true });
    expect(inf.coefficients.map((c: { name: string }) => c.name)).toEqual(['(Intercept)', 'Air.Flow', 'Water.Temp', 'Acid.Conc.']);
    // R 4.2: summary(lm(stack.loss ~ ., stackloss)), as printed (4-5 significant digits).
    const R = { se: [11.8960, 0.1349, 0.3680, 0.1563], t: [-3.356, 5.307, 3.520, -0.973], p: [0.00375, 5.8e-05, 0.00263, 0.34405] };
    inf.coefficients.forEach((c: Record<string, number>, k: number) => {
      expectClose(c.estimate, OLS_STACKLOSS[k], 1e-6, `estimate ${k}`);
      expectClose(c.stdError, R.se[k], 6e-4, `SE ${k}`);
      expectClose(c.statistic, R.t[k], 2e-3, `t ${k}`);
      expectClose(c.pValue, R.p[k], 2e-2, `p ${k}`);
      // qt(0.975, 17) = 2.1098155778333171 (mpmath, 40 digits)
      expectClose(c.ciUpper - c.estimate, 2.1098155778333171 * c.stdError, 1e-13, `CI half-width ${k}`);
      expectClose(c.estimate - c.ciLower, 2.1098155778333171 * c.stdError, 1e-13, `CI half-width ${k}`);
    });
    expectClose(inf.sigma, 3.243, 2e-4, 'sigma');
    expectClose(inf.rSquared, 0.9136, 1e-4, 'R2');
    expectClose(inf.fStatistic.value, 59.9, 1e-3, 'F');
    expectClose(inf.fStatistic.pValue, 3.016e-9, 1e-3, 'F p-value');
    expect(inf.covariance.length).toBe(4);
    expect(j.inferenceNote).toBeUndefined();
  });

  it('the stars table equals R summary(lm(log.light ~ log.Te))', async () => {
    const r = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'l2']);
    expect(r.stdout).toMatch(/\(Intercept\)\s+6\.79347\s+1\.23652\s+5\.494\s+1\.748e-06\s+\*\*\*/);
    expect(r.stdout).toMatch(/log\.Te\s+-0\.413304\s+0\.286257\s+-1\.444\s+0\.1557\s/);
    expect(r.stdout).toContain('Residual standard error: 0.5646 on 45 degrees of freedom');
    expect(r.stdout).toContain('Multiple R-squared:  0.04427,  Adjusted R-squared:  0.02304');
    expect(r.stdout).toContain('F-statistic: 2.085 on 1 and 45 DF,  p-value: 0.1557');
  });

  it('--se hc0..hc3 and --level pass through to summary() unchanged', async () => {
    const rows = readFileSync(STACKLOSS, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const Xs = rows.map((r) => r.slice(1));
    const ys = rows.map((r) => r[0]);
    const fitted = lib.ols(Xs, ys);
    for (const se of ['hc0', 'HC1', 'hc2', 'hc3']) {
      const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--se', se, '--level', '0.9', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const inf = JSON.parse(r.stdout).inference;
      const ref = lib.summary(fitted, Xs, ys, { vcov: se.toUpperCase() as 'HC0', level: 0.9 });
      expect(inf.method).toBe(se.toUpperCase());
      expect(inf.level).toBe(0.9);
      inf.coefficients.forEach((c: Record<string, number>, k: number) => {
        expectClose(c.stdError, ref.coefficients[k].stdError, 1e-9, `${se} SE ${k}`);
        expectClose(c.ciLower, ref.coefficients[k].ciLower, 1e-9, `${se} CI ${k}`);
      });
      // the sandwich differs from the classical covariance on these data
      expect(Math.abs(inf.coefficients[1].stdError - 0.134858)).toBeGreaterThan(1e-3);
    }
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--se', 'hc3', '--level', '0.9']);
    expect(t.stdout).toContain('Coefficients (SE: HC3, MacKinnon-White; t tests on 17 df):');
    expect(t.stdout).toMatch(/Pr\(>\|t\|\)\s+5 %\s+95 %/);
    expect(t.stdout).toMatch(/^Wald F-statistic \(HC3\): /m);
  });

  it('--se none prints the estimates only and --json has inference: null', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--se', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Coefficients (SE: not computed (--se none)):');
    expect(r.stdout).not.toContain('Std. Error');
    expect(r.stdout).toMatch(/\(Intercept\)\s+-39\.91967\n/);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--se', 'none', '--json'])).stdout);
    expect(j.inference).toBeNull();
    expect(j.inferenceNote).toBe('not computed (--se none)');
  });

  it('--backend js gives the same least squares fit', async () => {
    const w = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--json'])).stdout);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--backend', 'js', '--json'])).stdout);
    expect(j.backend).toBe('js');
    [j.intercept, ...j.coef].forEach((b: number, k: number) => expectClose(b, [w.intercept, ...w.coef][k], 1e-12, `coef ${k}`));
  });

  it('--plot writes an SVG: y against x for one predictor, observed against fitted for several', async () => {
    const one = join(tmp, 'one.svg');
    const r = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'l2', '--plot', one]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote ${one}`);
    const svg = readFileSync(one, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<circle /g)?.length).toBe(47 + 1); // points + legend marker
    expect(svg).toContain('log.Te');
    const many = join(tmp, 'many.svg');
    expect((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--plot', many])).code).toBe(0);
    expect(readFileSync(many, 'utf8')).toContain('observed = fitted');
    const bad = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2', '--plot', join(tmp, 'no', 'such', 'dir.svg')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot write the plot/);
  });

  it('--taus: one table per tau, JSON with every fit and the least-squares reference, and the coefficient-against-tau plot', async () => {
    const taus = [0.1, 0.25, 0.5, 0.75, 0.9];
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--taus', taus.join(',')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Loss:   quantile regression at tau = 0.1, 0.25, 0.5, 0.75, 0.9');
    expect(r.stdout.match(/^tau = /gm)?.length).toBe(5);
    expect(r.stdout.match(/rank-inversion intervals/g)?.length).toBe(5);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--taus', taus.join(','), '--json'])).stdout);
    expect(j.taus).toEqual(taus);
    expect(j.fits.map((f: { tau: number }) => f.tau)).toEqual(taus);
    // the same numbers as the library: a quantile fit and summary() per tau, and ols
    const lib = await import('../../src/index.js');
    const data = readFileSync(STACKLOSS, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const Xs = data.map((row) => row.slice(1));
    const ys = data.map((row) => row[0]);
    taus.forEach((tau, i) => {
      const s = lib.summary(lib.quantile(Xs, ys, { tau }), Xs, ys);
      s.coefficients.forEach((c, k) => {
        expectClose(j.fits[i].inference.coefficients[k].estimate, c.estimate, 1e-12, `tau ${tau} coef ${k}`);
        if (Number.isFinite(c.ciLower)) expectClose(j.fits[i].inference.coefficients[k].ciLower, c.ciLower, 1e-12, `tau ${tau} lower ${k}`);
      });
    });
    expectClose(j.ols.coefficients['Air.Flow'], 0.7156402, 1e-6, 'ols slope');
    const out = join(tmp, 'taus.svg');
    const p = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--taus', taus.join(','), '--plot', out]);
    expect(p.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.match(/<g class="panel"/g)?.length).toBe(4);
    expect(svg.match(/<polygon class="band"/g)?.length).toBe(4);
    expect(svg.match(/<polyline class="estimate"/g)?.length).toBe(4);
    expect(svg.match(/<line class="ols"/g)?.length).toBe(4);
    expect(svg.match(/<line class="ols-ci"/g)?.length).toBe(8);
    expect(svg).toContain('95% rank-inversion interval');
    expect(svg).toContain('least squares ± 95% interval');
    for (const name of ['(Intercept)', 'Air.Flow', 'Water.Temp', 'Acid.Conc.']) expect(svg).toContain(`data-name="${name}"`);
    // --se none: estimates only, no band
    const none = join(tmp, 'taus-none.svg');
    expect((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--taus', '0.25,0.75', '--se', 'none', '--plot', none])).code).toBe(0);
    expect(readFileSync(none, 'utf8')).not.toContain('class="band"');
    // a tau outside (0, 1) is the library's INVALID_INPUT: exit 1
    const bad = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--taus', '0.5,1.5']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/tau/);
  });

  it('prints nothing on stderr when piped (no progress line)', async () => {
    let t = 0;
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'l2'], { isTTY: false, now: () => (t += 1000) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// L1 and quantile fits: these pass once the L1 kernel lands (they are not skipped on purpose).
describe('fit (L1 / quantile)', () => {
  it('fits stack loss by L1 (the default loss) with a certificate', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.loss).toBe('l1');
    expectClose(j.objective, 42.081159420289865, 1e-9, 'sum |r|');
    [j.intercept, ...j.coef].forEach((b: number, k: number) => expectClose(b, LAD_STACKLOSS[k], 1e-6, `coef ${k}`));
    expect(j.certificate.gap).toBeLessThanOrEqual(1e-9 * j.objective);
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss']);
    expect(t.stdout).toMatch(/Certificate:\s+primal 42\.08116/);
  });

  it('L1 inference defaults to rank-inversion intervals below 1001 rows (quantreg summary.rq), as the library', async () => {
    const fx = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'inference', 'rank.json'), 'utf8'));
    const ref = fx.cases.find((c: { name: string; tau: number; iid: boolean; level: number }) => c.name === 'stackloss' && c.tau === 0.5 && c.iid && c.level === 0.95);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--json'])).stdout);
    expect(j.inference).toMatchObject({ method: 'rank', level: 0.95, df: 17, tau: 0.5 });
    expect(j.inference.rank.iid).toBe(true);
    // quantreg's intervals (the Air.Flow lower bound differs on purpose: test/estimators/rank.test.ts).
    [0, 2, 3].forEach((k) => {
      expectClose(j.inference.coefficients[k].ciLower, ref.lower[k], 1e-8, `lower ${k}`);
      expectClose(j.inference.coefficients[k].ciUpper, ref.upper[k], 1e-8, `upper ${k}`);
    });
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss']);
    expect(t.stdout).toContain('Coefficients (none: rank-inversion intervals, iid rank test; critical value 2.1098 (t on 17 df)):');
    expect(t.stdout).toMatch(/\(Intercept\)\s+-39\.6899\s+-53\.7946\s+-24\.4915/);
    expect(t.stdout).not.toContain('Std. Error');
  });

  it('--iid false: the density-weighted rank intervals (quantreg summary.rq(se = "rank", iid = FALSE)); it implies --se rank', async () => {
    const fx = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'inference', 'rank.json'), 'utf8'));
    const ref = fx.cases.find((c: { name: string; tau: number; iid: boolean; level: number }) => c.name === 'stackloss' && c.tau === 0.5 && !c.iid && c.level === 0.9);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--iid', 'false', '--level', '0.9', '--json'])).stdout);
    expect(j.inference).toMatchObject({ method: 'rank', level: 0.9, tau: 0.5 });
    expect(j.inference.rank.iid).toBe(false);
    expect(j.inference.rank.h).toBeGreaterThan(0);
    // the upper ends and the intercept/Water.Temp/Acid.Conc. lower ends (Air.Flow's lower: test/estimators/rank.test.ts)
    [0, 1, 2, 3].forEach((k) => expectClose(j.inference.coefficients[k].ciUpper, ref.upper[k], 1e-8, `upper ${k}`));
    [0, 2, 3].forEach((k) => expectClose(j.inference.coefficients[k].ciLower, ref.lower[k], 1e-8, `lower ${k}`));
    const iid = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'rank', '--iid', 'true', '--level', '0.9', '--json'])).stdout);
    expect(iid.inference.rank.iid).toBe(true);
    expect(iid.inference.coefficients[2].ciUpper).not.toBe(j.inference.coefficients[2].ciUpper);
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--iid', 'false']);
    expect(t.stdout).toContain('density-weighted rank test');
  });

  it('L1 standard errors with --se nid equal quantreg summary.rq(se = "nid")', async () => {
    const fx = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'inference', 'quantile.json'), 'utf8'));
    const ref = fx.cases.find((c: { name: string; tau: number; se: string; hs: boolean }) => c.name === 'stackloss' && c.tau === 0.5 && c.se === 'nid' && c.hs);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'nid', '--json'])).stdout);
    expect(j.inference).toMatchObject({ method: 'nid', level: 0.95, df: 17, tau: 0.5, bandwidth: { rule: 'hall-sheather' } });
    expectClose(j.inference.bandwidth.h, ref.h, 1e-12, 'h');
    j.inference.coefficients.forEach((c: Record<string, number>, k: number) => {
      expectClose(c.stdError, ref.stdError[k], 1e-6, `nid SE ${k}`);
      expectClose(c.pValue, ref.pValueAccurate[k], 1e-5, `nid p ${k}`);
    });
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'nid']);
    expect(t.stdout).toContain('Coefficients (SE: nid, Hendricks-Koenker, Hall-Sheather h = 0.3522; t tests on 17 df):');
    expect(t.stdout).toMatch(/\(Intercept\)\s+-39\.6899\s+7\.14163\s+-5\.558\s+3\.473e-05\s+\*\*\*/);
    const ker = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'ker', '--json'])).stdout).inference;
    const kref = fx.cases.find((c: { name: string; tau: number; se: string; hs: boolean }) => c.name === 'stackloss' && c.tau === 0.5 && c.se === 'ker' && c.hs);
    expect(ker.method).toBe('ker');
    ker.coefficients.forEach((c: Record<string, number>, k: number) => expectClose(c.stdError, kref.stdError[k], 1e-6, `ker SE ${k}`));
  });

  it('--se boot is reproducible by --seed, and --reps sets B', async () => {
    const args = ['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'boot', '--reps', '40', '--json'];
    const a = JSON.parse((await cli([...args, '--seed', '7'])).stdout).inference;
    const b = JSON.parse((await cli([...args, '--seed', '7'])).stdout).inference;
    const c = JSON.parse((await cli([...args, '--seed', '8'])).stdout).inference;
    expect(a.method).toBe('boot');
    expect(a.bootstrap).toMatchObject({ B: 40, seed: 7, ci: 'wald' });
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.coefficients[1].stdError).not.toBe(c.coefficients[1].stdError);
    for (const row of a.coefficients) expect(Number.isFinite(row.stdError) && row.stdError > 0).toBe(true);
    const t = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--se', 'boot', '--reps', '40']);
    expect(t.stdout).toContain('Coefficients (SE: xy-pairs bootstrap, B = 40, seed = 1; t tests on 17 df):');
  });

  it('--tau implies quantile regression', async () => {
    const j = JSON.parse((await cli(['fit', STARS, '--y', 'log.light', '--tau', '0.9', '--json'])).stdout);
    expect(j.loss).toBe('quantile');
    expect(j.tau).toBe(0.9);
    expectClose(j.objective, 3.7863084112149528, 1e-9, 'check loss');
  });
});


describe('fit (Huber)', () => {
  it('reports the scale and the downweighted rows', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'huber']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Scale:\s+s = [\d.]+ \(estimated\), delta = 1\.345/);
    expect(r.stdout).toMatch(/Downweighted: \d+ of 21 rows/);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--delta', '2', '--json'])).stdout);
    expect(j.loss).toBe('huber');
    expect(j.delta).toBe(2);
    expect(j.scale).toBeGreaterThan(0);
    expect(j.downweighted.count).toBe(j.downweighted.lines.length);
  });

  it('shows z statistics with the H1 sandwich (statsmodels RLM); weighted fits keep the estimates and say why', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'huber', '--se', 'h2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Coefficients (SE: H2, Huber sandwich; z tests):');
    expect(r.stdout).toMatch(/Estimate\s+Std\. Error\s+z value\s+Pr\(>\|z\|\)/);
    expect(r.stdout.match(/^Scale:/gm)?.length).toBe(1);
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'huber', '--json'])).stdout);
    expect(j.inference).toMatchObject({ method: 'H1', distribution: 'normal', delta: 1.345 });
    const rows = readFileSync(STACKLOSS, 'utf8').trimEnd().split('\n');
    const weighted = rows[0] + ',w\n' + rows.slice(1).map((l) => `${l},1`).join('\n') + '\n';
    const w = await cli(['fit', csvFile(weighted), '--y', 'stack.loss', '--weights', 'w', '--loss', 'huber']);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/Coefficients \(SE: not available: \[INVALID_INPUT\] summary: weights are not supported for Huber inference/);
    expect(w.stdout).toMatch(/\(Intercept\)\s+-41\.14088/);
  });
});

describe('fit (MM)', () => {
  it('lists the flagged outliers by line (the four giants of starsCYG) with lmrob standard errors', async () => {
    const r = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'mm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Coefficients (SE: .vcov.avar1, robustbase lmrob; t tests on 45 df):');
    // rows 11, 20, 30, 34 are lines 12, 21, 31, 35 of the file (line 1 is the header)
    expect(r.stdout).toMatch(/Outliers:\s+4 of 47 rows have robustness weight < 0\.1\/n \(lines 12, 21, 31, 35\)/);
    expect(r.stdout).toMatch(/Scale:\s+s = 0\.47145\d* \(S-estimate\)/);
    const j = JSON.parse((await cli(['fit', STARS, '--y', 'log.light', '--loss', 'mm', '--json'])).stdout);
    expect(j.loss).toBe('mm');
    expect(j.outliers).toMatchObject({ count: 4, lines: [12, 21, 31, 35] });
    expect(j.inference.method).toBe('.vcov.avar1');
    expectClose(j.coef[0], 2.25316134778923, 1e-6, 'lmrob slope');
  });
});

describe('fit (smooth-L1)', () => {
  it('prints the estimates and says that smooth-L1 has no standard errors', async () => {
    const r = await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'smooth-l1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Coefficients (SE: none for smooth-l1 fits):');
    expect(r.stdout).not.toContain('Std. Error');
    const j = JSON.parse((await cli(['fit', STACKLOSS, '--y', 'stack.loss', '--loss', 'smooth-l1', '--json'])).stdout);
    expect(j.inference).toBeNull();
    expect(j.inferenceNote).toBe('none for smooth-l1 fits');
  });
});

describe('demo', () => {
  it('prints the stack loss L1 coefficients -39.69, 0.8319, 0.5739, -0.0609', async () => {
    const r = await cli(['demo']);
    const row = r.stdout.split('\n').find((l) => /^\s+L1\s/.test(l));
    expect(row, r.stdout + r.stderr).toBeDefined();
    const nums = row!.trim().split(/\s+/).slice(1, 5).map(Number);
    // Printed with 4 decimals: each must be the certified value rounded (|error| <= 5e-5).
    nums.forEach((b, k) => expect(Math.abs(b - LAD_STACKLOSS[k]), `L1 coef ${k}: ${b}`).toBeLessThanOrEqual(5.000001e-5));
    expect(row).toContain('-39.6899');
    expect(row).toContain('0.8319');
    expect(row).toContain('0.5739');
    expect(row).toContain('-0.0609');
  });

  it('shows both data sets, the least squares fits, and fits one screen', async () => {
    const r = await cli(['demo']);
    const lines = r.stdout.trimEnd().split('\n');
    // 40 lines before MM and LTS joined (issue 17): two rows per data set more, and the takeaway's
    // high-breakdown sentence
    expect(lines.length).toBeLessThanOrEqual(46);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(r.stdout).toContain('Stack loss (Brownlee 1965), n = 21');
    expect(r.stdout).toContain('n = 47: log.light ~ log.Te');
    expect(r.stdout).toContain('cases 1, 3, 4, 21');
    expect(r.stdout).toContain('11, 20, 30, 34');
    const l2 = lines.filter((l) => /^\s+L2\s+-?\d/.test(l));
    expect(l2.length).toBe(2);
    expect(l2[0]).toContain('-39.9197');
    expect(l2[0]).toContain('1.2953');
    expect(l2[1]).toContain('6.7935');
    expect(l2[1]).toContain('-0.4133');
    expect(r.stdout).toMatch(/^Takeaway: /m);
  });

  it('shows standard errors and 95% intervals of the stack loss L2 (classical) and L1 (nid) fits', async () => {
    const r = await cli(['demo']);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /^\s+SE, 95% CI\s+intercept\s+Air\.Flow\s+Water\.Temp\s+Acid\.Conc\.$/.test(l));
    expect(at, r.stdout).toBeGreaterThan(0);
    // R summary(lm): 11.8960 0.1349 0.3680 0.1563; quantreg summary.rq(se = "nid"): 7.1416 0.1269 0.3418 0.0604
    expect(lines[at + 1]).toMatch(/^\s+L2 classical\s+11\.8960\s+0\.1349\s+0\.3680\s+0\.1563$/);
    expect(lines[at + 2]).toMatch(/^\s+\[-65\.02, -14\.82\]\s+\[0\.4311, 1\.000\]\s+\[0\.5188, 2\.072\]\s+\[-0\.4819, 0\.1776\]$/);
    expect(lines[at + 3]).toMatch(/^\s+L1 nid\s+7\.1416\s+0\.1269\s+0\.3418\s+0\.0604$/);
    expect(lines[at + 4]).toMatch(/^\s+\[-54\.76, -24\.62\]\s+\[0\.5641, 1\.100\]\s+\[-0\.1472, 1\.295\]\s+\[-0\.1883, 0\.06659\]$/);
    expect(r.stdout).toContain('SE, CI: L2 classical, L1 nid (Hendricks-Koenker)');
    const j = JSON.parse((await cli(['demo', '--json'])).stdout);
    for (const d of j.datasets) {
      for (const f of d.fits) {
        expect(f.inference, `${d.id} ${f.label}`).toBeDefined();
        expect(f.inference.coefficients.length).toBe(d.predictors.length + 1);
        for (const c of f.inference.coefficients) {
          expect(Number.isFinite(c.stdError) && c.stdError > 0 && c.ciLower < c.estimate && c.estimate < c.ciUpper, `${d.id} ${f.label} ${c.name}`).toBe(true);
        }
      }
    }
    expect(j.datasets[0].fits.map((f: { inference: { method: string } }) => f.inference.method)).toEqual(['classical', 'nid', 'H1', 'nid', 'nid', 'nid', '.vcov.avar1', 'classical']);
  });

  it('--json holds every fit, clean refits and the computed takeaway', async () => {
    const r = await cli(['demo', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.command).toBe('demo');
    expect(j.datasets.map((d: { id: string }) => d.id)).toEqual(['stackloss', 'starsCYG']);
    const stars = j.datasets[1];
    expect(stars.outliers).toEqual([11, 20, 30, 34]);
    expect(stars.fits.map((f: { label: string }) => f.label)).toEqual(['L2', 'L1', 'Huber', 'Q(0.1)', 'Q(0.5)', 'Q(0.9)', 'MM', 'LTS']);
    const l2 = stars.fits[0];
    expectClose(l2.all.intercept, OLS_STARS[0], 1e-6);
    expectClose(l2.all.coef[0], OLS_STARS[1], 1e-6);
    // Without the giants the main sequence slopes upwards.
    expect(l2.clean.coef[0]).toBeGreaterThan(1.5);
    expect(l2.moved).toBeGreaterThan(1);
    // The giants are leverage points, the stack loss outliers are not.
    expect(Math.min(...stars.outlierLeverage)).toBeGreaterThan(stars.leverageThreshold);
    expect(Math.max(...j.datasets[0].outlierLeverage)).toBeLessThan(j.datasets[0].leverageThreshold);
    expect(typeof j.takeaway).toBe('string');
  });

  it('the takeaway quotes the computed movements (once L1 works)', async () => {
    const j = JSON.parse((await cli(['demo', '--json'])).stdout);
    const sl = j.datasets[0];
    const l1 = sl.fits[1];
    expectClose(l1.all.intercept, LAD_STACKLOSS[0], 1e-6);
    expect(l1.moved).toBeLessThan(sl.fits[0].moved / 2);
    expect(j.takeaway).toContain(`${Math.round(100 * sl.fits[0].moved)}%`);
    expect(j.takeaway).toMatch(/L1 bounds the pull of outlying responses/);
    const stars = j.datasets[1];
    expectClose(stars.fits[1].all.coef[0], LAD_STARS[1], 1e-6);
    // the high-breakdown fits hold on the stars (leverage points): MM is robustbase lmrob's fit
    const mmFit = stars.fits.find((f: { key: string }) => f.key === 'mm');
    const ltsFit = stars.fits.find((f: { key: string }) => f.key === 'lts');
    expectClose(mmFit.all.coef[0], 2.25316134778923, 1e-6, 'lmrob slope');
    expect(mmFit.moved).toBeLessThan(0.1);
    expect(ltsFit.moved).toBeLessThan(0.1);
    expect(j.takeaway).toContain(`MM ${(100 * mmFit.moved).toFixed(1)}%`);
    expect(j.takeaway).toMatch(/The high-breakdown fits hold there.*use --loss mm or --loss lts/);
  });

  it('--plot writes the star cluster with fitted lines, marked giants, legend and ticks', async () => {
    const path = join(tmp, 'stars.svg');
    const r = await cli(['demo', '--plot', path]);
    expect(r.stderr).toContain(`wrote ${path}`);
    const svg = readFileSync(path, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<circle /g)?.length).toBe(43 + 1);
    expect(svg.match(/<path d="M/g)?.length).toBe(4 + 1);
    expect(svg).toContain('red giants (11, 20, 30, 34)');
    expect(svg).toContain('L2 (least squares)');
    expect(svg).toContain('log.Te (log surface temperature)');
    expect(svg).toContain('>4.0<');
  });

  // Needs every loss of the demo.
  it('exits 0 with every fit available', async () => {
    const r = await cli(['demo']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('n/a');
  });
});
