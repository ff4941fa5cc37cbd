#!/usr/bin/env node
// Browser tests of the demo page (web/) in real Chromium. Not part of vitest.
//
//   node scripts/browser-test.mjs            build the page, run test/browser/*.test.mjs, print "N passed, N failed"
//   node scripts/browser-test.mjs csp        only tests whose name contains "csp"
//   node scripts/browser-test.mjs --serve    build the page and serve the builds on 127.0.0.1 until Ctrl-C
//   node scripts/browser-test.mjs --dev      install the package into web/ and start Vite's dev server
//
// Steps: (1) install the package into web/node_modules/robustreg the way npm installs a published
// tarball — `npm pack` of the repository root, unpacked (offline; needs dist/ from `npm run build`);
// (2) build web/ with Vite's programmatic build() (web/vite.config.js only lists the two HTML pages);
// (3) build the same entry with esbuild given nothing but entry, bundle, format and outdir;
// (4) serve both on 127.0.0.1 and drive Chromium (Debian's /usr/bin/chromium) with playwright-core.
// Screenshots go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const artifacts = join(root, 'test-artifacts');
const args = process.argv.slice(2);
const serveOnly = args.includes('--serve');
const devServer = args.includes('--dev');
const filter = args.find((a) => !a.startsWith('--'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TEST_TIMEOUT = 45_000;
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

function fail(msg) {
  console.error(`browser-test: ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------- (1) install
function installPackage() {
  const entry = join(root, 'dist', 'index.js');
  if (!existsSync(entry)) fail('dist/index.js is missing: run `npm run build` first');
  const newest = (dir) => readdirSync(dir, { recursive: true })
    .map((f) => statSync(join(dir, f)).mtimeMs).reduce((a, b) => Math.max(a, b), 0);
  if (newest(join(root, 'src')) > statSync(entry).mtimeMs) {
    console.warn('browser-test: warning: src/ is newer than dist/index.js — run `npm run build` to test the current code');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'robustreg-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [{ filename }] = JSON.parse(out);
    const dest = join(web, 'node_modules', 'robustreg');
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', join(tmp, filename), '-C', dest, '--strip-components=1']);
    return filename;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------- (2) vite
async function buildVite() {
  const { build } = await import('vite');
  await build({ root: web, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
  return join(web, 'dist');
}

// ---------------------------------------------------------------------------------------- (3) esbuild
async function buildEsbuild() {
  const { build } = await import('esbuild');
  const outdir = join(web, 'dist-esbuild');
  rmSync(outdir, { recursive: true, force: true });
  // entry + bundle + format + outdir: nothing about robustreg, WASM or workers
  await build({ entryPoints: [join(web, 'src', 'main.js')], bundle: true, format: 'esm', outdir, logLevel: 'warning' });
  // esbuild does not process HTML: reuse the page's HTML with the bundle's script and stylesheet
  const html = readFileSync(join(web, 'index.html'), 'utf8')
    .replace('<script type="module" src="./src/main.js"></script>', '<link rel="stylesheet" href="./main.css" />\n    <script type="module" src="./main.js"></script>');
  if (!html.includes('./main.css')) fail('web/index.html no longer has the expected <script> tag for the esbuild page');
  writeFileSync(join(outdir, 'index.html'), html);
  return outdir;
}

// ---------------------------------------------------------------------------------------- (4) run
async function main() {
  mkdirSync(artifacts, { recursive: true });
  const tarball = installPackage();
  console.log(`== installed ${tarball} into web/node_modules/robustreg (${since()})`);
  if (devServer) {
    const { createServer } = await import('vite');
    const dev = await createServer({ root: web, server: { host: '127.0.0.1' } });
    await dev.listen();
    dev.printUrls();
    return new Promise(() => {});
  }
  const viteOut = await buildVite();
  console.log(`== vite build → ${relative(root, viteOut)}/ (${since()})`);
  const esOut = await buildEsbuild();
  console.log(`== esbuild → ${relative(root, esOut)}/ (${since()})`);

  const { serve } = await import(pathToFileURL(join(root, 'test', 'browser', 'server.mjs')).href);
  // /pkg/ and /build/: the built package (dist/) and the .wasm builds, for tests that import the package
  // as native ES modules next to the page (test/browser/init-reinit.test.mjs)
  const server = await serve([['/', viteOut], ['/esbuild/', esOut], ['/pkg/', join(root, 'dist')], ['/build/', join(root, 'build')]]);
  // The same build served cross-origin isolated (COOP + COEP): SharedArrayBuffer, so init({ threads }) starts its pool.
  const isolated = await serve([['/', viteOut], ['/pkg/', join(root, 'dist')]], {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  if (serveOnly) {
    console.log(`== serving ${server.url}/ (Vite), ${server.url}/csp.html (CSP), ${server.url}/esbuild/ (esbuild), ${isolated.url}/ (Vite, cross-origin isolated: threads) — Ctrl-C to stop`);
    return new Promise(() => {});
  }

  if (!existsSync(CHROMIUM)) {
    await server.close();
    await isolated.close();
    fail(`${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'robustreg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`== chromium ${context.browser()?.version() ?? ''} (${since()})`);

  const ctx = { context, base: server.url, isolatedBase: isolated.url, esbuildBase: `${server.url}/esbuild/`, artifacts, root, web, screenshots: [] };
  const files = readdirSync(join(root, 'test', 'browser')).filter((f) => f.endsWith('.test.mjs')).sort();
  const tests = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(join(root, 'test', 'browser', f)).href);
    for (const t of mod.default) tests.push({ ...t, file: f });
  }
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    const name = `${t.file.replace('.test.mjs', '')} › ${t.name}`;
    if (filter && !name.toLowerCase().includes(filter.toLowerCase())) continue;
    const s = performance.now();
    let timer;
    try {
      await Promise.race([
        t.fn(ctx),
        new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${TEST_TIMEOUT} ms`)), TEST_TIMEOUT); }),
      ]);
      passed++;
      console.log(`  ✓ ${name} (${Math.round(performance.now() - s)} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${name} (${Math.round(performance.now() - s)} ms)\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    } finally {
      clearTimeout(timer);
    }
  }
  await context.close();
  await server.close();
  await isolated.close();
  rmSync(profile, { recursive: true, force: true });
  if (ctx.screenshots.length) console.log(`== screenshots: ${ctx.screenshots.map((p) => relative(root, p)).join(', ')}`);
  console.log(`== done in ${since()}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
