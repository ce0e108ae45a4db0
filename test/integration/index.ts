/**
 * The mocha runner the extension host loads as `extensionTestsPath`, both in the web
 * workbench (test/scripts/run-integration.mjs) and in desktop VS Code
 * (test/scripts/run-desktop.mjs, through @vscode/test-electron).
 *
 * esbuild bundles each `*.test.ts` next to this file; they are found at run time. Output goes
 * through `console.log` because the extension host forwards the console, not stdout, to the
 * test driver. The last line, `integration: N passed, N failed`, is what the scripts parse.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // Stack traces point into the .ts files rather than the bundles.
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.LINGUALEAP_TEST_TIMEOUT_MS ?? 60_000),
  });
  const grep = process.env.LINGUALEAP_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) {
    throw new Error(`no *.test.js files next to ${__filename}: build with \`node esbuild.mjs --tests\``);
  }
  for (const name of files) {
    mocha.addFile(join(__dirname, name));
  }

  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 });
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  console.log(`integration: ${passed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} integration test(s) failed`);
  }
  if (passed === 0) {
    throw new Error('no integration test ran');
  }
}
