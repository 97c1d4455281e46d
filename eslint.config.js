// ESLint for navis: typescript-eslint's type-checked rules over src/, test/ and bench/ (one
// program, tsconfig.check.json), plain JS rules over scripts/ and the config files. The layer
// rules live in .dependency-cruiser.cjs; formatting is prettier's (`npm run format`).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // The Python client is not TypeScript; the TypeScript SDK's schema.ts is generated (npm run sdk:generate); vendored code keeps its upstream form.
  {
    ignores: [
      'dist/**',
      'data/**',
      'scratch/**',
      'sdk/python/**',
      'sdk/typescript/dist/**',
      'sdk/typescript/src/schema.ts',
      'test/dari/vendor/**',
      'bench/miniwob/html/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The three the issue asks for: a promise nobody awaits hides its failure.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // `return promise` inside try/catch skips the catch: await it there (and only there).
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Only config.ts reads the environment (STYLE.md: config parsed once); tests and benches set it up.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through Config (src/config.ts): nothing else reads process.env.',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Fastify handlers, hooks and interface methods are async by contract, whether or not this one awaits.
      '@typescript-eslint/require-await': 'off',
      // `Promise.all(xs.map((x) => x.maybe?.close()))` is deliberate: an absent one has nothing to wait for.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // ws delivers Buffers (binaryType 'nodebuffer'): RawData's ArrayBuffer arm never reaches String().
      '@typescript-eslint/no-base-to-string': [
        'error',
        { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'ArrayBuffer'] },
      ],
      // Control characters in regexes are deliberate: ANSI escapes to strip, private sentinels (\x01, \x03) to mark spans.
      'no-control-regex': 'off',
      // `let x; ... () => x ...; x = make()`: a callback declared before the value it closes over.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests and benches read wire bodies as `any` to assert their shape, stringify whatever came
    // over the wire, and swap a service's method for a spy: the type-safety rules would only add casts.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The dashboard's ES modules run in the browser (src/web/dashboard, served by api/dashboard.ts).
    files: ['src/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'URL',
          'FormData',
          'TextDecoderStream',
          'addEventListener',
          'removeEventListener',
          'setTimeout',
          'setInterval',
          'clearInterval',
          'console',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
