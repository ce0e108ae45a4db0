// A translation needs no code change: in a real VS Code whose display language is German, a
// copy of the extension with German files added next to the English ones (`package.nls.de.json`,
// `l10n/bundle.l10n.de.json`, written here; the product ships English only) shows German:
// - the command palette lists the German title of Ask LinguaLeap Architect (manifest strings),
//   and no longer the English one;
// - the panel, opened by that German title, has the German "New conversation" button label and
//   empty-state title (strings of the webview, handed over by the host);
// - the agent status bar item's tooltip, made in the extension host, is German.
//
// VS Code switches an extension's bundle only when the display language is not English, and it
// resolves `--locale de` to German only with a language pack for `de` installed (listed in the
// user data's `languagepacks.json`): test/fixtures/language-pack-de is one that translates next
// to nothing of VS Code itself.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { REPO_ROOT } from '../scripts/common.mjs';
import { STEP_TIMEOUT, workbenchSuite } from './workbench.mjs';

const LANGUAGE_PACK = join(REPO_ROOT, 'test', 'fixtures', 'language-pack-de');

/** German for a few manifest strings (keys of package.nls.json). */
const MANIFEST_DE = {
  'command.ask.title': 'LinguaLeap Architect fragen',
};

/** German for a few code strings (keys of l10n/bundle.l10n.json). */
const BUNDLE_DE = {
  'New conversation': 'Neue Unterhaltung',
  'Ask about your code': 'Fragen Sie zu Ihrem Code',
  'Click to choose the default agent.': 'Klicken, um den Standard-Agenten zu wählen.',
  // The command named in the empty panel's hint, as the palette shows it (a key with its comment).
  'LinguaLeap: Ask LinguaLeap Architect/The command as the Command Palette shows it: "%command.category%: %command.ask.title%" of package.nls.json':
    'LinguaLeap: LinguaLeap Architect fragen',
};

const ASK_EN = 'LinguaLeap: Ask LinguaLeap Architect';
const ASK_DE = `LinguaLeap: ${MANIFEST_DE['command.ask.title']}`;

/**
 * A copy of the built extension (what the .vsix holds) with the German files added. Every key
 * must be one the English files have, or the test would prove nothing about our strings.
 */
function stageGermanExtension() {
  const manifestNls = JSON.parse(readFileSync(join(REPO_ROOT, 'package.nls.json'), 'utf8'));
  const bundle = JSON.parse(readFileSync(join(REPO_ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'));
  for (const key of Object.keys(MANIFEST_DE)) {
    assert.ok(key in manifestNls, `package.nls.json has no "${key}"`);
  }
  for (const key of Object.keys(BUNDLE_DE)) {
    assert.ok(key in bundle, `l10n/bundle.l10n.json has no "${key}"`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'lingualeap-locale-'));
  for (const name of ['package.json', 'package.nls.json', 'l10n', 'dist', 'agents', 'media', 'README.md', 'LICENSE']) {
    if (existsSync(join(REPO_ROOT, name))) {
      cpSync(join(REPO_ROOT, name), join(stage, name), { recursive: true });
    }
  }
  assert.ok(!existsSync(join(stage, 'package.nls.de.json')) && !existsSync(join(stage, 'l10n', 'bundle.l10n.de.json')), 'the repository ships German already');
  writeFileSync(join(stage, 'package.nls.de.json'), JSON.stringify(MANIFEST_DE, null, 2));
  writeFileSync(join(stage, 'l10n', 'bundle.l10n.de.json'), JSON.stringify(BUNDLE_DE, null, 2));
  return stage;
}

const stage = stageGermanExtension();
after(() => rmSync(stage, { recursive: true, force: true }));

workbenchSuite('locale', { extensionPath: stage, extraExtensions: [LANGUAGE_PACK], locale: 'de' }, (test) => {
  test('in German, the palette, the panel and the status bar show the German strings', async (wb) => {
    const page = wb.page;

    const entries = await wb.commandPaletteEntries(ASK_DE);
    assert.ok(entries.some((label) => label.startsWith(ASK_DE)), `the palette shows no "${ASK_DE}": ${entries.join(' | ')}`);
    const english = await wb.commandPaletteEntries('LinguaLeap:');
    assert.ok(!english.some((label) => label.startsWith(ASK_EN)), `the palette still shows "${ASK_EN}": ${english.join(' | ')}`);

    await wb.runCommand(ASK_DE);
    const frame = await wb.findWebviewFrame(() => !!document.getElementById('new-conversation'));
    const panel = await wb.waitInFrame(
      frame,
      () => {
        const button = document.getElementById('new-conversation');
        const title = document.querySelector('#empty-state .empty-title');
        const command = document.querySelector('#empty-state .empty-hint strong');
        return title?.textContent && { aria: button.getAttribute('aria-label'), title: button.getAttribute('title'), empty: title.textContent.trim(), command: command?.textContent };
      },
      { what: 'the panel with its empty state' },
    );
    assert.deepEqual(panel, { aria: BUNDLE_DE['New conversation'], title: BUNDLE_DE['New conversation'], empty: BUNDLE_DE['Ask about your code'], command: ASK_DE });

    // Once the agents are read, the tooltip ends with the German sentence (a host string).
    const item = page.locator('.statusbar-item[id$="lingualeap.agent"]');
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: BUNDLE_DE['Click to choose the default agent.'] });
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      await item.hover();
      try {
        await hover.first().waitFor({ state: 'visible', timeout: 3000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          const shown = await page.locator('.workbench-hover, .monaco-hover').allInnerTexts().catch(() => []);
          throw new Error(`the agent status bar item's tooltip is not German; it shows: ${shown.join(' | ') || '(no hover)'}`, { cause: error });
        }
      }
      // Move away so the next hover opens a fresh tooltip.
      await page.mouse.move(700, 300);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
