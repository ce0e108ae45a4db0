/**
 * Smoke tests that run inside a real extension host: the extension is found, activates,
 * registers its command, and its manifest puts the command in the editor's context menu only
 * when there is a selection. The runner sets the environment these tests check (see
 * test/scripts/run-integration.mjs).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './workbench';

interface MenuItem {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
  return found;
}

/** True when every way `when` can be true requires a non-negated `editorHasSelection`. */
function requiresSelection(when: string): boolean {
  return when
    .split('||')
    .every((alternative) => alternative.split('&&').some((term) => term.trim() === 'editorHasSelection'));
}

suite('smoke', () => {
  test('the extension is installed', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.name, 'lingualeap-architect');
    assert.equal(ext.packageJSON.publisher, 'lingualeap');
  });

  test('the extension activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('the command lingualeap.ask is registered', async () => {
    await extension().activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('lingualeap.ask'), 'lingualeap.ask is not among the registered commands');
  });

  test('the editor context menu offers lingualeap.ask only with a selection', () => {
    const menus = extension().packageJSON.contributes?.menus as Record<string, MenuItem[]> | undefined;
    const entry = menus?.['editor/context']?.find((item) => item.command === 'lingualeap.ask');
    assert.ok(entry, 'no editor/context menu entry for lingualeap.ask');
    assert.ok(entry.when, 'the editor/context entry has no `when` clause');
    assert.ok(requiresSelection(entry.when), `\`${entry.when}\` does not require editorHasSelection`);
  });

  test('the sample workspace is open', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    const routes = await vscode.workspace.findFiles('src/routes/*.ts');
    assert.ok(routes.length > 0, `no src/routes/*.ts in ${folder.uri.toString()}`);
  });

  test('the extension host sees the fake Anthropic server and a test key', async () => {
    const fakeUrl = process.env.LINGUALEAP_TEST_FAKE_URL;
    assert.ok(fakeUrl, 'LINGUALEAP_TEST_FAKE_URL is not set in the extension host');
    assert.equal(process.env.ANTHROPIC_BASE_URL, fakeUrl);
    assert.match(process.env.ANTHROPIC_API_KEY ?? '', /^fake-key-test-/);
    // Any HTTP answer proves the extension host can reach it; no test talks to the real API.
    const response = await fetch(fakeUrl, { method: 'GET' });
    assert.ok(response.status > 0);
  });
});
