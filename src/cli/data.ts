// From a CSV table of strings to the numeric arrays a fit needs: resolve column names, convert
// fields, find missing values (reported with their line numbers, or dropped on request).
import { isInfiniteToken, isMissingToken, toNumber, type CsvTable } from './csv.js';
import { InputError } from './errors.js';

/**
 * Find a column by exact name, else by 1-based position ("3"). `what` names the flag for messages.
 */
export function resolveColumn(t: CsvTable, ref: string, what: string): number {
  const name = ref.trim();
  const j = t.names.indexOf(name);
  if (j >= 0) return j;
  if (/^[1-9]\d*$/.test(name) && Number(name) <= t.names.length) return Number(name) - 1;
  const shown = t.names.length > 12 ? `${t.names.slice(0, 12).join(', ')}, … (${t.names.length} in all)` : t.names.join(', ');
  throw new InputError(`column "${name}" (${what}) is not in the data; columns are: ${shown}` + (t.hasHeader ? '' : ' (no header row was detected)'));
}

export interface Design {
  /** Row-major n × p. */
  X: Float64Array;
  y: Float64Array;
  weights?: Float64Array;
  n: number;
  p: number;
  xNames: string[];
  yName: string;
  weightsName?: string;
  /** Physical lines of the rows used. */
  lines: number[];
  /** Physical lines of rows dropped for missing values. */
  droppedLines: number[];
}

export interface DesignRequest {
  y: string;
  /** Predictor columns; default: every column except y and the weights column. */
  x?: string[];
  weights?: string;
  dropMissing: boolean;
}

const MAX_LISTED = 8;

export function buildDesign(t: CsvTable, req: DesignRequest): Design {
  const yIdx = resolveColumn(t, req.y, '--y');
  const wIdx = req.weights === undefined ? -1 : resolveColumn(t, req.weights, '--weights');
  if (wIdx === yIdx) throw new InputError(`--weights names the response column "${t.names[yIdx]}"`);
  let xIdx: number[];
  if (req.x === undefined) {
    xIdx = t.names.map((_, j) => j).filter((j) => j !== yIdx && j !== wIdx);
  } else {
    xIdx = req.x.map((ref) => resolveColumn(t, ref, '--x'));
    for (let a = 0; a < xIdx.length; a++) {
      if (xIdx[a] === yIdx) throw new InputError(`--x includes the response column "${t.names[yIdx]}"`);
      if (xIdx[a] === wIdx) throw new InputError(`--x includes the weights column "${t.names[wIdx]}"`);
      if (xIdx.indexOf(xIdx[a]) !== a) throw new InputError(`--x names column "${t.names[xIdx[a]]}" twice`);
    }
  }
  const used = [yIdx, ...xIdx, ...(wIdx >= 0 ? [wIdx] : [])];

  // One pass: convert every used field; the first non-numeric text is an error, missing values
  // are collected per row (and the row is dropped, or reported).
  const p = xIdx.length;
  const nw = wIdx >= 0 ? 1 : 0;
  const width = 1 + p + nw;
  const vals = new Float64Array(t.rows.length * width);
  const missing: { line: number; cols: string[] }[] = [];
  const keep: number[] = [];
  for (let i = 0; i < t.rows.length; i++) {
    const row = t.rows[i];
    let miss: string[] | null = null;
    for (let k = 0; k < width; k++) {
      const j = used[k];
      const f = row[j];
      const v = toNumber(f);
      if (Number.isFinite(v)) {
        vals[i * width + k] = v;
        continue;
      }
      if (isMissingToken(f)) {
        (miss ??= []).push(t.names[j]);
        continue;
      }
      const shown = JSON.stringify(f.length > 40 ? f.slice(0, 40) + '…' : f);
      const what = v === v ? 'is too large for a double' : isInfiniteToken(f) ? 'is not a finite number' : 'is not a number';
      throw new InputError(`line ${t.lines[i]}, column "${t.names[j]}": ${shown} ${what}`);
    }
    if (miss) missing.push({ line: t.lines[i], cols: miss });
    else keep.push(i);
  }
  if (missing.length > 0 && !req.dropMissing) {
    const listed = missing
      .slice(0, MAX_LISTED)
      .map((m) => `line ${m.line} (${m.cols.join(', ')})`)
      .join(', ');
    const more = missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : '';
    throw new InputError(
      `missing values (empty, NA or NaN) in ${missing.length} row${missing.length === 1 ? '' : 's'}: ${listed}${more}; ` +
        'use --drop-missing to drop those rows',
    );
  }
  const n = keep.length;
  if (n === 0) throw new InputError(`no rows left: all ${t.rows.length} rows have missing values`);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const weights = nw ? new Float64Array(n) : undefined;
  keep.forEach((i, r) => {
    const o = i * width;
    y[r] = vals[o];
    for (let j = 0; j < p; j++) X[r * p + j] = vals[o + 1 + j];
    if (weights) weights[r] = vals[o + 1 + p];
  });
  return {
    X,
    y,
    weights,
    n,
    p,
    xNames: xIdx.map((j) => t.names[j]),
    yName: t.names[yIdx],
    weightsName: wIdx >= 0 ? t.names[wIdx] : undefined,
    lines: keep.map((i) => t.lines[i]),
    droppedLines: missing.map((m) => m.line),
  };
}
