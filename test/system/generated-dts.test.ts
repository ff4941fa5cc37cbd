// The published type declarations of the generated modules (issue 15, item 10): tsc used to emit
// the whole base64 binary (65 kB) and the worker's source (69 kB) as string-literal types in the
// published .d.ts (now dist/backend/wasm.generated.d.ts and dist/async/worker.generated.d.ts). The
// generators annotate the constants, so the declarations say `string`. Checked on the files `npm test`
// generates (pretest), through TypeScript's own declaration emitter.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = (p: string) => readFileSync(new URL(`../../src/${p}`, import.meta.url), 'utf8');
const declarations = (p: string) =>
  ts.transpileDeclaration(src(p), { fileName: p, compilerOptions: { declaration: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;

describe('generated modules declare plain types', () => {
  it('backend/wasm.generated.ts: WASM_BASE64 and WASM_SHA256 are string, WASM_BYTES number', () => {
    const d = declarations('backend/wasm.generated.ts');
    expect(d).toContain('export declare const WASM_BASE64: string;');
    expect(d).toContain('export declare const WASM_SHA256: string;');
    expect(d).toContain('export declare const WASM_BYTES: number;');
    expect(d.length).toBeLessThan(1000);
    expect(src('backend/wasm.generated.ts').length).toBeGreaterThan(40_000); // the binary is still there
  });

  it('async/worker.generated.ts: WORKER_SOURCE is string', () => {
    const d = declarations('async/worker.generated.ts');
    expect(d).toContain('export declare const WORKER_SOURCE: string;');
    expect(d.length).toBeLessThan(1000);
  });
});
