/**
 * The architect's tools in a real extension host: the fake API scripts a run (Glob, Read, Grep,
 * then an answer) and every tool result is checked on the wire, as the next request carries it;
 * the panel's conversation holds the steps. Bash: deny, allow once, allow for the conversation,
 * a timeout and Stop (the consent dialog is answered through the test-mode hook: the extension
 * host cannot click a modal; the e2e suite clicks the real one).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RecordedRequest } from '../fake-anthropic/server';
import { closePanels, useFakeApi } from './workbench';

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly text: string;
}

interface Block {
  readonly type: string;
  readonly text?: string;
  readonly name?: string;
  readonly id?: string;
  readonly tool_use_id?: string;
  readonly is_error?: boolean;
  readonly content?: string | ReadonlyArray<{ readonly type: string; readonly text: string }>;
}

interface Body {
  readonly tools?: ReadonlyArray<{ readonly name: string; readonly type?: string }>;
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string | readonly Block[] }>;
}

interface StoredStep {
  readonly stepId: string;
  readonly tool: string;
  readonly title: string;
  readonly status: string;
  readonly at: number;
  readonly links?: ReadonlyArray<{ readonly label: string }>;
}

interface Asked {
  readonly agentName: string;
  readonly request: { readonly command: string; readonly cwd: string };
  readonly answer: string;
}

function ask(question: string): Thenable<TurnResult | undefined> {
  return vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
}

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return folder.uri.fsPath;
}

/** The `tool_result` blocks the request sent back, by `tool_use` id. */
function toolResults(request: RecordedRequest): Block[] {
  const last = (request.body as Body).messages.at(-1);
  assert.ok(last && Array.isArray(last.content), 'the request ends with a user message of blocks');
  return (last.content as Block[]).filter((block) => block.type === 'tool_result');
}

function resultText(block: Block): string {
  return typeof block.content === 'string' ? block.content : (block.content ?? []).map((part) => part.text).join('');
}

function bashConsent(...answers: string[]): Thenable<Asked[]> {
  return vscode.commands.executeCommand<Asked[]>('_lingualeap.test.bashConsent', answers);
}

suite('the architect\'s tools', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ resets: ['tools.maxSteps'], eachTest: 'closeEditors' });
  const messages = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/messages');

  setup(async () => {
    await closePanels();
    await bashConsent();
  });

  test('Glob, Read and Grep run in the workspace; each result goes back on the wire; the panel keeps the steps', async () => {
    fake.script(
      { text: 'Let me look at the schema.', toolCalls: [{ name: 'Glob', input: { pattern: '**/*.prisma' } }] },
      { toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma', limit: 12 } }] },
      { toolCalls: [{ name: 'Grep', input: { pattern: 'findMany', output_mode: 'content', '-n': true } }] },
      { text: 'Lessons are listed with `findMany` ordered by `createdAt`.' },
    );
    const result = await ask('How are lessons listed?');
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    // Text from a later request of the turn starts a new paragraph.
    assert.equal(result.text, 'Let me look at the schema.\n\nLessons are listed with `findMany` ordered by `createdAt`.');

    const requests = messages();
    assert.equal(requests.length, 4);
    // The bundled agent grants Bash, Glob, Grep, LS, Read, WebFetch, TodoWrite, WebSearch.
    const declared = ((requests[0].body as Body).tools ?? []).map((tool) => tool.name);
    for (const name of ['Bash', 'Glob', 'Grep', 'LS', 'Read', 'TodoWrite', 'web_search', 'web_fetch']) {
      assert.ok(declared.includes(name), `${name} is declared: ${declared.join(', ')}`);
    }

    const [glob] = toolResults(requests[1]);
    assert.equal(glob.tool_use_id, 'toolu_fake_0_0');
    assert.ok(!glob.is_error, resultText(glob));
    assert.match(resultText(glob), /^prisma\/schema\.prisma$/m);

    const [read] = toolResults(requests[2]);
    assert.ok(!read.is_error, resultText(read));
    const schema = readFileSync(join(root(), 'prisma', 'schema.prisma'), 'utf8').split('\n');
    // Numbered like `cat -n`: the number, a tab, the line.
    assert.match(resultText(read), new RegExp(`^\\s*1\\t${schema[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(resultText(read), /^\s*12\t/m);
    assert.doesNotMatch(resultText(read), /^\s*13\t/m);

    const [grep] = toolResults(requests[3]);
    assert.ok(!grep.is_error, resultText(grep));
    assert.match(resultText(grep), /src\/services\/lessonService\.ts:\d+:.*findMany/);

    const conversation = await vscode.commands.executeCommand<{ turns: { steps?: StoredStep[] }[] }>('_lingualeap.panel.conversation');
    const steps = conversation.turns.at(-1)?.steps ?? [];
    assert.deepEqual(
      steps.map((step) => [step.tool, step.status]),
      [
        ['Glob', 'done'],
        ['Read', 'done'],
        ['Grep', 'done'],
      ],
    );
    assert.match(steps[1].title, /^Read prisma\/schema\.prisma · lines 1–12 of \d+/);
    assert.equal(steps[0].at, 'Let me look at the schema.'.length);
    assert.deepEqual(steps[1].links?.map((link) => link.label), ['prisma/schema.prisma:1-12']);
  });

  test('a path outside the workspace and an excluded file are refused, and the model is told in one sentence', async () => {
    fake.script(
      { toolCalls: [{ name: 'Read', input: { file_path: '../../../../etc/passwd' } }, { name: 'Read', input: { file_path: '.env' } }] },
      { text: 'ok' },
    );
    assert.equal((await ask('Read secrets'))?.status, 'completed');
    const [outside, env] = toolResults(messages()[1]);
    assert.equal(outside.is_error, true);
    assert.match(resultText(outside), /outside the workspace/i);
    assert.equal(env.is_error, true);
    assert.match(resultText(env), /lingualeap\.tools\.exclude|excluded/i);
  });

  test('Bash: Deny runs nothing and tells the model; Allow runs it once; the same command asks again', async () => {
    const marker = join(root(), '.lingualeap-bash-marker');
    const command = `touch ${JSON.stringify(marker)} && echo made`;
    await vscode.workspace.fs.delete(vscode.Uri.file(marker)).then(undefined, () => undefined);
    await bashConsent('deny');
    fake.script({ toolCalls: [{ name: 'Bash', input: { command, description: 'Make a marker file' } }] }, { text: 'ok' });
    assert.equal((await ask('Run it'))?.status, 'completed');
    const [denied] = toolResults(messages()[1]);
    assert.equal(denied.is_error, true);
    assert.match(resultText(denied), /denied/i);
    assert.equal(existsSync(marker), false, 'a denied command does not run');
    const asked = await bashConsent();
    assert.equal(asked.length, 1);
    assert.equal(asked[0].request.command, command);
    assert.equal(asked[0].request.cwd, root());
    assert.equal(asked[0].agentName, 'LinguaLeap Backend Architect');

    fake.reset();
    fake.script({ toolCalls: [{ name: 'Bash', input: { command } }] }, { toolCalls: [{ name: 'Bash', input: { command } }] }, { text: 'done' });
    await bashConsent('allow', 'deny');
    assert.equal((await vscode.commands.executeCommand<TurnResult>('_lingualeap.panel.followUp', 'Again'))?.status, 'completed');
    assert.equal(existsSync(marker), true, 'an allowed command ran');
    const [ran] = toolResults(messages()[1]);
    assert.ok(!ran.is_error, resultText(ran));
    assert.match(resultText(ran), /made/);
    assert.match(resultText(ran), /exit code 0|exit 0/i);
    // Allow (once) does not remember: the second identical command asked again, and was denied.
    assert.equal((await bashConsent()).length, 2);
    assert.equal(toolResults(messages()[2])[0].is_error, true);
    await vscode.workspace.fs.delete(vscode.Uri.file(marker)).then(undefined, () => undefined);
  });

  test('Bash: Allow for this Conversation runs the same command again without asking, until a new conversation', async () => {
    const command = 'echo conversation-allowed';
    fake.script({ toolCalls: [{ name: 'Bash', input: { command } }] }, { toolCalls: [{ name: 'Bash', input: { command } }] }, { text: 'ok' });
    await bashConsent('allowConversation');
    assert.equal((await ask('Twice'))?.status, 'completed');
    assert.equal((await bashConsent()).length, 1, 'asked once for two runs');
    assert.match(resultText(toolResults(messages()[2])[0]), /conversation-allowed/);

    // Another command still asks.
    fake.script({ toolCalls: [{ name: 'Bash', input: { command: 'echo other' } }] }, { text: 'ok' });
    await bashConsent('deny');
    await vscode.commands.executeCommand('_lingualeap.panel.followUp', 'Other');
    assert.equal((await bashConsent()).length, 1);

    // A new conversation forgets it.
    await vscode.commands.executeCommand('lingualeap.newConversation');
    fake.script({ toolCalls: [{ name: 'Bash', input: { command } }] }, { text: 'ok' });
    await bashConsent('deny');
    await vscode.commands.executeCommand('_lingualeap.panel.followUp', 'Again, new conversation');
    assert.equal((await bashConsent()).length, 1, 'a new conversation asks again');
  });

  test('Bash: a command past its timeout is killed and the model is told', async () => {
    fake.script({ toolCalls: [{ name: 'Bash', input: { command: 'sleep 30', timeout: 1000 } }] }, { text: 'ok' });
    await bashConsent('allow');
    const started = Date.now();
    assert.equal((await ask('Slow'))?.status, 'completed');
    assert.ok(Date.now() - started < 20_000, 'the timeout ended it, not sleep');
    const [timedOut] = toolResults(messages()[1]);
    assert.equal(timedOut.is_error, true);
    assert.match(resultText(timedOut), /timed out|timeout/i);
  });

  test('Stop ends the turn while a command runs, and kills its whole process tree', async () => {
    const pidFile = join(root(), '.lingualeap-sleep-pid');
    await vscode.workspace.fs.delete(vscode.Uri.file(pidFile)).then(undefined, () => undefined);
    // A shell that starts a grandchild and records its pid.
    const command = `sh -c 'sleep 120 & echo $! > ${JSON.stringify(pidFile).slice(1, -1)}; wait'`;
    fake.script({ text: 'Running it.', toolCalls: [{ name: 'Bash', input: { command } }] }, { text: 'never sent' });
    await bashConsent('allow');
    const answer = ask('Run the long one');
    const deadline = Date.now() + 15_000;
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
      assert.ok(Date.now() < deadline, 'the command started');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await vscode.commands.executeCommand('lingualeap.stop');
    const result = await answer;
    assert.equal(result?.status, 'cancelled');
    assert.equal(result.text, 'Running it.');
    assert.equal(messages().length, 1, 'no request after Stop');
    const gone = Date.now() + 5000;
    while (isAlive(pid)) {
      assert.ok(Date.now() < gone, `the grandchild ${pid} was killed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await vscode.workspace.fs.delete(vscode.Uri.file(pidFile)).then(undefined, () => undefined);
  });

  test('the step limit ends a runaway loop with a note and the text so far', async () => {
    await vscode.workspace.getConfiguration('lingualeap').update('tools.maxSteps', 2, vscode.ConfigurationTarget.Global);
    fake.script(
      { text: 'Step one.', toolCalls: [{ name: 'LS', input: {} }] },
      { text: 'Step two.', toolCalls: [{ name: 'LS', input: { path: 'src' } }] },
      { text: 'never' },
    );
    const result = await ask('Loop');
    assert.equal(result?.status, 'completed');
    assert.equal(messages().length, 2);
    assert.match(result.text, /^Step one\.\n\nStep two\.\n\n\*Stopped after 2 steps, the limit for one question/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
