// ESLint (flat config): typescript-eslint's recommended rules, React hooks in the web app, and
// the boundaries of the house: the engine stays pure (no Node, database or server imports), and
// the web app's sources reach the engine and the server only through their browser-safe entries.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'stream',
  'worker_threads',
  'url',
  'zlib',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test-artifacts/**', 'coverage/**', 'data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are errors, except those that say so by a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Empty catch blocks are deliberate where they stand (each says why).
      'no-empty': ['error', { allowEmptyCatch: true }],
      // The Chinese UI spaces words with the ideographic space (U+3000) in its strings and text.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  {
    // Migrations see the schema of their time, not today's DB type: Kysely<any> is Kysely's own
    // pattern for them; tests reach into objects they check.
    files: ['packages/server/src/db/migrations.ts', '**/*.test.ts', '**/*.e2e.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['packages/engine/src/**/*.ts', 'packages/demo/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: NODE_BUILTINS,
              message:
                'The engine is pure: no Node built-ins (file, network, clock or process access belongs to the server).',
            },
            {
              group: ['kysely', 'fastify', 'better-sqlite3', 'pg', '@tingjian/server', '@tingjian/server/*'],
              message: 'The engine is pure: no database, HTTP or server imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tingjian/engine',
              message:
                'The web app imports the engine through @tingjian/engine/browser (no roaring, pinyin-pro or Node built-ins).',
            },
            {
              name: '@tingjian/server',
              message: 'The web app reads the server through @tingjian/server/contract, type-only.',
            },
          ],
          patterns: [
            { group: NODE_BUILTINS, message: 'The web app runs in the browser: no Node built-ins.' },
            {
              group: ['**/server/src/**', '**/engine/src/**'],
              message: 'Reach the engine and the server through their package entries, not their sources.',
            },
          ],
        },
      ],
    },
  },
);
