// `robustreg fit --loss lts`: the summary lists the flagged rows by physical line and data row, the
// JSON carries them, --alpha/--subsamples imply the loss, --seed sets the random starts, and the
// coefficient table is summary(ltsReg)'s (robustbase fixture values).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/run.js';
import { init } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STARS = join(root, 'data', 'starsCYG.csv');
const FX = JSON.parse(readFileSync(new URL('../fixtures/robust/lts.json', import.meta.url), 'utf8'));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await init();
  let stdout = '', stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stdin: '', isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('robustreg fit --loss lts', () => {
  it('starsCYG: the giants are listed by line and row; coefficients and SEs are robustbase summary(ltsReg)', async () => {
    const r = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'lts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Loss:   lts (least trimmed squares');
    expect(r.stdout).toMatch(/Outliers: +6 of 47 rows/);
    for (const row of [7, 9, 11, 20, 30, 34]) expect(r.stdout).toContain(`line ${row + 1} (row ${row})`);
    expect(r.stdout).toContain('h = 25 of 47 rows');
    const c = FX.cases.find((k: { name: string }) => k.name === 'starsCYG');
    const slope = r.stdout.split('\n').find((l) => l.trim().startsWith('log.Te'))!;
    expect(Number(slope.trim().split(/\s+/)[1])).toBeCloseTo(c.summary.estimate[1], 4);
    expect(Number(slope.trim().split(/\s+/)[2])).toBeCloseTo(c.summary.se[1], 4);
  });
  it('--json carries the flagged rows, h, alpha and the raw fit', async () => {
    const r = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'lts', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.loss).toBe('lts');
    expect(j.outliers.rows).toEqual([7, 9, 11, 20, 30, 34]);
    expect(j.outliers.lines).toEqual([8, 10, 12, 21, 31, 35]);
    expect(j.h).toBe(25);
    expect(j.alpha).toBe(0.5);
    const c = FX.cases.find((k: { name: string }) => k.name === 'starsCYG');
    expect(Math.abs(j.raw.objective / c.raw.objective - 1)).toBeLessThan(1e-9);
    expect(j.inference.method).toBe('classical');
  });
  it('--alpha implies --loss lts; --seed sets the starts; bad values are input errors', async () => {
    const a = await cli(['fit', STARS, '--y', 'log.light', '--alpha', '0.75', '--seed', '3', '--json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).loss).toBe('lts');
    expect(JSON.parse(a.stdout).alpha).toBe(0.75);
    const b = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'lts', '--alpha', '0.2']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/alpha must be a number in \[0.5, 1\), received 0.2/);
    const c = await cli(['fit', STARS, '--y', 'log.light', '--loss', 'l2', '--alpha', '0.6']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--alpha\/--subsamples applies to --loss lts, not l2/);
  });
});
