// Supply chain: the published tarball holds only what users need, has zero runtime dependencies,
// and installs into a fresh project where both `import` (ESM) and `require` (CommonJS) fit a model.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'robustreg-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

describe('published package', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  it('has zero runtime dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  let tarball = '';
  it('packs only dist/, README, LICENSE and package.json', () => {
    npm(['run', 'build:ts'], root); // dist/ from the current sources (the WASM is built by pretest)
    const out = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root));
    tarball = join(tmp, out[0].filename);
    const files: string[] = out[0].files.map((f: { path: string }) => f.path);
    for (const f of files) expect(f).toMatch(/^(dist\/|README\.md$|LICENSE$|package\.json$)/);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/cjs/index.js');
    expect(files).toContain('dist/cli/main.js');
    expect(files.some((f) => /\.test\.|\/test\//.test(f))).toBe(false);
  }, 240_000);

  it('installs into a fresh project; ESM import, CommonJS require and the CLI all work', () => {
    const app = join(tmp, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    npm(['install', '--no-package-lock', tarball], app);
    const esm = `import { init, lad, ols } from 'robustreg';
      const info = await init();
      const X = [[1], [2], [3], [4], [5]], y = [1, 2, 3, 4, 100];
      const r = lad(X, y);
      console.log(JSON.stringify({ backend: info.backend, slope: r.coef[0], gap: r.certificate.gap, l2: ols(X, y).coef[0] }));`;
    const a = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: app, encoding: 'utf8' }));
    expect(a.backend).toBe('wasm');
    expect(a.slope).toBeCloseTo(1, 12);
    expect(a.l2).toBeGreaterThan(10);
    const cjs = `const { init, lad } = require('robustreg');
      init().then(() => console.log(JSON.stringify({ slope: lad([[1], [2], [3], [4], [5]], [1, 2, 3, 4, 100]).coef[0] })));`;
    const b = JSON.parse(execFileSync(process.execPath, ['-e', cjs], { cwd: app, encoding: 'utf8' }));
    expect(b.slope).toBeCloseTo(1, 12);
    const help = execFileSync(join(app, 'node_modules', '.bin', 'robustreg'), ['--help'], { cwd: app, encoding: 'utf8' });
    expect(help).toMatch(/demo/);
  }, 240_000);

  it('npm audit of the runtime dependency tree is clean', () => {
    const out = npm(['audit', '--omit=dev', '--json'], root);
    const j = JSON.parse(out);
    expect(j.metadata?.vulnerabilities?.total ?? 0).toBe(0);
  }, 120_000);
});
