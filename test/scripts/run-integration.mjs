// `npm run test:integration`: runs test/integration/*.test.ts inside a real VS Code extension
// host (code-server's web workbench in headless Chromium), with the extension loaded from this
// repository as extensionDevelopmentPath and the fake Anthropic server as its API.
//
// Env: LINGUALEAP_TEST_GREP (mocha grep), LINGUALEAP_INTEGRATION_TIMEOUT_MS (whole run,
// default 300000), LINGUALEAP_TEST_VERBOSE=1 (also print code-server's own output),
// LINGUALEAP_SKIP_BUILD=1 (use the existing out/ and dist/), LINGUALEAP_EXTENSION_PATH (load
// another build of the extension, e.g. an unpacked .vsix; default: this repository),
// LINGUALEAP_INTEGRATION_TESTS_DIR (run the index.js and *.test.js bundles of that folder
// instead of out/test/integration: a few suites built elsewhere, without touching the shared out/).
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT, build, copySampleWorkspace, formatConsoleArgs, isWorkbenchNoise, seconds, startFakeServer, testEnv } from './common.mjs';
import { ensureCodeServer, launchBrowser, payloadUrl, startCodeServer } from './vscode-server.mjs';

const TIMEOUT_MS = Number(process.env.LINGUALEAP_INTEGRATION_TIMEOUT_MS ?? 300_000);
const RESULTS = join(REPO_ROOT, 'test-results');
const EXTENSION_PATH = resolve(process.env.LINGUALEAP_EXTENSION_PATH ?? REPO_ROOT);
const TESTS_DIR = resolve(process.env.LINGUALEAP_INTEGRATION_TESTS_DIR ?? join(REPO_ROOT, 'out', 'test', 'integration'));

async function main() {
  const started = Date.now();
  await ensureCodeServer();
  if (!process.env.LINGUALEAP_SKIP_BUILD) {
    await build();
  }

  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch((error) => console.error(`[integration] cleanup: ${error.message}`));
    }
    cleanups.length = 0;
  };
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`TIMEOUT: the integration suite did not finish within ${seconds(TIMEOUT_MS)} (LINGUALEAP_INTEGRATION_TIMEOUT_MS); logs in ${RESULTS}/logs`)),
      TIMEOUT_MS,
    );
  });
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    return await Promise.race([timeout, runSuite(cleanups, started)]);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

async function runSuite(cleanups, started) {
  const fake = await startFakeServer();
  cleanups.push(fake.stop);
  console.log(`[integration] fake Anthropic server at ${fake.url}`);

  const workspace = copySampleWorkspace();
  cleanups.push(async () => rmSync(dirname(workspace), { recursive: true, force: true }));

  mkdirSync(join(RESULTS, 'logs'), { recursive: true });
  const server = await startCodeServer({
    workspace,
    env: testEnv(fake.url),
    smokeTestDriver: true,
    logFile: join(RESULTS, 'logs', 'code-server-integration.log'),
  });
  cleanups.push(server.stop);
  console.log(`[integration] code-server at ${server.origin} (pid ${server.pid})`);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

  let resolveExit;
  const exited = new Promise((r) => {
    resolveExit = r;
  });
  let summary;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // Both the workbench's and the extension host's console arrive here; mocha's report too.
    const text = formatConsoleArgs(args);
    if (isWorkbenchNoise(text)) {
      return;
    }
    for (const line of text.split('\n')) {
      const match = /^integration: (\d+) passed, (\d+) failed$/.exec(line.trim());
      if (match) {
        summary = { passed: Number(match[1]), failed: Number(match[2]) };
      }
      console.log(type === 'error' ? `  [error] ${line}` : `  ${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  page.on('pageerror', (error) => console.error(`[integration] page error: ${error.message}`));

  const url = payloadUrl(server, {
    folder: workspace,
    extensionDevelopmentPath: EXTENSION_PATH,
    extensionTestsPath: join(TESTS_DIR, 'index.js'),
  });
  const loadStarted = Date.now();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const loadedAt = Date.now();
  console.log(`[integration] workbench loaded in ${seconds(loadedAt - loadStarted)}`);

  const code = await exited;
  const suiteMs = Date.now() - loadedAt;
  if (code !== 0 || !summary) {
    const shot = join(RESULTS, 'screenshots', 'integration-failure.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.log(`[integration] screenshot: ${shot}; code-server log: ${server.logFile}`);
  }
  console.log(`[integration] extension host ran the suite ${seconds(suiteMs)} after the workbench loaded, total ${seconds(Date.now() - started)}; extension host exit code ${code}`);
  if (!summary) {
    // The extension host exits before mocha prints when loading the tests fails.
    summary = { passed: 0, failed: 1 };
    console.log('[integration] no "integration: N passed, N failed" line: the tests did not run (see the errors above)');
  } else if (code !== 0 && summary.failed === 0) {
    summary.failed = 1;
  }
  console.log(`integration: ${summary.passed} passed, ${summary.failed} failed`);
  return summary.failed > 0 || code !== 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[integration] ${error instanceof Error ? error.message : error}`);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
