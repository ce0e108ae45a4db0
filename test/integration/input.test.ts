/**
 * Awkward editors and files, through `lingualeap.ask` in a real extension host: untitled,
 * empty, read-only, non-UTF-8, binary, minified and huge files, and notebook cells. Each must
 * either be sent readably (within the size budget, saying what was cut) or not at all, and the
 * question must still go.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config, useFakeApi } from './workbench';

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
}

interface Body {
  readonly messages: ReadonlyArray<{ readonly content: string | ReadonlyArray<{ readonly text?: string }> }>;
}

function workspaceUri(...path: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, ...path);
}

suite('inputs: awkward editors and files', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ fake: { defaultScenario: { text: 'Noted.' } }, resets: ['maxContextChars'], eachTest: 'closeEditors' });
  const created: vscode.Uri[] = [];

  async function ask(question: string): Promise<string> {
    const result = await vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    const request = fake.requests.filter((r) => r.path === '/v1/messages').at(-1);
    assert.ok(request, 'no request');
    const content = (request.body as Body).messages.at(-1)?.content ?? '';
    return typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
  }

  async function writeFile(name: string, bytes: Uint8Array): Promise<vscode.Uri> {
    const uri = workspaceUri('tmp-inputs', name);
    await vscode.workspace.fs.writeFile(uri, bytes);
    created.push(uri);
    return uri;
  }

  async function show(document: vscode.TextDocument, selectAll = false): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const end = document.lineAt(document.lineCount - 1).range.end;
    editor.selection = selectAll ? new vscode.Selection(new vscode.Position(0, 0), end) : new vscode.Selection(0, 0, 0, 0);
    return editor;
  }

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(workspaceUri('tmp-inputs'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('an untitled document is sent under its title', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'const limit = 10;\nexport default limit;\n', language: 'typescript' });
    await show(document, true);
    const sent = await ask('Untitled?');
    assert.match(sent, /Selected code from `Untitled-\d+, lines 1–2`/);
    assert.ok(sent.includes('const limit = 10;'));
    // Close it unsaved, without a "Save changes?" dialog.
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('an empty document with no selection sends only the question', async () => {
    const document = await vscode.workspace.openTextDocument({ content: '', language: 'plaintext' });
    await show(document);
    assert.equal(await ask('Only this'), 'Only this');
  });

  test('a whitespace-only file sends only the question', async () => {
    const uri = await writeFile('blank.ts', new TextEncoder().encode('\n   \n\t\n'));
    await show(await vscode.workspace.openTextDocument(uri));
    assert.equal(await ask('Blank file'), 'Blank file');
  });

  test('a read-only document is sent like any other', async () => {
    const uri = await writeFile('locked.ts', new TextEncoder().encode('export const locked = true;\n'));
    const editor = await show(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    const sent = await ask('Read-only?');
    assert.ok(sent.includes('export const locked = true;'), sent);
    assert.ok(sent.includes('tmp-inputs/locked.ts'), sent);
  });

  test('a non-UTF-8 (Latin-1) file is sent as text, the request stays valid JSON', async () => {
    const bytes = Uint8Array.from([...'const caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x3d, 0x31, 0x3b, 0x0a]));
    const uri = await writeFile('latin1.ts', bytes);
    await show(await vscode.workspace.openTextDocument(uri));
    const sent = await ask('Encoding?');
    assert.match(sent, /const caf.=1;/);
  });

  test('a binary file either does not open as text or goes as text without breaking the request', async () => {
    const bytes = new Uint8Array(2048);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = (i * 37) % 256;
    }
    const uri = await writeFile('blob.bin', bytes);
    let document: vscode.TextDocument | undefined;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      // VS Code refuses binary files as text: nothing of it can be sent.
    }
    if (document) {
      await show(document);
    }
    const sent = await ask('Binary?');
    assert.ok(sent.startsWith('Binary?'));
    assert.ok(!sent.includes('\u0000'), 'no NUL characters are sent');
  });

  test('a minified one-line file is cut inside the line to maxContextChars, and says so', async () => {
    await config().update('maxContextChars', 5000, vscode.ConfigurationTarget.Global);
    try {
      const line = 'var a=1;'.repeat(20_000);
      const uri = await writeFile('bundle.min.js', new TextEncoder().encode(line));
      await show(await vscode.workspace.openTextDocument(uri));
      const sent = await ask('Minified?');
      const code = /```\w*\n([\s\S]*?)\n```/.exec(sent)?.[1] ?? '';
      assert.equal(code.length, 5000, 'exactly the budget of code is sent');
      assert.match(sent, /Note: only the first 1 of 1 lines were sent, to fit the size limit; the rest was cut\./);
      assert.ok(sent.length < 5000 + 1000, `the message is ${sent.length} characters`);
    } finally {
      await config().update('maxContextChars', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a huge file is cut at a line boundary within the budget, and the note says how much', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `export const value${i} = ${i};`);
    const uri = await writeFile('huge.ts', new TextEncoder().encode(lines.join('\n') + '\n'));
    await show(await vscode.workspace.openTextDocument(uri));
    const sent = await ask('Huge?');
    const budget = config().get<number>('maxContextChars', 60000);
    const code = /```typescript\n([\s\S]*?)\n```/.exec(sent)?.[1] ?? '';
    assert.ok(code.length <= budget && code.length > budget - 100, `${code.length} characters of code sent`);
    assert.ok(code.endsWith(';'), 'cut at a line boundary');
    const sentLines = code.split('\n').length;
    assert.ok(sent.includes(`only the first ${sentLines} of 5000 lines were sent`), sent.slice(-400));
    assert.ok(sent.includes(`lines 1–${sentLines}\``), 'the reference names the lines actually sent');
  });

  test('a notebook cell is named by its notebook and cell number', async function () {
    const notebookJson = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Lessons'] },
        { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['import redis\n', 'r = redis.Redis()\n'] },
      ],
      metadata: { language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const uri = await writeFile('analysis.ipynb', new TextEncoder().encode(JSON.stringify(notebookJson)));
    let notebook: vscode.NotebookDocument;
    try {
      notebook = await vscode.workspace.openNotebookDocument(uri);
    } catch {
      // No .ipynb serializer in this build of VS Code: nothing to test.
      this.skip();
      return;
    }
    await vscode.window.showNotebookDocument(notebook, { selections: [new vscode.NotebookRange(1, 2)] });
    const cell = notebook.cellAt(1);
    const editor = await vscode.window.showTextDocument(cell.document);
    assert.equal(editor.document.uri.scheme, 'vscode-notebook-cell');
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const sent = await ask('Notebook?');
    assert.ok(sent.includes('tmp-inputs/analysis.ipynb, cell 2'), sent);
    assert.ok(!sent.includes('vscode-notebook-cell'), 'the cell URI is not shown');
    assert.ok(sent.includes('r = redis.Redis()'));
  });
});
