/**
 * Every agent the user has, in the real extension host: a project agent (the workspace's
 * `.claude/agents/`), a user agent (the folder `LINGUALEAP_USER_AGENTS_DIR` points at: the test
 * environment gives a fresh one, never the real `~/.claude/agents`) and the bundled architect;
 * shadowing by name; a file edited between two questions is the new `system` prompt on the wire.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config, useFakeApi } from './workbench';

interface Body {
  readonly model: string;
  readonly system?: string | ReadonlyArray<{ readonly text: string }>;
}

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

function projectAgents(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, '.claude', 'agents');
}

function userAgents(): vscode.Uri {
  const dir = process.env.LINGUALEAP_USER_AGENTS_DIR;
  assert.ok(dir, 'the test environment sets LINGUALEAP_USER_AGENTS_DIR');
  return vscode.Uri.file(dir);
}

function agentFile(name: string, body: string, extra = ''): Uint8Array {
  return enc(`---\nname: ${name}\ndescription: ${name} for tests. Use it when testing.\n${extra}---\n${body}\n`);
}

suite('every agent: project, user, bundled', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ fake: { defaultScenario: { text: 'ok' } }, resets: ['agent'] });

  function lastBody(): Body {
    const request = fake.requests.filter((r) => r.path === '/v1/messages').at(-1);
    assert.ok(request, 'no request');
    return request.body as Body;
  }

  function systemText(body: Body): string {
    return typeof body.system === 'string' ? body.system : (body.system ?? []).map((block) => block.text).join('');
  }

  async function askAgent(agent: string, question = 'Who are you?'): Promise<Body> {
    const result = await vscode.commands.executeCommand<{ status: string } | undefined>('lingualeap.askAgent', { agent, question });
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    return lastBody();
  }

  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(projectAgents(), 'schema', 'prisma-expert.md'), agentFile('prisma-expert', 'You are the project Prisma expert.', 'model: opus\ncolor: purple\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(projectAgents(), 'reviewer.md'), agentFile('reviewer', 'You are the project reviewer.'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(userAgents(), 'reviewer.md'), agentFile('reviewer', 'You are the user reviewer.'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(userAgents(), 'writer.md'), agentFile('writer', 'You are the user writer.', 'model: haiku\n'));
    // The user's own copy of the architect: it shadows the bundled one.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(userAgents(), 'shadow.md'), agentFile('lingualeap-backend-architect', 'You are the user architect.'));
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(projectAgents(), '..'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    for (const name of ['reviewer.md', 'writer.md', 'shadow.md']) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(userAgents(), name)).then(undefined, () => undefined);
    }
  });

  test('a project agent in a sub-folder answers with its body and its model alias', async () => {
    const body = await askAgent('prisma-expert');
    assert.equal(systemText(body), 'You are the project Prisma expert.');
    assert.equal(body.model, 'claude-opus-5-5');
  });

  test('a user agent answers; a project agent of the same name shadows a user one', async () => {
    const writer = await askAgent('writer');
    assert.equal(systemText(writer), 'You are the user writer.');
    assert.equal(writer.model, 'claude-haiku-5-5');
    assert.equal(systemText(await askAgent('reviewer')), 'You are the project reviewer.');
  });

  test('a user agent with the bundled architect\'s name shadows it, so the default agent is the user\'s copy', async () => {
    const result = await vscode.commands.executeCommand<{ status: string }>('lingualeap.ask', { question: 'Default?' });
    assert.equal(result.status, 'completed');
    assert.equal(systemText(lastBody()), 'You are the user architect.');
  });

  test('lingualeap.agent makes a user agent the default', async () => {
    await config().update('agent', 'writer', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('lingualeap.ask', { question: 'Default now?' });
      assert.equal(systemText(lastBody()), 'You are the user writer.');
    } finally {
      await config().update('agent', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('an edited agent file is the new system prompt at the next question, with no reload', async () => {
    assert.equal(systemText(await askAgent('writer')), 'You are the user writer.');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(userAgents(), 'writer.md'), agentFile('writer', 'You are the EDITED user writer.', 'model: haiku\n'));
    assert.equal(systemText(await askAgent('writer', 'And now?')), 'You are the EDITED user writer.');
    // Deleted: it is gone from the next question on.
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(userAgents(), 'writer.md'));
    const before = fake.requests.length;
    const result = await vscode.commands.executeCommand('lingualeap.askAgent', { agent: 'writer', question: 'Still there?' });
    assert.equal(result, undefined, 'a deleted agent cannot be asked');
    assert.equal(fake.requests.length, before, 'nothing was sent');
  });
});
