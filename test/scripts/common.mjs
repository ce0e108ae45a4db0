// Pieces shared by the test scripts: building, the fake Anthropic server, the sample workspace
// and the environment the extension host gets in tests.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { format } from 'node:util';
import { REPO_ROOT } from './vscode-server.mjs';

export { REPO_ROOT };

/** A key the fake server accepts and the real API would reject: tests never reach the internet. */
export const TEST_API_KEY = 'fake-key-test-0000000000000000';

export const FAKE_SERVER_JS = join(REPO_ROOT, 'out', 'test', 'fake-anthropic', 'server.js');
export const SAMPLE_WORKSPACE = join(REPO_ROOT, 'test', 'fixtures', 'workspace');

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Builds the extension, the webview and every test bundle (`node esbuild.mjs --tests`). */
export async function build() {
  const started = Date.now();
  const code = await run(process.execPath, ['esbuild.mjs', '--tests']);
  if (code !== 0) {
    throw new Error(`build failed: \`node esbuild.mjs --tests\` exited with ${code}`);
  }
  console.log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Starts the fake Anthropic server (test/fake-anthropic) as a child process. Its contract:
 * `node out/test/fake-anthropic/server.js --port 0` prints one JSON line with `url` once it
 * listens. Its further output is kept in `output()` for failure reports.
 * @returns {Promise<{ url: string, info: Record<string, unknown>, output(): string, stop(): Promise<void> }>}
 */
export function startFakeServer(extraArgs = []) {
  if (!existsSync(FAKE_SERVER_JS)) {
    return Promise.reject(
      new Error(`${FAKE_SERVER_JS} is missing: test/fake-anthropic/server.ts must exist and be built by \`node esbuild.mjs --tests\``),
    );
  }
  return new Promise((resolve, reject) => {
    // Only the test key is accepted: an extension sending anything else gets a real 401.
    const child = spawn(process.execPath, [FAKE_SERVER_JS, '--port', '0', '--valid-key', TEST_API_KEY, ...extraArgs], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const exited = new Promise((r) => child.on('exit', r));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    };
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        void stop();
        reject(new Error(`the fake Anthropic server printed no {"url": ...} line within 15 s:\n${output}`));
      }
    }, 15_000);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += line + '\n';
      if (settled) {
        return;
      }
      try {
        const info = JSON.parse(line);
        if (info && typeof info.url === 'string') {
          settled = true;
          clearTimeout(timer);
          resolve({ url: info.url.replace(/\/$/, ''), info, output: () => output, stop });
        }
      } catch {
        // not the JSON line
      }
    });
    child.on('exit', (code, signal) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new Error(`the fake Anthropic server exited (${code ?? signal}) before listening:\n${output}`));
      }
    });
  });
}

/**
 * What the extension host gets in tests: the fake server as the API, a dummy key, and no
 * other ANTHROPIC_* variable from the developer's shell (a real key must never be used).
 */
export function testEnv(fakeUrl) {
  const env = {};
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('ANTHROPIC_')) {
      env[key] = undefined;
    }
  }
  return {
    ...env,
    ANTHROPIC_BASE_URL: fakeUrl,
    ANTHROPIC_API_KEY: TEST_API_KEY,
    LINGUALEAP_TEST_FAKE_URL: fakeUrl,
    // The user's agents folder (~/.claude/agents) is a fresh empty one: tests never read or write the real one.
    LINGUALEAP_USER_AGENTS_DIR: mkdtempSync(join(tmpdir(), 'lingualeap-user-agents-')),
  };
}

/** A throw-away copy of the sample workspace, so a test that edits files leaves the repo clean. */
export function copySampleWorkspace() {
  const dir = join(mkdtempSync(join(tmpdir(), 'lingualeap-workspace-')), 'lingualeap-backend');
  cpSync(SAMPLE_WORKSPACE, dir, { recursive: true });
  return dir;
}

/** Formats milliseconds as seconds with one decimal. */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The arguments of a console call forwarded by the workbench, formatted as console.log would. */
export function formatConsoleArgs(args) {
  return format(...(Array.isArray(args) ? args : [args]));
}

/**
 * The workbench's own chatter (connection set-up, Copilot/agent host probes, gallery look-ups
 * that cannot reach the internet): hidden unless LINGUALEAP_TEST_VERBOSE is set.
 */
const NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[(reconnection-grace-time|AgentHost[^\]]*|ChatModelSelection|Service Worker|AccountPolicyGate)\]/,
  /^Updating additional builtin extensions cache/,
  /ENOTFOUND (open-vsx\.org|[\w.-]*(github|visualstudio|vscode|microsoft)[\w.-]*)/,
  /Timed out waiting for authentication provider/,
];

export function isWorkbenchNoise(text) {
  return !process.env.LINGUALEAP_TEST_VERBOSE && NOISE.some((pattern) => pattern.test(text));
}
