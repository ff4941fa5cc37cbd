// init({ wasm }) with bytes that are not a valid module: the package still works (TypeScript twin)
// and the reason names the caller's bytes, not "WebAssembly unavailable".
import { describe, expect, it, vi } from 'vitest';

describe('init({ wasm: invalid bytes })', () => {
  it('falls back to the twin and says the given module failed', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    const r = await fresh.init({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) });
    expect(r.backend).toBe('js');
    expect(r.reason).toMatch(/^the WebAssembly module given in options\.wasm failed to load \(.+\); using the TypeScript backend$/);
    const fit = fresh.lad([[1], [2], [3], [4]], [1, 2, 3, 10]);
    expect(fit.backend).toBe('js');
    expect(fit.status).toBe('optimal');
  });
});
