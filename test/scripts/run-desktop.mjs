// `npm run test:desktop`: the same integration suite (test/integration) in desktop VS Code,
// through @vscode/test-electron, for a developer machine with internet access and a display
// (on a headless Linux box: `xvfb-run -a npm run test:desktop`).
//
// @vscode/test-electron downloads VS Code into .vscode-test/ on first use, which the build
// machines cannot do: there, `npm run test:integration` runs this suite in code-server instead.
//
// Env: VSCODE_TEST_VERSION (default `stable`; e.g. `insiders` or `1.104.0`, the lowest the
// manifest allows), VSCODE_EXECUTABLE_PATH (use an installed VS Code instead of downloading),
// LINGUALEAP_TEST_GREP (mocha grep), LINGUALEAP_SKIP_BUILD=1.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, build, copySampleWorkspace, startFakeServer, testEnv } from './common.mjs';

async function main() {
  if (!process.env.LINGUALEAP_SKIP_BUILD) {
    await build();
  }
  const fake = await startFakeServer();
  console.log(`[desktop] fake Anthropic server at ${fake.url}`);
  const workspace = copySampleWorkspace();
  try {
    const extensionTestsEnv = testEnv(fake.url);
    if (process.env.LINGUALEAP_TEST_GREP) {
      extensionTestsEnv.LINGUALEAP_TEST_GREP = process.env.LINGUALEAP_TEST_GREP;
    }
    // Resolves with 0, rejects with TestRunFailedError when the suite fails.
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      // The user's other extensions stay out of the run; the one under development still loads.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv,
    });
    return 0;
  } finally {
    rmSync(dirname(workspace), { recursive: true, force: true });
    await fake.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[desktop] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
