// The CLI's model frame against R (scripts/frame-fixtures.R): files written by R's write.csv (row
// names included) and the coefficients of lm() and quantreg::rq() on the same model. Checks R's
// model.matrix coding (text → treatment-coded factor, logical → colTRUE, --factor), na.omit
// (the rows dropped, by R row name) and the estimates to 1e-10.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/run.js';

const dir = fileURLToPath(new URL('../fixtures/frame/', import.meta.url));
interface Case { name: string; args: string[]; n: number; droppedRows: number[]; names: string[]; lm: number[]; rq: number[]; rqObjective: number; rqNonUnique: boolean }
const cases = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Case[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON output, checked field by field below
async function fitJson(args: string[]): Promise<Record<string, any>> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdin: '', isTTY: false };
  const code = await main([...args, '--json'], io);
  if (code !== 0) throw new Error(`exit ${code}: ${stderr}`);
  return JSON.parse(stdout);
}

/** |a − b| ≤ tol · max(|b|, 1e-3 · the largest |coefficient|). */
function expectCoefs(got: Record<string, number>, names: string[], want: number[], tol: number): void {
  expect(Object.keys(got)).toEqual(names);
  const big = Math.max(...want.map(Math.abs));
  names.forEach((nm, k) => {
    const d = Math.abs(got[nm] - want[k]);
    const scale = Math.max(Math.abs(want[k]), 1e-3 * big);
    if (!(d <= tol * scale)) throw new Error(`${nm}: got ${got[nm]}, R ${want[k]}, |d| ${d.toExponential(2)} > ${tol} × ${scale.toExponential(2)}`);
  });
}

describe.each(cases)('$name (R write.csv file)', (c) => {
  const file = join(dir, `${c.name}.csv`);

  it('least squares: lm() coefficients, names and dropped rows', async () => {
    const j = await fitJson(['fit', file, ...c.args, '--loss', 'l2']);
    expect(j.n).toBe(c.n);
    expectCoefs(j.coefficients, c.names, c.lm, 1e-10);
    // R's row names are the labels; R numbers rows from 1, the file's data start on line 2
    expect(j.droppedRows.count).toBe(c.droppedRows.length);
    expect(j.droppedRows.labels).toEqual(c.droppedRows.map(String));
    expect(j.droppedRows.lines).toEqual(c.droppedRows.map((i) => i + 1));
  });

  it('L1: rq(tau = 0.5) objective, and its coefficients when R says the solution is unique', async () => {
    const j = await fitJson(['fit', file, ...c.args, '--loss', 'l1', '--se', 'none']);
    expect(Math.abs(j.objective - c.rqObjective)).toBeLessThanOrEqual(1e-10 * c.rqObjective);
    if (!c.rqNonUnique) expectCoefs(j.coefficients, c.names, c.rq, 1e-10);
  });
});

it('the summary names the factor levels, the reference and the dropped rows', async () => {
  let out = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => 0 }, stdin: '', isTTY: false };
  await main(['fit', join(dir, 'airquality.csv'), '--y', 'Ozone', '--x', 'Solar.R,Wind,Temp,Month', '--factor', 'Month', '--loss', 'l2'], io);
  expect(out).toContain('Model:  Ozone ~ Solar.R + Wind + Temp + Month');
  expect(out).toContain('dropped 42 rows with missing values (rows "5", "6", "10", "11", "25", "26", "27", "32", ...; lines 6, 7, 11, 12, 26, 27, 28, 33, ...)');
  expect(out).toContain('Month: factor (5, 6, 7, 8, 9), reference 5');
  expect(out).toMatch(/Month9\s+-?\d/);
});
