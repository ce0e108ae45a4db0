// `npm run test:e2e`: drives the real VS Code workbench (code-server) in headless Chromium as a
// user would, with the extension installed and the fake Anthropic server as its API.
// Runs test/e2e/*.test.mjs with node:test, one file at a time (each starts its own
// code-server; tests in a file share it and get a fresh window each).
//
// Env: LINGUALEAP_E2E_FILES (which files, e.g. `tools,trust`), LINGUALEAP_E2E_GREP
// (node --test-name-pattern), LINGUALEAP_SKIP_BUILD=1,
// LINGUALEAP_EXTENSION_PATH (another build of the extension), LINGUALEAP_E2E_TEST_TIMEOUT_MS
// (per test, default 180000), LINGUALEAP_E2E_STEP_TIMEOUT_MS (per UI step, default 60000).
// Screenshots: test-results/screenshots/, code-server logs: test-results/logs/.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, build, seconds } from './common.mjs';
import { ensureCodeServer } from './vscode-server.mjs';

const E2E_DIR = join(REPO_ROOT, 'test', 'e2e');

/**
 * The test files to run: all of them, or those `selection` names (comma-separated, each a file
 * name with or without `.test.mjs`, e.g. `tools,trust`). A name that matches no file is an
 * error, so a typo does not pass as an empty run.
 */
function selectFiles(names, selection) {
  const wanted = (selection ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (wanted.length === 0) {
    return names;
  }
  const unknown = wanted.filter((want) => !names.some((name) => name === want || name === `${want}.test.mjs`));
  if (unknown.length > 0) {
    throw new Error(`LINGUALEAP_E2E_FILES names no test file: ${unknown.join(', ')} (there are: ${names.join(', ')})`);
  }
  return names.filter((name) => wanted.some((want) => name === want || name === `${want}.test.mjs`));
}

async function main() {
  const started = Date.now();
  // Chosen first: a name that matches nothing fails before the install and the build.
  const files = selectFiles(
    readdirSync(E2E_DIR)
      .filter((name) => name.endsWith('.test.mjs'))
      .sort(),
    process.env.LINGUALEAP_E2E_FILES,
  ).map((name) => join(E2E_DIR, name));
  await ensureCodeServer();
  if (!process.env.LINGUALEAP_SKIP_BUILD) {
    await build();
  }
  const args = ['--test', '--test-reporter=spec', '--test-concurrency=1'];
  if (process.env.LINGUALEAP_E2E_GREP) {
    args.push(`--test-name-pattern=${process.env.LINGUALEAP_E2E_GREP}`);
  }
  const output = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, ...files], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  const count = (name) => Number(new RegExp(`^[ℹ#] ${name} (\\d+)`, 'm').exec(output.text)?.[1] ?? NaN);
  let passed = count('pass');
  let failed = count('fail') + (count('cancelled') || 0);
  if (Number.isNaN(passed) || Number.isNaN(failed)) {
    passed = 0;
    failed = 1;
    console.log('[e2e] no test summary in the output: the run did not complete');
  } else if (output.code !== 0 && failed === 0) {
    failed = 1;
  }
  console.log(`[e2e] ${files.length} file(s) in ${seconds(Date.now() - started)}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
