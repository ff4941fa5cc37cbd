// init({ wasm }) a second time with another module, in Chromium (docs/api.md "Replacing the module";
// test/api/init-reinit.test.ts is the Node side): the built package imported as native ES modules
// next to the demo page (/pkg/ = dist/, /build/ = the .wasm builds). The second module replaces the
// first (fits run on it), a Dataset of the first is refused, fitAsync's Web Worker holding the first
// is terminated and a fresh one serves the next call, with the same result; bytes that do not
// compile then give the TypeScript twin with a reason.
import assert from 'node:assert/strict';
import { noErrors, openPage } from './lib.mjs';

export default [
  {
    name: 'a second init({ wasm }) with another module replaces it: fits, Datasets and fitAsync workers follow',
    async fn(ctx) {
      const { page, errors } = await openPage(ctx, `${ctx.base}/`);
      const out = await page.evaluate(async () => {
        const L = await import('/pkg/index.js');
        const rt = await import('/pkg/backend/runtime.js');
        const { embeddedBytes } = await import('/pkg/backend/wasm.js');
        const A = await WebAssembly.compile(embeddedBytes());
        const B = await WebAssembly.compile(await (await fetch('/build/debug.wasm')).arrayBuffer());
        const X = [[1], [2], [3], [4], [5]], y = [1, 2, 3, 4, 100];
        const o = {};
        await L.init({ wasm: A, warmup: false });
        o.first = rt.compiledModule() === A;
        const ds = L.Dataset.from(X, y);
        const f1 = await L.fitAsync(X, y, { loss: 'l1' });
        const started = L.workerStats().started;
        o.idleBefore = L.workerStats().idle;
        const rb = await L.init({ wasm: B, warmup: false });
        o.second = rt.compiledModule() === B && rb.backend === 'wasm';
        o.idleAfter = L.workerStats().idle;
        try {
          L.lad(ds);
          o.dataset = 'accepted';
        } catch (e) {
          o.dataset = `${e.code}: ${e.message}`;
        }
        ds.dispose();
        const f2 = await L.fitAsync(X, y, { loss: 'l1' });
        o.newWorkers = L.workerStats().started - started;
        o.sameCoef = [f1.coef[0], f2.coef[0], L.lad(X, y).coef[0]];
        const bad = await L.init({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) });
        o.bad = [bad.backend, L.lad(X, y).backend, typeof bad.reason];
        L.terminateWorkers();
        return o;
      });
      assert.equal(out.first, true);
      assert.equal(out.second, true, 'the second module is installed');
      assert.equal(out.idleBefore, 1);
      assert.equal(out.idleAfter, 0, 'the idle worker holding the first module is terminated');
      assert.match(out.dataset, /^INVALID_INPUT: lad: this Dataset was built on the WebAssembly module that a later init\(\{ wasm \}\) replaced/);
      assert.equal(out.newWorkers, 1, 'one fresh worker for the next fitAsync');
      assert.equal(new Set(out.sameCoef).size, 1, `same coefficient everywhere: ${out.sameCoef}`);
      assert.deepEqual(out.bad, ['js', 'js', 'string']);
      noErrors(errors);
      await page.close();
    },
  },
];
