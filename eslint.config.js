// Lint keeps each runtime on its side of the process boundaries (see ../shared/STYLE.md):
// the renderer never reaches Node or Electron, the engine host and the services never import `electron`,
// and the contract imports nothing.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
  'url',
  'util',
  'events',
  'process',
  'buffer',
];

export default tseslint.config(
  {
    ignores: ['out/', 'dist/', 'node_modules/', 'test-models/', 'test-results/', 'playwright-report/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: [
      '**/*.{js,mjs,cjs}',
      'electron/**/*.ts',
      'native/**/*.ts',
      'scripts/**/*.ts',
      'e2e/**/*.ts',
      '*.config.ts',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({
            name,
            message: 'The renderer is sandboxed: talk to main through window.api.',
          })),
          patterns: [
            { group: ['node:*'], message: 'The renderer is sandboxed: no Node built-ins.' },
            {
              // channels.ts is the one runtime exception: pure channel-name lists, shared with the preload.
              regex: '(^|/)(electron/(?!shared/channels$)|native/|scripts/)',
              allowTypeImports: true,
              message: 'The renderer imports only types from the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'native/**/*.ts',
      'electron/main/services/**/*.ts',
      'electron/main/serve/**/*.ts',
      'electron/shared/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Services and the engine host run without Electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'Node code never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine host runs without Electron.' }],
          patterns: [
            {
              group: ['**/electron/main/**', '**/renderer/**'],
              message: 'The engine host depends on nothing of main or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shared/contract.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration', message: 'The contract is types only and imports nothing.' },
        { selector: 'VariableDeclaration', message: 'The contract is types only.' },
        { selector: 'FunctionDeclaration', message: 'The contract is types only.' },
        { selector: 'ClassDeclaration', message: 'The contract is types only.' },
      ],
    },
  },
);
