// Lint: type-aware rules for the extension and tests, and the layers of `src/` (see README,
// "How it is built"), enforced by eslint-plugin-boundaries:
//   shared   <- everything       the host <-> webview world: protocol, saved panel state, formatting
//   core     <- host, adapters   PURE: agent, prompt, llm, tools, conversation, architect
//   host     <- adapters         VS Code services the adapters share: settings, key, storage, editor context
//   contributes                 the ids package.json contributes (commands, participant, context keys)
//   adapters                    commands, panel, chat, modelPicker, agentRegistry: each uses the layers
//                               below and the id table, never another adapter
//   webview, usageView          browser code (the panel, the usage view): only the shared world
//   extension.ts                the composition root: may import anything
// Plus: the pure layers (core, shared, webview, and the pure files of adapters) never import
// `vscode` at runtime.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const ADAPTERS = ['commands', 'panel', 'chat', 'modelPicker', 'agentRegistry', 'agentEditor', 'usage'];

/** Files with no runtime `vscode` import: the pure layers, and pure files inside adapters. */
const pureFiles = [
  'src/core/**',
  'src/shared/**',
  'src/webview/**',
  'src/usageView/**',
  'src/usage/html.ts',
  'src/contributes/**',
  'src/panel/html.ts',
  'src/modelPicker/provider.ts',
  'src/modelPicker/models.ts',
  'src/modelPicker/messages.ts',
  'src/modelPicker/stream.ts',
];

const below = {
  shared: [],
  core: ['shared'],
  host: ['core', 'shared', 'contributes'],
  adapter: ['host', 'core', 'shared', 'contributes'],
  webview: ['shared'],
};

/** `from` may import its own element and the `allowed` ones. */
function policy(from, allowed) {
  return { from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: allowed } } } } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'test/fixtures/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-eval': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      // extension.ts, the composition root, may import anything: it is left out.
      'boundaries/include': ['src/*/**/*.ts'],
      'boundaries/elements': [
        { type: 'contributes', pattern: 'src/contributes' },
        { type: 'shared', pattern: 'src/shared' },
        { type: 'core', pattern: 'src/core' },
        { type: 'host', pattern: 'src/host' },
        { type: 'webview', pattern: 'src/webview' },
        { type: 'usageView', pattern: 'src/usageView' },
        ...ADAPTERS.map((name) => ({ type: name, pattern: `src/${name}` })),
      ],
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.element.type}} must not import {{to.element.type}}: see the layers in eslint.config.mjs and the README',
          policies: [
            ...Object.entries({ shared: below.shared, core: below.core, host: below.host, webview: below.webview, usageView: below.webview, contributes: [] }).map(
              ([type, deps]) => policy(type, [type, ...deps]),
            ),
            ...ADAPTERS.map((name) => policy(name, [name, ...below.adapter])),
          ],
        },
      ],
    },
  },
  {
    // Files that import vscode translate with vscode.l10n.t: @vscode/l10n is handed VS Code's
    // bundle only in app.js and agentCore.js (src/host/l10n.ts), not in the startup shell.
    files: ['src/**/*.ts'],
    ignores: [...pureFiles, 'src/host/l10n.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@vscode/l10n', message: 'Code that imports vscode uses vscode.l10n.t (see src/host/l10n.ts).', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: pureFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The pure layers never import vscode at runtime (import type is fine).', allowTypeImports: true },
          ],
        },
      ],
      // `npm run l10n` finds only calls spelled l10n.t(...): a bare t(...) would stay English.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@vscode/l10n'] > ImportSpecifier",
          message: "Use import * as l10n from '@vscode/l10n' and call l10n.t(...): the exporter finds only l10n.t.",
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
