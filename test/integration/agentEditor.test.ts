/**
 * Agent files as a language, in the real extension host: diagnostics in the Problems view at
 * their ranges, quick fixes fetched and applied through VS Code's own commands, completions,
 * hovers, the CodeLens, and the system prompt preview compared with the `system` the fake API
 * receives. The extension's own registration is tested, over the real agent registry (the user's
 * agents folder is the fresh one `LINGUALEAP_USER_AGENTS_DIR` names); one test registers a second
 * editor with a counting directory to show that registering reads nothing.
 *
 * VS Code's built-in prompt files also serve `.claude/agents/*.md` (as the `chatagent`
 * language, with hovers and completions of their own): the tests pick out this extension's.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { registerAgentEditor } from '../../src/agentEditor';
import { AGENT_FILE_LANGUAGES, isAgentFilePath } from '../../src/agentEditor/documents';
import { AgentQuickFixes } from '../../src/agentEditor/providers';
import { COMMANDS, SYSTEM_PROMPT_SCHEME } from '../../src/contributes/ids';
import { FRONT_MATTER_FIELDS, TOOL_NOTES } from '../../src/core/agent/fields';
import { MODEL_CHOICES } from '../../src/core/agent/models';
import type { AgentDirectory, AgentFileEntry } from '../../src/host/agents';
import { config, useFakeApi } from './workbench';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

const BROKEN = [
  '---',
  'name: Broken Agent',
  'description: Reviews the backend for the agent editor tests.',
  'tools: Reed, Grep',
  'colour: blue',
  '---',
  'You review code.',
  '',
].join('\n');

const NO_DESCRIPTION = '---\nname: editor-nodesc\n---\nBody.\n';

/** A body with what a careless copy would lose: leading indentation, a code fence, non-ASCII, blank lines. */
const REVIEWER_BODY = [
  'You are the editor reviewer.',
  '',
  '## Rules',
  '',
  '  - Be brief — «quoted» ✓',
  '```ts',
  'const answer = 42;',
  '```',
].join('\n');

const REVIEWER = [
  '---',
  'name: editor-reviewer',
  'description: Reviews pull requests for the agent editor tests.',
  'tools: Read, ',
  'model: ',
  '---',
  '',
  REVIEWER_BODY,
  '',
  '',
].join('\n');

const twin = (description: string): string => `---\nname: twin\ndescription: ${description}\n---\nYou are a twin.\n`;

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return folder.uri;
}

const projectAgents = (): vscode.Uri => vscode.Uri.joinPath(workspaceFolder(), '.claude', 'agents');

/** Waits until `probe` returns something other than undefined (the diagnostics are debounced and asynchronous). */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LinguaLeap');
}

/**
 * The diagnostics of `uri` once `ready` holds for them. What depends on another file's change
 * waits for the file watcher's event, which can take seconds on a loaded machine: 20 s.
 */
function diagnosticsWhen(uri: vscode.Uri, what: string, ready: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return until(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    () => {
      const diagnostics = ours(uri);
      return ready(diagnostics) ? diagnostics : undefined;
    },
    timeoutMs,
  );
}

const withCode = (diagnostics: readonly vscode.Diagnostic[], code: string): vscode.Diagnostic[] => diagnostics.filter((d) => d.code === code);

/** A directory with no agent files that counts how often the editor asks for them. */
class CountingDirectory implements AgentDirectory, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  reads = 0;

  constructor(readonly userFolder: vscode.Uri) {}

  files(): Promise<readonly AgentFileEntry[]> {
    this.reads++;
    return Promise.resolve([]);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

const previewSystemPrompt = async (file: vscode.Uri): Promise<void> => {
  await vscode.commands.executeCommand(COMMANDS.previewSystemPrompt, file);
};

const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

/** The markdown of this extension's hover among all the hovers at a position. */
function ourHover(hovers: readonly vscode.Hover[], startsWith: string): { hover: vscode.Hover; markdown: vscode.MarkdownString } | undefined {
  for (const hover of hovers) {
    const markdown = hover.contents.find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.startsWith(startsWith));
    if (markdown) {
      return { hover, markdown };
    }
  }
  return undefined;
}

suite('agent files as a language (.claude/agents)', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ fake: { defaultScenario: { text: 'ok' } }, resets: ['agent'] });
  let claudeExisted = false;
  const uris = {
    broken: (): vscode.Uri => vscode.Uri.joinPath(projectAgents(), 'broken.md'),
    noDescription: (): vscode.Uri => vscode.Uri.joinPath(projectAgents(), 'no-description.md'),
    reviewer: (): vscode.Uri => vscode.Uri.joinPath(projectAgents(), 'reviewer.md'),
    twinA: (): vscode.Uri => vscode.Uri.joinPath(projectAgents(), 'twin-a.md'),
    twinB: (): vscode.Uri => vscode.Uri.joinPath(projectAgents(), 'team', 'twin-b.md'),
  };

  async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok(AGENT_FILE_LANGUAGES.includes(document.languageId), document.languageId);
    return document;
  }

  suiteSetup(async () => {
    claudeExisted = await vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceFolder(), '.claude')).then(
      () => true,
      () => false,
    );
    for (const [uri, text] of [
      [uris.broken(), BROKEN],
      [uris.noDescription(), NO_DESCRIPTION],
      [uris.reviewer(), REVIEWER],
    ] as const) {
      await vscode.workspace.fs.writeFile(uri, enc(text));
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of Object.values(uris)) {
      await vscode.workspace.fs.delete(uri(), { useTrash: false }).then(undefined, () => undefined);
    }
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(projectAgents(), 'team'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    if (!claudeExisted) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder(), '.claude'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });

  test('an agent file is one under a .claude/agents folder, at any depth, with either separator', () => {
    for (const path of ['/w/.claude/agents/a.md', '/w/.claude/agents/team/deep/a.md', 'C:\\w\\.claude\\agents\\a.md', '.claude/agents/a.md']) {
      assert.equal(isAgentFilePath(path), true, path);
    }
    for (const path of ['/w/.claude/agents.md', '/w/.claude/agents/a.txt', '/w/claude/agents/a.md', '/w/.claude/commands/a.md', '/w/agents/a.md', '/w/x.claude/agents/a.md']) {
      assert.equal(isAgentFilePath(path), false, path);
    }
  });

  test('registering reads nothing until an agent file is opened, and is quick', async () => {
    const directory = new CountingDirectory(vscode.Uri.file('/nonexistent/lingualeap-test-user-agents'));
    const context = { subscriptions: [] as vscode.Disposable[] } as unknown as vscode.ExtensionContext;
    const log = vscode.window.createOutputChannel('LinguaLeap agent editor (test)', { log: true });
    try {
      const agentFileOpen = vscode.workspace.textDocuments.some((d) => isAgentFilePath(d.uri.path));
      const started = performance.now();
      registerAgentEditor(context, { directory, log });
      const elapsed = performance.now() - started;
      console.log(`      registerAgentEditor took ${elapsed.toFixed(2)} ms`);
      assert.ok(elapsed < 100, `registering took ${elapsed.toFixed(1)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (!agentFileOpen) {
        assert.equal(directory.reads, 0, 'the agent files were listed before any agent file was opened');
      }
      await open(uris.noDescription());
      await until('the directory to be read for the opened agent file', () => (directory.reads > 0 ? true : undefined));
    } finally {
      vscode.Disposable.from(...context.subscriptions, log, directory).dispose();
    }
  });

  test('diagnostics appear on open at their ranges, with source, code and severity', async () => {
    const document = await open(uris.broken());
    const diagnostics = await diagnosticsWhen(uris.broken(), 'the three problems of broken.md', (d) => d.length === 3);
    const [name] = withCode(diagnostics, 'name-format');
    assert.ok(name, 'name-format');
    assert.equal(name.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([name.range.start.line, name.range.start.character, name.range.end.line, name.range.end.character], [1, 6, 1, 18]);
    assert.equal(document.getText(name.range), 'Broken Agent');
    assert.match(name.message, /^Claude Code wants a name of lowercase letters/);

    const [tool] = withCode(diagnostics, 'unknown-tool');
    assert.ok(tool, 'unknown-tool');
    assert.equal(tool.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(tool.range), 'Reed');
    assert.equal(tool.range.start.line, 3);
    assert.equal(tool.message, '"Reed" is not a Claude Code tool; did you mean "Read"?');

    const [key] = withCode(diagnostics, 'unknown-key');
    assert.ok(key, 'unknown-key');
    assert.equal(key.severity, vscode.DiagnosticSeverity.Hint);
    assert.equal(document.getText(key.range), 'colour');
    assert.equal(key.message, 'The front-matter key "colour" is not used by Claude Code or this extension.', 'a sentence on its own starts with a capital');

    await open(uris.noDescription());
    const [missing, ...more] = await diagnosticsWhen(uris.noDescription(), 'missing-description', (d) => d.length > 0);
    assert.equal(more.length, 0);
    assert.equal(missing.code, 'missing-description');
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([missing.range.start.line, missing.range.start.character, missing.range.end.line, missing.range.end.character], [0, 0, 0, 3]);

  });

  test('a quick fix fetched through the real API and applied removes its problem', async () => {
    const document = await open(uris.broken());
    const diagnostics = await diagnosticsWhen(uris.broken(), 'the problems of broken.md', (d) => d.length === 3);
    const [tool] = withCode(diagnostics, 'unknown-tool');
    // The command hands the provider the workbench's markers at the range, which reach the
    // workbench a moment after the extension host has them: ask until they have arrived (the
    // workbench's own chat actions, "Fix" and "Explain", are offered either way).
    const isToolFix = (a: vscode.CodeAction) => a.title === 'Change to "Read"' || a.title === 'Remove "Reed" from tools';
    const actions = await until('the quick fixes of the unknown tool', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uris.broken(),
        tool.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return found.some(isToolFix) ? found : undefined;
    });
    // The command returns titles, kinds, edits and isPreferred (not the attached diagnostics).
    const toolFixes = actions.filter(isToolFix);
    assert.deepEqual(
      toolFixes.map((a) => a.title),
      ['Change to "Read"', 'Remove "Reed" from tools'],
    );
    for (const action of toolFixes) {
      assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(!action.isPreferred, `"${action.title}": no single obvious fix between a rename and a removal`);
      assert.ok(action.edit, `"${action.title}" has an edit`);
    }
    // The provider itself, for what the command leaves out: each fix carries its diagnostic.
    const direct = await new AgentQuickFixes(new CountingDirectory(vscode.Uri.file('/nonexistent'))).provideCodeActions(document, tool.range, {
      diagnostics: [tool],
      only: vscode.CodeActionKind.QuickFix,
      triggerKind: vscode.CodeActionTriggerKind.Invoke,
    });
    assert.deepEqual(
      direct.map((a) => [a.title, a.diagnostics?.length, a.diagnostics?.[0] === tool]),
      [
        ['Change to "Read"', 1, true],
        ['Remove "Reed" from tools', 1, true],
      ],
    );
    assert.ok(await vscode.workspace.applyEdit(toolFixes[0].edit!));
    assert.equal(document.lineAt(3).text, 'tools: Read, Grep');
    // The document changed without being saved: the diagnostics follow the text as typed.
    await diagnosticsWhen(uris.broken(), 'unknown-tool to go', (d) => d.length === 2 && withCode(d, 'unknown-tool').length === 0);

    const [name] = withCode(ours(uris.broken()), 'name-format');
    const nameActions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uris.broken(),
      name.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const [rename, ...others] = nameActions.filter((a) => a.title.startsWith('Rename to'));
    assert.equal(others.length, 0);
    assert.equal(rename.title, 'Rename to "broken-agent"');
    assert.equal(rename.isPreferred, true, 'the one fix is the preferred one');
    assert.ok(await vscode.workspace.applyEdit(rename.edit!));
    assert.equal(document.lineAt(1).text, 'name: broken-agent');
    const left = await diagnosticsWhen(uris.broken(), 'name-format to go', (d) => d.length === 1);
    assert.equal(left[0].code, 'unknown-key', 'a hint has no fix and stays');
    assert.ok(await document.save());
  });

  test('closing an agent file clears its diagnostics; reopening checks it again', async () => {
    const document = await open(uris.noDescription());
    const language = document.languageId;
    await diagnosticsWhen(uris.noDescription(), 'missing-description', (d) => d.length === 1);
    // A language change closes the document (and opens a plain-text one): the same event as closing the file.
    const plain = await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
    await diagnosticsWhen(uris.noDescription(), 'the diagnostics to be cleared', (d) => d.length === 0);
    await vscode.languages.setTextDocumentLanguage(plain, language);
    await diagnosticsWhen(uris.noDescription(), 'missing-description again', (d) => d.length === 1);
  });

  test('completions offer tool names after tools:, model aliases after model:', async () => {
    const document = await open(uris.reviewer());
    const toolsLine = document.lineAt(3);
    const tools = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uris.reviewer(),
      toolsLine.range.end,
    );
    // This extension's items (VS Code's own prompt-file completions may be there too).
    const toolItems = tools.items.filter((item) => item.detail === TOOL_NOTES[label(item)] || item.detail === 'Claude Code only: not available here');
    const labels = toolItems.map(label);
    for (const tool of ['Glob', 'Grep', 'LS', 'Bash', 'Write']) {
      assert.ok(labels.includes(tool), `${tool} is offered (got ${labels.join(', ')})`);
    }
    assert.ok(!labels.includes('Read'), 'Read is already listed');
    const grep = toolItems[labels.indexOf('Grep')];
    assert.equal(grep.kind, vscode.CompletionItemKind.Function);
    assert.equal(grep.insertText, 'Grep');
    assert.ok(grep.range instanceof vscode.Range, 'one range');
    assert.ok(grep.range.start.isEqual(toolsLine.range.end), 'inserted where the cursor is');
    assert.ok(grep.sortText! < toolItems[labels.indexOf('Write')].sortText!, 'a tool that runs here sorts before a Claude Code-only tool');

    const models = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uris.reviewer(),
      document.lineAt(4).range.end,
    );
    const modelItems = models.items.filter((item) => MODEL_CHOICES.some((choice) => choice.value === label(item) && choice.detail === item.detail));
    assert.deepEqual(modelItems.map(label), MODEL_CHOICES.map((choice) => choice.value));
    assert.ok(modelItems.every((item) => item.kind === vscode.CompletionItemKind.EnumMember));

    const body = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uris.reviewer(),
      new vscode.Position(7, 4),
    );
    assert.equal(body.items.filter((item) => item.detail === TOOL_NOTES[label(item)]).length, 0, 'no tool is offered in the body');
  });

  test('hovers explain a field over its key and a tool over its name, as untrusted Markdown', async () => {
    await open(uris.reviewer());
    const atKey = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uris.reviewer(), new vscode.Position(3, 2));
    const field = ourHover(atKey, '**tools**');
    assert.ok(field, 'a hover over "tools"');
    assert.equal(field.markdown.value, FRONT_MATTER_FIELDS.tools.hover);
    assert.ok(!field.markdown.isTrusted, 'no command links');
    assert.ok(!field.markdown.supportHtml, 'no HTML');
    assert.deepEqual([field.hover.range?.start.line, field.hover.range?.start.character, field.hover.range?.end.character], [3, 0, 5]);

    const atTool = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uris.reviewer(), new vscode.Position(3, 8));
    const tool = ourHover(atTool, '**Read**');
    assert.equal(tool?.markdown.value, '**Read**: reads a file of the workspace.');
    assert.deepEqual([tool?.hover.range?.start.character, tool?.hover.range?.end.character], [7, 11]);

    const body = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uris.reviewer(), new vscode.Position(7, 4));
    assert.equal(ourHover(body, '**'), undefined, 'no hover in the body');
  });

  test('CodeLens: Ask this agent and Preview system prompt with the file, only on a file that defines an agent', async () => {
    for (const uri of [uris.reviewer(), uris.broken()]) {
      await open(uri);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const commands = lenses.filter((lens) => lens.command?.command.startsWith('lingualeap.'));
      assert.deepEqual(
        commands.map((lens) => [lens.command?.command, lens.command?.title, lens.range.start.line]),
        [
          [COMMANDS.askThisAgent, 'Ask this agent', 0],
          [COMMANDS.previewSystemPrompt, 'Preview system prompt', 0],
        ],
      );
      for (const lens of commands) {
        assert.equal((lens.command?.arguments?.[0] as vscode.Uri).toString(), uri.toString());
      }
    }
    await open(uris.noDescription());
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uris.noDescription());
    assert.equal(none.filter((lens) => lens.command?.command.startsWith('lingualeap.')).length, 0);
  });

  test('the system prompt preview is exactly the system sent, read-only beside the file, and follows the file', async () => {
    await config().update('agent', 'editor-reviewer', vscode.ConfigurationTarget.Global);
    const result = await vscode.commands.executeCommand<{ status: string } | undefined>('lingualeap.ask', { question: 'Who are you?' });
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    const sent = fake.requests.filter((r) => r.path === '/v1/messages').at(-1)?.body as { system?: string | { text: string }[] };
    const system = typeof sent.system === 'string' ? sent.system : (sent.system ?? []).map((b) => b.text).join('');
    assert.equal(system, REVIEWER_BODY, 'the workspace agent answered');

    await vscode.window.showTextDocument(await open(uris.reviewer()));
    await previewSystemPrompt(uris.reviewer());
    const shown = await until('the preview editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === SYSTEM_PROMPT_SCHEME && e.document.uri.query === uris.reviewer().toString()),
    );
    const preview = shown.document;
    assert.equal(preview.getText(), system, 'the preview is the system parameter, byte for byte');
    assert.equal(preview.languageId, 'markdown');
    assert.equal(preview.uri.path, '/system prompt · editor-reviewer');
    assert.notEqual(shown.viewColumn, vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uris.reviewer().toString())?.viewColumn, 'beside the file');
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(SYSTEM_PROMPT_SCHEME), true, 'nothing can save the preview');

    await vscode.workspace.fs.writeFile(uris.reviewer(), enc(REVIEWER.replace('You are the editor reviewer.', 'You are the new reviewer.')));
    // The file watcher's event can take a few seconds on a loaded machine.
    await until('the preview to follow the file', () => (preview.getText().startsWith('You are the new reviewer.') ? true : undefined), 20_000);
    assert.equal(preview.getText(), REVIEWER_BODY.replace('You are the editor reviewer.', 'You are the new reviewer.'));

    const before = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SYSTEM_PROMPT_SCHEME).length;
    await previewSystemPrompt(uris.noDescription());
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.scheme === SYSTEM_PROMPT_SCHEME && d.uri.query === uris.noDescription().toString()),
      'no preview for a file that defines no agent',
    );
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SYSTEM_PROMPT_SCHEME).length, before);
  });

  test('duplicate names across files and scopes say which one answers, and follow the agent files', async () => {
    await vscode.workspace.fs.writeFile(uris.twinA(), enc(twin('The first twin. Use it for tests.')));
    await vscode.workspace.fs.writeFile(uris.twinB(), enc(twin('The second twin. Use it for tests.')));
    await open(uris.twinB());
    await open(uris.twinA());
    // Two project files of one name: the path that sorts first answers (".claude/agents/team/…" before ".claude/agents/twin-a.md").
    const [loser, ...extra] = withCode(
      await diagnosticsWhen(uris.twinA(), 'twin-a shadowed by team/twin-b', (d) => withCode(d, 'duplicate-name').length > 0),
      'duplicate-name',
    );
    assert.deepEqual(extra.map((d) => d.message), [], 'one duplicate');
    assert.equal(loser.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      loser.message,
      '.claude/agents/team/twin-b.md (project agent) is also named "twin" and answers instead of this one: of two files in one place, the path that sorts first is used.',
    );
    assert.equal(loser.range.start.line, 1);
    assert.equal(loser.relatedInformation?.[0]?.location.uri.toString(), uris.twinB().toString(), 'the other file is linked');
    const [winner] = withCode(await diagnosticsWhen(uris.twinB(), 'team/twin-b shadowing twin-a', (d) => withCode(d, 'duplicate-name').length === 1), 'duplicate-name');
    assert.equal(winner.severity, vscode.DiagnosticSeverity.Information);
    assert.match(winner.message, /^This agent answers instead of \.claude\/agents\/twin-a\.md \(project agent\), which is also named "twin"/);

    const userFolder = process.env.LINGUALEAP_USER_AGENTS_DIR;
    assert.ok(userFolder, 'the test environment sets LINGUALEAP_USER_AGENTS_DIR');
    const userTwin = vscode.Uri.joinPath(vscode.Uri.file(userFolder), 'twin.md');
    await vscode.workspace.fs.writeFile(userTwin, enc(twin('The user twin. Use it for tests.')));
    try {
      await open(userTwin);
      const shadowed = withCode(
        await diagnosticsWhen(userTwin, 'the user twin shadowed by both project twins', (d) => withCode(d, 'duplicate-name').length === 2),
        'duplicate-name',
      );
      for (const diagnostic of shadowed) {
        assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(diagnostic.message, /\(project agent\) is also named "twin" and answers instead of this one: project agents win over user agents, and both over the bundled one\.$/);
      }
      await diagnosticsWhen(uris.twinB(), 'twin-b to name the user twin', (d) =>
        d.some((x) => x.message.startsWith('This agent answers instead of ~/.claude/agents/twin.md (user agent)')),
      );
    } finally {
      await vscode.workspace.fs.delete(userTwin, { useTrash: false });
    }

    await vscode.workspace.fs.delete(uris.twinA(), { useTrash: false });
    await diagnosticsWhen(uris.twinB(), 'the duplicate to go with twin-a', (d) => withCode(d, 'duplicate-name').length === 0);
  });
});
