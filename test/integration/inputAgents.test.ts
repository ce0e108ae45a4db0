/**
 * Agent files in the workspace's `.claude/agents/` (Claude Code's convention), good and bad,
 * written at run time into the test workspace: each bad file is reported precisely in the log
 * (file, field, what is wrong), the bundled agent keeps answering, and `lingualeap.agent`
 * picks a valid workspace agent by name.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { logLineMatching } from './faultSupport';
import { config, useFakeApi } from './workbench';

interface Body {
  readonly system?: string | ReadonlyArray<{ readonly text: string }>;
}

function agentsDir(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, '.claude', 'agents');
}

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

/** name -> [file bytes, what the log must say about it] */
const BAD_FILES: Record<string, [Uint8Array, RegExp]> = {
  'no-front-matter.md': [enc('Just a prompt, no front matter.\n'), /no-front-matter\.md: the file has no front matter/],
  'invalid-yaml.md': [enc('---\nname: [broken\ndescription: x\n---\nBody.\n'), /invalid-yaml\.md: the front matter is not valid YAML/],
  'runs-code.md': [enc('---js\n{ name: (globalThis.__pwned = 1, "x"), description: "y" }\n---\nBody.\n'), /runs-code\.md: front matter must be YAML, not "js"; it was not evaluated/],
  'no-name.md': [enc('---\ndescription: reviews code\n---\nBody.\n'), /no-name\.md: the front matter has no "name".*\[field: name\]/],
  'no-description.md': [enc('---\nname: nodesc\n---\nBody.\n'), /no-description\.md: the front matter has no "description".*\[field: description\]/],
  'binary.md': [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]), /binary\.md: this is a binary file/],
  'huge.md': [enc(`---\nname: huge\ndescription: d\n---\n${'x'.repeat(300 * 1024)}\n`), /huge\.md: the file is \d+ KB; agent files may be at most 256 KB/],
  'bad-tools.md': [enc('---\nname: badtools\ndescription: tools of the wrong type\ntools: 42\nmodel: gpt-9\n---\nYou review tools.\n'), /bad-tools\.md: .*\[field: tools\]/],
};

suite('inputs: workspace agent files (.claude/agents)', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ fake: { defaultScenario: { text: 'ok' } }, resets: ['agent'] });

  async function systemPrompt(question: string): Promise<string> {
    const result = await vscode.commands.executeCommand<{ status: string } | undefined>('lingualeap.ask', { question });
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    const body = fake.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body as Body;
    return typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('');
  }

  suiteSetup(async () => {
    for (const [name, [bytes]] of Object.entries(BAD_FILES)) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(agentsDir(), name), bytes);
    }
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(agentsDir(), 'reviewer.md'),
      enc('---\nname: reviewer\ndescription: Reviews pull requests\nmodel: haiku\n---\nYou are the workspace reviewer.\n'),
    );
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(agentsDir(), '..'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('bad agent files are each reported precisely; the bundled agent keeps answering', async () => {
    const system = await systemPrompt('Still there?');
    assert.match(system, /LinguaLeap/, 'the bundled architect answered');
    assert.equal((globalThis as { __pwned?: number }).__pwned, undefined, 'front matter ran code');
    for (const [name, [, expected]] of Object.entries(BAD_FILES)) {
      const line = await logLineMatching([new RegExp(`\\.claude/agents/${name.replace('.', '\\.')}`), expected]);
      assert.ok(line.length < 600, `${name}: one short line`);
    }
  });

  test('lingualeap.agent picks a valid workspace agent by name', async () => {
    await config().update('agent', 'reviewer', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await systemPrompt('Who are you?'), 'You are the workspace reviewer.');
      const model = (fake.requests.at(-1)?.body as { model: string }).model;
      assert.equal(model, 'claude-haiku-5-5', 'the workspace agent\'s model alias applies');
    } finally {
      await config().update('agent', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('lingualeap.agent naming a broken or missing agent falls back to the bundled one and says why', async () => {
    await config().update('agent', 'badtools-typo', vscode.ConfigurationTarget.Global);
    try {
      assert.match(await systemPrompt('Fallback?'), /LinguaLeap/);
      await logLineMatching([/"lingualeap\.agent" setting names "badtools-typo"/, /found: .*"badtools".*"reviewer"/]);
    } finally {
      await config().update('agent', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
