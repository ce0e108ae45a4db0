// `npm test`: every check, in order: typecheck, lint, unit, integration (real extension host),
// e2e (real workbench UI). Later stages run even when an earlier one fails, so one run shows
// everything that is broken. Ends with one line, `N passed, N failed`: the number of tests,
// where typecheck and lint count as one test each. Exits 1 if anything failed.
//
// Env: LINGUALEAP_STAGES (comma-separated subset, e.g. `unit,integration`).
import { spawn } from 'node:child_process';
import { REPO_ROOT, seconds } from './common.mjs';
import { ensureCodeServer } from './vscode-server.mjs';

/**
 * How each stage reports. `count` returns { passed, failed } from the stage's output, or
 * undefined when it printed no summary (then the exit code decides: 1 passed or 1 failed).
 */
const STAGES = [
  { name: 'typecheck', script: 'typecheck', minutes: 5 },
  { name: 'lint', script: 'lint', minutes: 5 },
  { name: 'unit', script: 'test:unit', minutes: 10, count: nodeTestCounts },
  { name: 'integration', script: 'test:integration', minutes: 15, needsCodeServer: true, count: lineCounts('integration') },
  { name: 'e2e', script: 'test:e2e', minutes: 30, needsCodeServer: true, count: lineCounts('e2e') },
];

/** node:test's summary: `ℹ pass N` (spec reporter) or `# pass N` (tap). */
function nodeTestCounts(output) {
  const read = (name) => {
    const all = [...output.matchAll(new RegExp(`^[ℹ#] ${name} (\\d+)\\s*$`, 'gm'))];
    return all.length > 0 ? Number(all[all.length - 1][1]) : undefined;
  };
  const passed = read('pass');
  const failed = read('fail');
  if (passed === undefined || failed === undefined) {
    return undefined;
  }
  return { passed, failed: failed + (read('cancelled') ?? 0) };
}

/** The last `<label>: N passed, N failed` line our runners print. */
function lineCounts(label) {
  return (output) => {
    const all = [...output.matchAll(new RegExp(`^${label}: (\\d+) passed, (\\d+) failed\\s*$`, 'gm'))];
    const last = all[all.length - 1];
    return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
  };
}

/** Runs `npm run <script>`, echoing its output; resolves with the exit code and the output. */
function runStage(stage) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', stage.script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      output += chunk;
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test-all] TIMEOUT: ${stage.name} ran longer than ${stage.minutes} minutes; stopping it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, stage.minutes * 60_000);
    // The stage runs in its own process group (so a timeout can kill all of it); pass Ctrl+C on.
    const onSignal = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve({ code: timedOut ? 124 : code ?? 1, output, timedOut });
    });
  });
}

async function main() {
  const only = process.env.LINGUALEAP_STAGES?.split(',').map((s) => s.trim());
  const stages = only ? STAGES.filter((s) => only.includes(s.name)) : STAGES;
  const results = [];
  const started = Date.now();

  let codeServerError;
  if (stages.some((s) => s.needsCodeServer)) {
    try {
      const t = Date.now();
      await ensureCodeServer();
      console.log(`[test-all] code-server ready (${seconds(Date.now() - t)})`);
    } catch (error) {
      codeServerError = error instanceof Error ? error.message : String(error);
      console.error(`[test-all] code-server could not be installed: ${codeServerError}`);
    }
  }

  for (const stage of stages) {
    console.log(`\n[test-all] ── ${stage.name} (npm run ${stage.script}) ──`);
    const t = Date.now();
    if (stage.needsCodeServer && codeServerError) {
      results.push({ name: stage.name, passed: 0, failed: 1, ms: 0, note: 'code-server not installed' });
      continue;
    }
    const { code, output, timedOut } = await runStage(stage);
    const counted = stage.count?.(output);
    let passed;
    let failed;
    let note = '';
    if (counted) {
      ({ passed, failed } = counted);
      if (code !== 0 && failed === 0) {
        // Tests passed but the stage still failed (build error, crash after the summary).
        failed = 1;
        note = `exit code ${code}`;
      }
    } else if (stage.count) {
      // A test stage that printed no summary did not run its tests.
      passed = 0;
      failed = 1;
      note = `no test summary (exit code ${code})`;
    } else {
      passed = code === 0 ? 1 : 0;
      failed = code === 0 ? 0 : 1;
    }
    if (timedOut) {
      note = 'timed out';
    }
    results.push({ name: stage.name, passed, failed, ms: Date.now() - t, note });
  }

  console.log('\n[test-all] summary');
  for (const r of results) {
    const status = r.failed > 0 ? 'FAIL' : 'ok  ';
    console.log(`  ${status} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${seconds(r.ms).padStart(8)}${r.note ? `  (${r.note})` : ''}`);
  }
  console.log(`  total ${seconds(Date.now() - started)}`);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[test-all] ${error instanceof Error ? error.stack : error}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
