// Precise result types (issue 16): a consumer compiled under `tsc --strict` reads lad(...).certificate.gap,
// ols(...).rcond, fit({ loss: 'huber' }).outliers, ... without `!`; and the strict check is live:
// a consumer that reads an optional field of the general FitResult, or widens a status, is rejected.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('./consumer/', import.meta.url));

// One program for both files (compiling src/ once takes seconds).
let all: string[] | undefined;
function diagnostics(file: string): string[] {
  all ??= compile();
  return all.filter((d) => d.startsWith(`${file}:`));
}

function compile(): string[] {
  const program = ts.createProgram([dir + 'strict.ts', dir + 'strict-fails.ts'], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.split('/').pop()}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('result types under tsc --strict', () => {
  it('a consumer reads every loss-specific field without `!`', () => {
    expect(diagnostics('strict.ts')).toEqual([]);
  });

  it('the general FitResult keeps them optional, and precise statuses do not widen (the check can fail)', () => {
    const d = diagnostics('strict-fails.ts');
    expect(d).toHaveLength(2);
    expect(d[0]).toMatch(/strict-fails\.ts:8 TS(2532|18048): .*possibly 'undefined'/);
    expect(d[1]).toMatch(/strict-fails\.ts:9 TS2322: Type '"solved"' is not assignable to type '"optimal"'/);
  });
});
