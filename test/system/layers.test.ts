// The layering of src/ (docs/design.md "How src/ is layered"), enforced on every import and
// re-export of every source file: a layer may import only the layers listed for it, so the kernels'
// twin never reaches the library, the library never reaches the CLI, bench or tests, and the
// package keeps zero runtime dependencies (no bare specifier except node: builtins in the CLI).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(root, 'src');

/** Layer → the layers its files may import (itself always included). `errors` is src/errors.ts. */
const ALLOWED: Record<string, readonly string[]> = {
  abi: [],
  twin: ['abi'],
  errors: [],
  // Dense linear algebra of the host (QR, triangular solves, Cholesky, Givens, leverages).
  linalg: ['errors'],
  // The thread pool of init({ threads }) (workers on one shared memory); backend/runtime.ts starts it.
  threads: ['errors'],
  backend: ['abi', 'twin', 'threads', 'errors'],
  data: ['abi', 'backend', 'errors'],
  fit: ['abi', 'backend', 'data', 'linalg', 'errors'],
  async: ['abi', 'backend', 'data', 'fit', 'linalg', 'errors'],
  inference: ['abi', 'backend', 'data', 'fit', 'linalg', 'errors'],
  // sql/: drives a SQL engine through a { query } adapter and solves locally with fit/.
  sql: ['abi', 'backend', 'data', 'fit', 'linalg', 'errors'],
  index: ['abi', 'backend', 'data', 'fit', 'linalg', 'async', 'inference', 'sql', 'errors'],
  // The CLI is a client of the public API only (src/index.ts), like any application.
  cli: ['index'],
};
/** The one place the library reaches into the twin (besides backend/): linalg re-exports the
 *  double-double error-free transformations (pure arithmetic, also used by the accumulator's
 *  double-double means) — no other layer imports them from the twin. */
const SHARED_TWIN_FILES = new Set(['src/twin/dd.ts']);

function layerOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  if (rel.length === 1) return rel[0].replace(/\.ts$/, '');
  return rel[0];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.generated.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier of a file: static imports, re-exports, dynamic import(). */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[\s;}])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

const files = walk(SRC);
const edges = files.flatMap((f) => specifiers(readFileSync(f, 'utf8')).map((s) => ({ from: f, spec: s })));

describe('layers of src/', () => {
  it('every file belongs to a known layer', () => {
    const unknown = files.map((f) => relative(root, f)).filter((f) => !(layerOf(join(root, f)) in ALLOWED));
    expect(unknown).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports follow the layer rules (twin → abi only; library ↛ CLI, bench, test)', () => {
    const bad: string[] = [];
    let relativeChecked = 0;
    for (const { from, spec } of edges) {
      const fromRel = relative(root, from);
      const layer = layerOf(from);
      if (!spec.startsWith('.')) {
        // Zero runtime dependencies: only node: builtins, and only in the CLI (the library runs in
        // browsers too).
        if (!(spec.startsWith('node:') && layer === 'cli')) bad.push(`${fromRel} imports package '${spec}'`);
        continue;
      }
      relativeChecked++;
      const target = normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
      const targetRel = relative(root, target);
      if (!targetRel.startsWith(`src${sep}`)) {
        bad.push(`${fromRel} imports ${targetRel} (outside src/: bench, test or scripts)`);
        continue;
      }
      const to = layerOf(target);
      if (to === layer) continue;
      if (SHARED_TWIN_FILES.has(targetRel.split(sep).join('/')) && layer === 'linalg') continue;
      if (!ALLOWED[layer]?.includes(to)) bad.push(`${fromRel} (${layer}) imports ${targetRel} (${to})`);
    }
    expect(bad).toEqual([]);
    // The scan saw the imports (a regex that matched nothing would pass vacuously).
    expect(relativeChecked).toBeGreaterThan(150);
  });

  it('the rule checker rejects a violation (it can fail)', () => {
    const probe = specifiers("import { x } from '../fit/api.js';\nexport { y } from \"../cli/run.js\";\nconst z = await import('../bench/lib.mjs');");
    expect(probe).toEqual(['../fit/api.js', '../cli/run.js', '../bench/lib.mjs']);
    expect(ALLOWED.twin.includes('fit')).toBe(false);
    expect(ALLOWED.fit.includes('cli')).toBe(false);
  });

  it('the abi layer imports nothing and the twin only the abi', () => {
    const abiOut = edges.filter((e) => layerOf(e.from) === 'abi' && layerOf(normalize(join(dirname(e.from), e.spec))) !== 'abi');
    expect(abiOut).toEqual([]);
    const twinEdges = edges.filter((e) => layerOf(e.from) === 'twin');
    expect(twinEdges.length).toBeGreaterThan(10);
    for (const e of twinEdges) expect(['twin', 'abi']).toContain(layerOf(normalize(join(dirname(e.from), e.spec))));
  });
});
