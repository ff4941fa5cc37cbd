// docs/api.md stays complete and its examples stay true (issue 7):
// (a) every export of src/index.ts — functions, classes with their public members, interfaces and
//     object types with every field, string-literal unions with every member (ErrorCode, Loss, ...)
//     — is documented under its own heading, found through the TypeScript compiler API; option
//     tables give a default and a valid range for every field, and the defaults the code defines as
//     constants are the ones printed;
// (b) every ```js / ```ts block of docs/api.md runs (against src/, imports of 'robustreg' rewritten)
//     and asserts something, so a wrong example fails the suite.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { L1_DEFAULT_MAXITER, L1_DEFAULT_TOL } from '../../src/fit/solvers.js';
import { HUBER_DEFAULT_DELTA, IRLS_DEFAULT_MAXITER, IRLS_DEFAULT_TOL, SMOOTH_L1_DEFAULT_REL_EPSILON } from '../../src/fit/robust.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DOC_PATH = join(root, 'docs', 'api.md');
const doc = readFileSync(DOC_PATH, 'utf8');
const INDEX = join(root, 'src', 'index.ts');

// --------------------------------------------------------------------------------- the markdown

interface Section {
  level: number;
  heading: string;
  /** The heading's first code span, e.g. "fit(X, y, options)" or "Dataset". */
  code: string | null;
  /** Text from the heading to the next heading of the same or a higher level. */
  body: string;
}

/** Markdown outside fenced code blocks, as lines (code blocks blanked so '#' comments are not headings). */
function proseLines(md: string): string[] {
  let inFence = false;
  return md.split('\n').map((l) => {
    if (/^```/.test(l)) {
      inFence = !inFence;
      return '';
    }
    return inFence ? '' : l;
  });
}

function sections(md: string): Section[] {
  const lines = proseLines(md);
  const heads: { i: number; level: number; heading: string }[] = [];
  lines.forEach((l, i) => {
    const m = /^(#{1,4}) (.*)$/.exec(l);
    if (m) heads.push({ i, level: m[1].length, heading: m[2] });
  });
  return heads.map((h, k) => {
    let end = lines.length;
    for (let j = k + 1; j < heads.length; j++) {
      if (heads[j].level <= h.level) {
        end = heads[j].i;
        break;
      }
    }
    const code = /`([^`]+)`/.exec(h.heading);
    return { level: h.level, heading: h.heading, code: code ? code[1] : null, body: lines.slice(h.i, end).join('\n') };
  });
}

const SECTIONS = sections(doc);

/** The section whose heading documents `name`: a code span `name`, `name(...)` or `name<...>`. */
function sectionOf(name: string): Section | undefined {
  return SECTIONS.find((s) => s.code !== null && new RegExp(`^${name}(?:$|[(<])`).test(s.code));
}

function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}

/** Table rows of a section: cells without the outer pipes (escaped \| kept inside cells). */
function tableRows(body: string): string[][] {
  return body.split('\n')
    .filter((l) => /^\|.*\|\s*$/.test(l) && !/^\|\s*-/.test(l))
    .map((l) => l.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

/** The row whose first cell is the code span `field` (or `field?`). */
function fieldRow(body: string, field: string): string[] | undefined {
  return tableRows(body).find((r) => r[0] === `\`${field}\`` || r[0] === `\`${field}?\``);
}

/** Types named as bases in the section ("Extends `FitResult`", "every field of `FitOptions`"). */
function basesOf(body: string): string[] {
  return [...body.matchAll(/(?:Extends|every field of|all fields of)\s+`(\w+)`/g)].map((m) => m[1]);
}

// ------------------------------------------------------------------------- the exports (TS API)

interface ExportInfo {
  name: string;
  kind: 'function' | 'class' | 'object-type' | 'literal-union' | 'other-type' | 'value';
  /** Fields of an interface / object type (including inherited ones). */
  fields: string[];
  /** Public members of a class (instance and static), constructor as 'constructor'. */
  members: string[];
  /** Members of a string-literal union. */
  literals: string[];
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
}

function readExports(): { exports: ExportInfo[]; fieldsOf: (name: string) => string[] } {
  const program = ts.createProgram([INDEX], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, skipLibCheck: true, noEmit: true, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(INDEX)!;
  const mod = checker.getSymbolAtLocation(sf)!;
  const byName = new Map<string, ts.Symbol>();
  const out: ExportInfo[] = [];
  for (const e of checker.getExportsOfModule(mod)) {
    const s = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    const name = e.getName();
    byName.set(name, s);
    const info: ExportInfo = { name, kind: 'value', fields: [], members: [], literals: [] };
    if (s.flags & ts.SymbolFlags.Class) {
      info.kind = 'class';
      const decl = s.declarations!.find(ts.isClassDeclaration)!;
      for (const m of decl.members) {
        const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
        if (mods.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        if (m.name && ts.isPrivateIdentifier(m.name)) continue;
        if (isInternal(m)) continue;
        if (ts.isConstructorDeclaration(m)) info.members.push('constructor');
        else if (m.name) info.members.push(m.name.getText(m.getSourceFile()));
      }
    } else if (s.flags & ts.SymbolFlags.Function) {
      info.kind = 'function';
    } else if (s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const t = checker.getDeclaredTypeOfSymbol(s);
      if (t.isUnion() && t.types.every((u) => u.isStringLiteral())) {
        info.kind = 'literal-union';
        info.literals = t.types.map((u) => (u as ts.StringLiteralType).value);
      } else if (t.isUnion()) {
        info.kind = 'other-type';
      } else {
        info.kind = 'object-type';
        info.fields = checker.getPropertiesOfType(t).map((p) => p.getName());
      }
    }
    out.push(info);
  }
  const fieldsOf = (name: string): string[] => {
    const s = byName.get(name);
    if (!s) return [];
    return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s)).map((p) => p.getName());
  };
  return { exports: out, fieldsOf };
}

const { exports: EXPORTS, fieldsOf } = readExports();

describe('docs/api.md documents every export', () => {
  it('the TypeScript view of src/index.ts agrees with the runtime exports', () => {
    const runtime = Object.keys(lib).sort();
    const values = EXPORTS.filter((e) => e.kind === 'function' || e.kind === 'class' || e.kind === 'value').map((e) => e.name).sort();
    expect(values).toEqual(runtime);
    // sanity: the parse found the types too (a broken parse must not pass vacuously)
    expect(EXPORTS.length).toBeGreaterThan(runtime.length + 20);
    for (const n of ['FitResult', 'FitOptions', 'ErrorCode', 'Summary', 'XInput', 'GramAccumulatorJSON']) {
      expect(EXPORTS.map((e) => e.name)).toContain(n);
    }
  });

  it.each(EXPORTS.map((e) => [e.name, e] as const))('%s has its own heading', (name) => {
    expect(sectionOf(name), `no heading with \`${name}\` in docs/api.md`).toBeDefined();
  });

  const classes = EXPORTS.filter((e) => e.kind === 'class');
  it.each(classes.map((e) => [e.name, e] as const))('class %s: every public member is documented', (name, e) => {
    expect(e.members.length).toBeGreaterThan(0);
    const spans = codeSpans(sectionOf(name)!.body);
    const missing = e.members.filter((m) => {
      if (m === 'constructor') return !spans.some((s) => s.startsWith(`new ${name}(`) || s.startsWith(`new ${name}`));
      const bare = m.replace(/^\[(.*)\]$/, '$1');
      return !spans.some((s) => new RegExp(`^(?:[A-Za-z]+\\.)?\\[?${bare.replace(/[.[\]]/g, '\\$&')}\\]?(?:$|[(\\s<:])`).test(s));
    });
    expect(missing, `${name}: members without a code span in its section`).toEqual([]);
  });

  const objects = EXPORTS.filter((e) => e.kind === 'object-type');
  it.each(objects.map((e) => [e.name, e] as const))('type %s: every field is in its table', (name, e) => {
    const s = sectionOf(name)!;
    const inherited = new Set(basesOf(s.body).flatMap((b) => fieldsOf(b)));
    const missing = e.fields.filter((f) => !fieldRow(s.body, f) && !inherited.has(f));
    expect(missing, `${name}: fields without a table row`).toEqual([]);
    // and no stale rows: every row names a real field (or is a member table of a class)
    const rows = tableRows(s.body).slice(1).map((r) => /^`(\w+)\??`$/.exec(r[0])?.[1]).filter((f): f is string => f !== undefined);
    expect(rows.filter((f) => !e.fields.includes(f)), `${name}: rows for fields that do not exist`).toEqual([]);
  });

  const options = objects.filter((e) => /Options$/.test(e.name));
  it.each(options.map((e) => [e.name, e] as const))('options %s: every row gives a default and a valid range', (name) => {
    const s = sectionOf(name)!;
    const header = tableRows(s.body)[0];
    expect(header.slice(0, 5), `${name}: option tables are | field | type | default | valid values | meaning |`)
      .toEqual(['field', 'type', 'default', 'valid values', 'meaning']);
    for (const row of tableRows(s.body).slice(1)) {
      expect(row.length, `${name} ${row[0]}`).toBe(5);
      for (const cell of row) expect(cell.length, `${name} ${row[0]}: empty cell`).toBeGreaterThan(0);
    }
  });

  const unions = EXPORTS.filter((e) => e.kind === 'literal-union');
  it.each(unions.map((e) => [e.name, e] as const))('union %s: every member is documented', (name, e) => {
    expect(e.literals.length).toBeGreaterThan(1);
    const spans = codeSpans(sectionOf(name)!.body);
    const missing = e.literals.filter((v) => !spans.some((sp) => sp.includes(`'${v}'`)));
    expect(missing).toEqual([]);
  });

  it('ErrorCode: one table row per code, each with its cause', () => {
    const codes = EXPORTS.find((e) => e.name === 'ErrorCode')!.literals;
    const rows = tableRows(sectionOf('ErrorCode')!.body).slice(1);
    expect(rows.map((r) => r[0].replace(/[`']/g, ''))).toEqual(codes);
    for (const r of rows) expect(r[1].length).toBeGreaterThan(20);
  });

  it('the defaults printed are the constants the code uses', () => {
    const def = (type: string, field: string): string => {
      const row = fieldRow(sectionOf(type)!.body, field);
      expect(row, `${type}.${field}`).toBeDefined();
      return row![2];
    };
    const cases: [string, string, string][] = [
      ['L1Options', 'maxIter', String(L1_DEFAULT_MAXITER)],
      ['L1Options', 'tol', String(L1_DEFAULT_TOL)],
      ['QuantileOptions', 'maxIter', String(L1_DEFAULT_MAXITER)],
      ['QuantileOptions', 'tol', String(L1_DEFAULT_TOL)],
      ['PathOptions', 'maxIter', String(L1_DEFAULT_MAXITER)],
      ['PathOptions', 'tol', String(L1_DEFAULT_TOL)],
      ['HuberOptions', 'delta', String(HUBER_DEFAULT_DELTA)],
      ['HuberOptions', 'maxIter', String(IRLS_DEFAULT_MAXITER)],
      ['HuberOptions', 'tol', String(IRLS_DEFAULT_TOL)],
      ['SmoothL1Options', 'maxIter', String(IRLS_DEFAULT_MAXITER)],
      ['SmoothL1Options', 'tol', String(IRLS_DEFAULT_TOL)],
      ['SmoothL1Options', 'epsilon', String(SMOOTH_L1_DEFAULT_REL_EPSILON)],
      ['FitOptions', 'delta', String(HUBER_DEFAULT_DELTA)],
      ['FitOptions', 'maxIter', String(L1_DEFAULT_MAXITER)],
      ['FitOptions', 'maxIter', String(IRLS_DEFAULT_MAXITER)],
    ];
    for (const [type, field, value] of cases) {
      expect(def(type, field).split(/[^\d.e+-]+/), `${type}.${field} default`).toContain(value);
    }
  });

  it('defaults that are behaviour, not constants, hold at run time', async () => {
    await lib.init();
    const X = [[1], [2], [3], [4], [5], [6], [7], [8]];
    const y = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2, 12.9, 15.1];
    expect(def1('QuantileOptions', 'tau')).toBe('0.5');
    expect(lib.quantile(X, y).tau).toBe(0.5);
    expect(def1('SummaryOptions', 'level')).toBe('0.95');
    const s = lib.summary(lib.lad(X, y), X, y, { se: 'boot', B: 2 });
    expect(s.level).toBe(0.95);
    expect(s.bootstrap?.seed).toBe(Number(def1('SummaryOptions', 'seed')));
    expect(lib.summary(lib.lad(X, y), X, y, { se: 'boot' }).bootstrap?.B).toBe(Number(def1('SummaryOptions', 'B')));
    // se's default depends on n (quantreg's summary.rq): the cell names both, small n first.
    const [seSmall, seLarge] = [...def1('SummaryOptions', 'se').matchAll(/`'(\w+)'`/g)].map((m) => m[1]);
    expect(lib.summary(lib.lad(X, y), X, y).method).toBe(seSmall);
    const Xl = Array.from({ length: 1001 }, (_, i) => [i % 37 + Math.sin(i)]);
    const yl = Xl.map(([x], i) => 2 * x + Math.cos(3 * i));
    expect(lib.summary(lib.lad(Xl, yl), Xl, yl).method).toBe(seLarge);
    expect(lib.huber(X, y).delta).toBe(Number(def1('HuberOptions', 'delta')));
    expect(lib.weightedQuantile([1, 2, 3, 4], [1, 1, 1, 1])).toBe(lib.weightedQuantile([1, 2, 3, 4], [1, 1, 1, 1], 0.5));
  });
});

function def1(type: string, field: string): string {
  return fieldRow(sectionOf(type)!.body, field)![2];
}

// ----------------------------------------------------------------------------------- examples

interface Example {
  lang: string;
  line: number;
  code: string;
}

function examples(md: string): Example[] {
  const out: Example[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^```(js|ts|javascript|typescript)\s*$/.exec(lines[i]);
    if (!m) {
      if (/^```/.test(lines[i])) {
        // skip other fences (and their content) entirely
        i++;
        while (i < lines.length && !/^```/.test(lines[i])) i++;
      }
      continue;
    }
    const start = i + 1;
    i++;
    while (i < lines.length && !/^```/.test(lines[i])) i++;
    out.push({ lang: m[1], line: start, code: lines.slice(start, i).join('\n') });
  }
  return out;
}

const EXAMPLES = examples(doc);
// one directory per test process: the release and debug projects may run this file at the same time
const scratch = join(root, 'test-artifacts', `api-examples-${process.pid}`);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docs/api.md examples run and assert', () => {
  it('there are examples for the main entry points, and each asserts something', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(20);
    for (const ex of EXAMPLES) {
      expect(ex.code, `example at docs/api.md:${ex.line}`).toMatch(/\bassert(\.\w+)?\(/);
      expect(ex.code, `example at docs/api.md:${ex.line} imports robustreg`).toMatch(/from 'robustreg'/);
    }
    const all = EXAMPLES.map((e) => e.code).join('\n');
    const called = new Set([...all.matchAll(/\b(\w+)\(/g)].map((m) => m[1]));
    const functions = EXPORTS.filter((e) => e.kind === 'function' || e.kind === 'class').map((e) => e.name);
    const unexercised = functions.filter((f) => !called.has(f) && !new RegExp(`new ${f}\\b|\\b${f}\\.|instanceof ${f}\\b`).test(all));
    expect(unexercised, 'exported functions/classes no example calls').toEqual([]);
  });

  const srcIndex = pathToFileURL(INDEX).href;
  it.each(EXAMPLES.map((e) => [e.line, e] as const))('example at docs/api.md:%i', async (_line, ex) => {
    const file = join(scratch, `example-${ex.line}.${ex.lang.startsWith('t') ? 'ts' : 'mjs'}`);
    const code = ex.code.replace(/from 'robustreg'/g, `from ${JSON.stringify(srcIndex)}`);
    // a module per example: top-level await, its own scope; assertion failures reject the import
    writeFileSync(file, `${code}\nexport const __done = true;\n`);
    const mod = await import(/* @vite-ignore */ `${pathToFileURL(file).href}?t=${Date.now()}`);
    expect(mod.__done).toBe(true);
  });
});
