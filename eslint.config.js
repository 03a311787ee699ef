// ESLint flat config. The import rules are the architecture: see docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'stream', 'url', 'util', 'events', 'buffer', 'readline', 'tty', 'zlib'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // The pure domain: data in, data out. No I/O, no Electron, no DOM frameworks.
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'src/core and src/shared are pure: no Node built-ins (put I/O in src/node).' },
          { group: ['electron', 'electron/*', 'ssh2', 'react', 'react-dom', 'react/*'], message: 'src/core and src/shared know nothing of Electron, SSH or React.' },
          { group: ['**/node/**', '**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', '**/preload/**'], message: 'core may import only core and shared.' },
        ],
      }],
    },
  },
  {
    // The renderer runs in a sandboxed page: it reaches the app only through the contract.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer has no Node: use the API contract.' },
          { group: ['electron', 'electron/*', 'ssh2', '**/node/**', '**/main/**', '**/server/**', '**/cli/**'], message: 'The renderer reaches the app only through src/shared/api.ts.' },
        ],
      }],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['electron', 'electron/*', '**/renderer/**', '**/main/**'], message: 'node/, cli/ and server/ run without Electron.' }],
      }],
    },
  },
);
