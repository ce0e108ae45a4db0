/**
 * Bash with real child processes: consent (deny, once, for the conversation), refusals without a
 * dialog, the environment, output caps, exit codes, and the process tree stopped on timeout and Stop.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTool, type BashConsent, type ToolSession } from '../../../../src/core/tools';
import { commandEnv } from '../../../../src/core/tools/bash';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree();
after(() => tree.dispose());
const bash = (input: unknown, consent: BashConsent[] = ['allow'], session: ToolSession = newSession(), signal = NEVER) => {
  const host = testHost([tree.root], { consent });
  return { host, outcome: runTool('Bash', input, host, session, signal) };
};

test('deny: the dialog shows the command, cwd and description; nothing runs; the model is told', async () => {
  const { host, outcome } = bash({ command: 'touch denied.txt', description: 'Create a file' }, ['deny']);
  const result = await outcome;
  assert.deepEqual(host.confirmCalls, [{ command: 'touch denied.txt', cwd: tree.root, description: 'Create a file' }]);
  assert.equal(existsSync(join(tree.root, 'denied.txt')), false);
  assert.equal(result.isError, true);
  assert.match(result.content, /^The user denied running this command; it did not run\./);
  assert.equal(result.summary, 'Bash `touch denied.txt` · denied');
  assert.equal(result.exitCode, undefined);
});

test('allow once: the command runs in the first folder; the same command asks again next time', async () => {
  const session = newSession();
  const first = bash({ command: 'pwd && touch once.txt' }, ['allow'], session);
  const result = await first.outcome;
  assert.equal(result.isError, false);
  assert.equal(result.content, `${tree.root}\n\nExit code 0`);
  assert.equal(result.exitCode, 0);
  assert.equal(result.summary, 'Bash `pwd && touch once.txt` · exit 0');
  assert.ok(existsSync(join(tree.root, 'once.txt')));
  assert.equal(session.allowedCommands.size, 0);
  const second = bash({ command: 'pwd && touch once.txt' }, ['deny'], session);
  assert.equal((await second.outcome).isError, true);
  assert.equal(second.host.confirmCalls.length, 1);
});

test('allow for the conversation: the exact command runs again without asking, another command asks', async () => {
  const session = newSession();
  const first = bash({ command: 'echo hi' }, ['allowConversation'], session);
  assert.equal((await first.outcome).content, 'hi\n\nExit code 0');
  assert.deepEqual([...session.allowedCommands], ['echo hi']);
  const again = bash({ command: 'echo hi' }, [], session);
  assert.equal((await again.outcome).content, 'hi\n\nExit code 0');
  assert.equal(again.host.confirmCalls.length, 0);
  const other = bash({ command: 'echo hi ' }, ['deny'], session);
  assert.equal((await other.outcome).summary, 'Bash `echo hi` · denied');
  assert.equal(other.host.confirmCalls.length, 1);
});

test('"never", Restricted Mode and no workspace refuse without opening the dialog', async () => {
  const cases = [
    [testHost([tree.root], { bash: 'never' }), /^Running commands is turned off \(the lingualeap\.tools\.bash setting is "never"\), so the command did not run\.$/],
    [testHost([tree.root], { trusted: false }), /^This workspace is in Restricted Mode, where commands never run; the user can trust the workspace to allow them\.$/],
    [testHost([]), /^No workspace folder is open, so there is nowhere to run the command; it did not run\.$/],
  ] as const;
  for (const [host, expected] of cases) {
    const session = newSession();
    session.allowedCommands.add('touch refused.txt');
    const result = await runTool('Bash', { command: 'touch refused.txt' }, host, session, NEVER);
    assert.equal(result.isError, true);
    assert.match(result.content, expected);
    assert.equal(host.confirmCalls.length, 0);
    assert.equal(existsSync(join(tree.root, 'refused.txt')), false);
  }
});

test('the environment is inherited without ANTHROPIC_API_KEY; stdin is closed', async () => {
  process.env.ANTHROPIC_API_KEY = 'sk-ant-test-secret';
  process.env.LINGUALEAP_TOOLS_TEST = 'inherited';
  try {
    const { outcome } = bash({ command: 'echo "key=${ANTHROPIC_API_KEY:-none} var=$LINGUALEAP_TOOLS_TEST"; cat; echo "stdin closed"' });
    assert.equal((await outcome).content, 'key=none var=inherited\nstdin closed\n\nExit code 0');
  } finally {
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.LINGUALEAP_TOOLS_TEST;
  }
  assert.equal(commandEnv({ anthropic_api_key: 'x', PATH: '/bin' }).anthropic_api_key, undefined);
});

test('stdout and stderr interleave in arrival order; escapes are stripped; the exit code is reported', async () => {
  const { outcome } = bash({ command: "echo one; sleep 0.1; echo two >&2; sleep 0.1; printf '\\033[32mthree\\033[0m\\n'; exit 3" });
  const result = await outcome;
  assert.equal(result.content, 'one\ntwo\nthree\n\nExit code 3');
  assert.deepEqual([result.isError, result.exitCode, result.summary], [true, 3, "Bash `echo one; sleep 0.1; echo two >&2; sleep 0.1; printf '\\033[…` · exit 3"]);
  const missing = await bash({ command: 'no-such-command-lingualeap' }).outcome;
  assert.equal(missing.exitCode, 127);
  assert.match(missing.content, /not found/);
  assert.equal((await bash({ command: 'true' }).outcome).content, '(no output)\n\nExit code 0');
});

test('output over 30,000 characters keeps its head and tail around a count of what was cut', async () => {
  const expected = Array.from({ length: 100_000 }, (_, i) => `${i + 1}\n`).join('');
  const result = await bash({ command: 'seq 1 100000' }).outcome;
  const [head, marker, tail] = result.content.split('\n… ');
  assert.ok(head.startsWith('1\n2\n3\n'));
  assert.equal(head, expected.slice(0, 15_000).replace(/\n$/, ''));
  assert.ok(marker.startsWith(`${(expected.length - 30_000).toLocaleString('en-US')} characters cut …\n`), marker.slice(0, 40));
  assert.ok(result.content.endsWith('99999\n100000\n\nExit code 0'));
  assert.equal(tail, undefined);
  assert.ok(result.content.length < 30_200);
});

test('timeout kills the command, its child and its grandchild, and says so', async () => {
  const childPid = join(tree.root, 'timeout-child.pid');
  const grandchildPid = join(tree.root, 'timeout-grandchild.pid');
  const command = `sh -c 'sleep 60 & echo $! > ${grandchildPid}; wait' & echo $! > ${childPid}; echo started; wait`;
  const started = Date.now();
  const result = await bash({ command, timeout: 1000 }).outcome;
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.equal(result.isError, true);
  assert.equal(result.content, 'started\n\nThe command timed out after 1 s and was stopped, with every process it started.');
  assert.equal(result.summary.endsWith('· timed out after 1 s'), true);
  await assertGone(readPid(childPid), 'child');
  await assertGone(readPid(grandchildPid), 'grandchild');
});

test('Stop mid-run kills the tree at once; the outcome is cancelled', async () => {
  const pidFile = join(tree.root, 'abort.pid');
  const controller = new AbortController();
  const started = Date.now();
  const { outcome } = bash({ command: `sh -c 'sleep 60 & echo $! > ${pidFile}; wait'` }, ['allow'], newSession(), controller.signal);
  while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const sleeper = readPid(pidFile);
  controller.abort();
  const result = await outcome;
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual([result.cancelled, result.summary], [true, 'Bash · stopped']);
  await assertGone(sleeper, 'sleep');
});

test('Stop while the dialog is open: nothing runs even if the user then allows', async () => {
  const controller = new AbortController();
  const host = testHost([tree.root], { consent: ['allow'] });
  const confirm = host.confirmBash.bind(host);
  host.confirmBash = (request) => {
    controller.abort();
    return confirm(request);
  };
  const result = await runTool('Bash', { command: 'touch late.txt' }, host, newSession(), controller.signal);
  assert.equal(result.cancelled, true);
  assert.equal(existsSync(join(tree.root, 'late.txt')), false);
});

test('a background process the command leaves behind is stopped when it exits, without waiting for it', async () => {
  const pidFile = join(tree.root, 'background.pid');
  const started = Date.now();
  const result = await bash({ command: `sleep 60 & echo $! > ${pidFile}; echo done` }).outcome;
  assert.ok(Date.now() - started < 5000);
  assert.equal(result.content, 'done\n\nExit code 0');
  await assertGone(readPid(pidFile), 'background sleep');
});

test('bad input names the field', async () => {
  const cases: [unknown, string][] = [
    [{}, 'Bash needs "command": the shell command to run.'],
    [{ command: '   ' }, 'Bash needs "command": the shell command to run.'],
    [{ command: 'ls', timeout: 600_001 }, 'The "timeout" field of Bash must be a time in milliseconds from 1 to 600000, not 600001.'],
    [{ command: 'ls', timeout: 'soon' }, 'The "timeout" field of Bash must be a time in milliseconds from 1 to 600000, not "soon".'],
    [{ command: 'ls', description: 7 }, 'The "description" field of Bash must be a string, not 7.'],
  ];
  for (const [input, expected] of cases) {
    const { host, outcome } = bash(input, []);
    const result = await outcome;
    assert.deepEqual([result.isError, result.content], [true, expected]);
    assert.equal(host.confirmCalls.length, 0);
  }
});

function readPid(file: string): number {
  const pid = Number(readFileSync(file, 'utf8').trim());
  assert.ok(pid > 0, `a pid in ${file}`);
  return pid;
}

/** Waits up to 2 s for the process to be gone; a zombie (killed, not yet reaped by init) counts as gone. */
async function assertGone(pid: number, what: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (!isAlive(pid)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the ${what} (pid ${pid}) is still running`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Linux: field 3 of /proc/<pid>/stat is the state; Z is a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
