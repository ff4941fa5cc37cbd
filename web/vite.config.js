// Page configuration only: this site has two HTML entries (the demo, and the same demo under a
// Content-Security-Policy that blocks WebAssembly). Nothing here concerns robustreg: no plugin, no
// alias, no optimizeDeps, no worker or .wasm handling. The package bundles as any other dependency.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  build: {
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        csp: resolve(import.meta.dirname, 'csp.html'),
      },
    },
  },
});
