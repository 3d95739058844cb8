// ESLint (flat config): light, non-type-checked rules, and the import boundaries between the
// project's rooms (see ARCHITECTURE.md), enforced with no-restricted-imports:
//   src/analysis/  the analysis core: `typescript`, itself and src/shared/ only
//   src/shared/    what host, CLI and webview all compile: imports nothing outside itself
//   webview/       the panel (a browser page): nothing from src/ but src/shared/, no vscode / Node
//   src/cli*.ts    the CLI (plain Node): no vscode, nothing from the extension host
// `npm run lint`; test/unit/lintBoundaries.test.ts checks that a forbidden import fails.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettierConfig from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Node's built-in modules, bare (`fs`, `fs/promises`; `node:*` is a pattern below). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/**
 * The rooms directly under src/ (`host`, `data`, `cli`, `extension`, ...) but `keep`, as a
 * pattern matching a relative import that reaches one of them (`../host/x`, `../../cli`).
 * Read from the folder, so a new room is outside the analysis core until allowed here.
 */
function srcRoomsBut(...keep) {
  const rooms = readdirSync(`${root}/src`)
    .map((entry) => entry.replace(/\.ts$/, ''))
    .filter((room) => !keep.includes(room));
  return `^(\\.\\./)+(${rooms.join('|')}|webview|test|scripts)(/|$)`;
}

const ANALYSIS =
  'src/analysis/ (the analysis core) imports only `typescript`, its own modules and src/shared/: no vscode, Node, tfjs, DOM or host code (ARCHITECTURE.md).';
const SHARED = 'src/shared/ imports nothing outside itself: the host, the CLI and the webview all compile it.';
const WEBVIEW = 'webview/ (the panel, a browser page) imports nothing from src/ but src/shared/, and neither vscode nor Node.';
const CLI = 'The CLI runs in plain Node: no vscode, nothing from the extension host or the webview.';

export default defineConfig(
  {
    ignores: [
      // What .gitignore ignores (built or downloaded), wherever it is.
      '**/node_modules/**',
      '**/dist/**',
      'out/**',
      '.cache/**',
      '.tmp/**',
      'test-results/**',
      // Model files the analysis reads (some deliberately wrong), not project code.
      'test/fixtures/**',
      'examples/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // `== null` for "null or undefined"; anything else strict.
      eqeqeq: ['error', 'smart'],
      // The compiler checks unused names (noUnusedLocals / noUnusedParameters).
      '@typescript-eslint/no-unused-vars': 'off',
      // Deliberate where used: `any` at tfjs's untyped edges (custom layers, kernels), `require`
      // of modules loaded late or optionally, `let s: Scope | null = this` to walk a chain.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    // Browser code: the panel, its test pages, and the callbacks the e2e tests run in the page.
    files: ['webview/**', 'test/webview/page/**', 'test/webview/views/page/**', 'test/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/analysis/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            // Any package but `typescript`: vscode, node:*, fs, @tensorflow/*, ...
            { regex: '^(?!\\.{1,2}/|typescript$)', message: ANALYSIS },
            { regex: srcRoomsBut('analysis', 'shared'), message: ANALYSIS },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'self', 'location', 'process', 'Buffer', 'require', '__dirname', '__filename'].map(
          (name) => ({ name, message: ANALYSIS }),
        ),
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: SHARED }] }],
    },
  },
  {
    files: ['webview/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeBuiltins].map((name) => ({ name, message: WEBVIEW })),
          patterns: [
            { regex: '^node:', message: WEBVIEW },
            { regex: '^(\\.\\./)+src/(?!shared(/|$))', message: WEBVIEW },
            { regex: '^(\\.\\./)+(test|scripts|dist)/', message: WEBVIEW },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli.ts', 'src/cliFormat.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: CLI }],
          patterns: [{ regex: '^\\./(host|extension)(/|$)|^(\\.\\./)+webview/', message: CLI }],
        },
      ],
    },
  },
  // Layout is Prettier's job (`npm run format`; `npm run lint` checks it): no ESLint rule on it.
  prettierConfig,
);
