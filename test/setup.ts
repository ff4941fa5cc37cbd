// Runs before every test file. In the 'debug' project the WASM backend is the debug build (AS
// assertions on), so every public-API test also exercises the kernels with their checks enabled.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll } from 'vitest';
import { init } from '../src/index.js';

beforeAll(async () => {
  if (process.env.ROBUSTREG_WASM === 'debug') {
    const bytes = readFileSync(fileURLToPath(new URL('../build/debug.wasm', import.meta.url)));
    await init({ wasm: bytes });
  }
});
