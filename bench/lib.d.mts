// Types for bench/lib.mjs (used by test/system/bench-smoke.test.ts).
export interface BenchData {
  n: number; p: number; seed: number; df: number; outlierFrac: number;
  /** Row-major n × p predictors (no intercept column). */
  X: Float64Array; y: Float64Array; beta: Float64Array;
}
export interface Rng { u32(): number; uniform(): number; normal(): number }
export const BENCH_DIR: string;
export const ROOT: string;
export const TOL: Readonly<{ l2Coef: number; lpObjective: number; twin: number; fixture: number; interiorPoint: number }>;
export function makeRng(seed: number): Rng;
export function seedFor(n: number, p: number, base?: number): number;
export function trueBeta(p: number): Float64Array;
export function makeData(o: { n: number; p: number; seed?: number; df?: number; outlierFrac?: number }): BenchData;
export function sha256(a: ArrayBufferView): string;
export function dataHash(d: BenchData): string;
export function asMatrixLike(d: BenchData): { data: Float64Array; rows: number; cols: number; layout: 'row-major' };
export function toRows(d: BenchData, withOnes?: boolean): number[][];
export function checkObjective(d: Pick<BenchData, 'n' | 'p' | 'X' | 'y'>, intercept: number, coef: ArrayLike<number>, tau: number, lad?: boolean): number;
export function sumSquares(d: Pick<BenchData, 'n' | 'p' | 'X' | 'y'>, intercept: number, coef: ArrayLike<number>): number;
export class BenchValidationError extends Error { details: Record<string, unknown> }
export function relDiff(a: number, b: number): number;
type Cell = string | { n: number; p: number; tau?: number };
export function validateCoef(o: { suite: string; cell: Cell; who: string; against?: string; got: ArrayLike<number>; ref: ArrayLike<number>; rtol?: number }): number;
export function validateObjective(o: { suite: string; cell: Cell; who: string; against?: string; got: number; ref: number; rtol: number }): number;
export function buildLpCsc(d: Pick<BenchData, 'n' | 'p' | 'X' | 'y'>, tau: number, lad?: boolean): {
  numCols: number; numRows: number; colCost: Float64Array; colLower: Float64Array; colUpper: Float64Array;
  rowLower: Float64Array; rowUpper: Float64Array;
  matrix: { format: 'csc'; numRows: number; numCols: number; starts: Int32Array; indices: Int32Array; values: Float64Array };
};
export function buildLpText(d: Pick<BenchData, 'n' | 'p' | 'X' | 'y'>, tau: number, lad?: boolean): string;
export function machineInfo(): Record<string, unknown>;
export function fmtMs(ms: number | undefined): string;
export function fmtRatio(r: number): string;
export function fmtN(n: number): string;
export function renderTable(header: unknown[], rows: unknown[][]): string;
export function parseList(s: string, what: string): number[];
export function readPackageVersion(name: string): string | null;
export const PEERS: string[];
