// Builds the three code worlds separately: the extension host bundle (Node, CommonJS,
// `vscode` external), the webview bundle (browser IIFE) and the test bundles.
// Usage: node esbuild.mjs [--production] [--watch] [--tests]
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');

/**
 * gray-matter ships a `javascript` front-matter engine that calls `eval`. The parser already
 * replaces it, but the shipped bundle should not contain it at all: this swaps gray-matter's
 * engine table for one with YAML and JSON only.
 * @type {esbuild.Plugin}
 */
const grayMatterWithoutEval = {
  name: 'gray-matter-without-eval',
  setup(build) {
    build.onLoad({ filter: /gray-matter[\\/]lib[\\/]engines\.js$/ }, (args) => ({
      resolveDir: dirname(args.path),
      loader: 'js',
      contents: `const yaml = require('js-yaml');
module.exports = {
  yaml: { parse: yaml.safeLoad.bind(yaml), stringify: yaml.safeDump.bind(yaml) },
  json: { parse: JSON.parse.bind(JSON), stringify: (value) => JSON.stringify(value, null, 2) },
};`,
    }));
  },
};
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  plugins: [grayMatterWithoutEval],
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The extension host code is three bundles, so startup parses only the first: `extension.js`
 * (activation: registrations only), `app.js` (the services, the SDK; loaded by the first command,
 * question or model request) and `agentCore.js` (the agent-file analysis; loaded when the first
 * agent file is opened). The shell's `import('./app.js')` and `import('./agentCore.js')` stay
 * imports of the sibling bundles.
 * @type {esbuild.Plugin}
 */
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/(app|agentCore)\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./${args.path.slice(2)}`, external: true } : undefined,
    );
  },
};

/**
 * Every host module imports `* as vscode`. Left to itself, esbuild turns each such import of the
 * external CommonJS `vscode` into its own namespace object, copying the API's few hundred
 * properties once per importing module: about 7 of the startup shell's 9 ms
 * (`test/bench/startup.mjs`). Routed through one bundled ES module that re-exports `vscode`,
 * the copy is made once and every module shares it.
 * @type {esbuild.Plugin}
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * `@vscode/l10n`'s Node build can also read a bundle from a file, and for that loads `fs` and
 * `fs/promises` at startup; the extension only ever hands it VS Code's bundle as an object
 * (`src/host/l10n.ts`). Its browser build is the same API without the file reader.
 * @type {esbuild.Plugin}
 */
const l10nWithoutFileReader = {
  name: 'l10n-without-file-reader',
  setup(build) {
    build.onResolve({ filter: /^@vscode\/l10n$/ }, () => ({ path: fileURLToPath(import.meta.resolve('@vscode/l10n/dist/browser.js')) }));
  },
};

const host = { ...common, plugins: [...common.plugins, oneVscodeNamespace, l10nWithoutFileReader], platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

const builds = [
  { ...host, plugins: [...host.plugins, lazyBundles], entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...host, entryPoints: ['src/app.ts'], outfile: 'dist/app.js' },
  { ...host, entryPoints: ['src/agentEditor/agentCore.ts'], outfile: 'dist/agentCore.js' },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/webview/tsconfig.json',
  },
  {
    // The usage view (Show Usage): its chart library and stylesheet, bundled on their own.
    ...common,
    entryPoints: ['src/usageView/main.ts'],
    outfile: 'dist/usage.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/usageView/tsconfig.json',
  },
];

function listTests(dir, suffix) {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(suffix))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

if (production) {
  // No stale source maps from a development build may end up in the package.
  rmSync('dist', { recursive: true, force: true });
}

if (tests) {
  rmSync('out', { recursive: true, force: true });
  builds.push(
    {
      ...common,
      sourcemap: true,
      entryPoints: [...listTests('test/unit', '.test.ts'), ...listTests('test/fake-anthropic', '.ts')],
      outdir: 'out/test',
      outbase: 'test',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Tools that tests drive (a browser, a bundler) are loaded from node_modules, not bundled.
      external: ['playwright-core', 'esbuild'],
    },
    {
      // The mocha runner and one bundle per test file: index.js finds the *.test.js next to it.
      ...common,
      sourcemap: true,
      entryPoints: ['test/integration/index.ts', ...listTests('test/integration', '.test.ts')],
      outdir: 'out/test/integration',
      outbase: 'test/integration',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode', 'mocha'],
    },
  );
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
