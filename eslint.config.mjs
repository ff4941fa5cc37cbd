// Lint (flat config): typescript-eslint's recommended rules over the host TypeScript, the twin, the
// CLI and the tests. The AssemblyScript kernels (assembly/) are not TypeScript to the linter and are
// checked by asc. Run by `npm run lint` (part of `npm test`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'assembly/**', 'web/**', 'bench/results/**', 'test-artifacts/**', '**/*.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      // unused names are compile errors already (tsconfig noUnusedLocals/Parameters); `_`-prefixed
      // bindings are the deliberate ones (destructuring an option out of an object).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
