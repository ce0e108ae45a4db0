// `npm start`: try the extension by hand in a real VS Code (code-server's web workbench).
// Builds, installs the extension from this repository into a fresh extensions dir (a symlink,
// so a rebuild plus "Developer: Reload Window" picks up changes), opens a sample workspace and
// prints the URL to open in a browser. Runs until Ctrl+C.
//
//   npm start                       the sample backend (a copy kept in .vscode-test/start-workspace)
//   npm start -- /path/to/project   another folder
//   npm start -- --watch            also rebuild on every change (esbuild --watch)
//   PORT=8080 npm start             a fixed port (default: a free one)
//
// The extension host gets your environment, including ANTHROPIC_API_KEY (or set the key with
// "LinguaLeap: Set Anthropic API Key") and ANTHROPIC_BASE_URL if you use a gateway. Answers
// come from the real Anthropic API and cost money.
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, SAMPLE_WORKSPACE, run } from './common.mjs';
import { ensureCodeServer, startCodeServer } from './vscode-server.mjs';

async function main() {
  const argv = process.argv.slice(2);
  const watch = argv.includes('--watch');
  const folderArg = argv.find((a) => !a.startsWith('--'));

  await ensureCodeServer();
  const built = await run(process.execPath, ['esbuild.mjs']);
  if (built !== 0) {
    throw new Error('the build failed');
  }

  let workspace;
  if (folderArg) {
    workspace = resolve(folderArg);
  } else {
    workspace = join(REPO_ROOT, '.vscode-test', 'start-workspace');
    if (!existsSync(workspace)) {
      cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
    }
  }

  const server = await startCodeServer({
    workspace,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    // Like a desktop VS Code started from the dock: read the login shell's environment too.
    resolveShellEnv: true,
    installExtensions: [REPO_ROOT],
    // A first look, as after installing: the Welcome page, which lists this extension's
    // walkthrough (Get Started with LinguaLeap Architect). VS Code opens a walkthrough by itself
    // only when an extension is installed, and here it is linked in place.
    settings: { 'workbench.startupEditor': 'welcomePage' },
  });

  let watcher;
  if (watch) {
    watcher = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }

  const hasKey = Boolean(process.env.ANTHROPIC_API_KEY);
  console.log('');
  console.log(`  LinguaLeap Architect in VS Code (code-server): ${server.url}`);
  console.log(`  workspace: ${workspace}`);
  console.log(`  extension: ${REPO_ROOT} (installed as ${server.installed[0]})`);
  console.log(`  API key:   ${hasKey ? 'ANTHROPIC_API_KEY from your environment' : 'none in the environment: run "LinguaLeap: Set Anthropic API Key"'}`);
  if (process.env.ANTHROPIC_BASE_URL) {
    console.log(`  API URL:   ${process.env.ANTHROPIC_BASE_URL} (ANTHROPIC_BASE_URL)`);
  }
  console.log(`  log:       ${server.logFile}`);
  console.log(watch ? '  rebuilding on change: run "Developer: Reload Window" to load a new build' : '  after a rebuild (npm run build), run "Developer: Reload Window"');
  console.log('  Ctrl+C to stop');

  const stop = () => {
    watcher?.kill();
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
