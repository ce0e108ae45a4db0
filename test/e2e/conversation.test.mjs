// The architect panel's conversation as a user has it: a follow-up typed in the panel, the
// receipt of each answer (its tokens and price), code block buttons, the panel restored after a window
// reload, and the panel in a dark and a light theme (screenshots for the README).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS_DIR, workbenchSuite } from './workbench.mjs';

const ASK = 'LinguaLeap: Ask LinguaLeap Architect';
const ROUTES = 'src/routes/lessons.ts';
const hasTurn = () => !!document.querySelector('article.turn');

const FIRST = [
  '## Cache the lesson lookup',
  '',
  'Read through Redis first and fall back to PostgreSQL:',
  '',
  '```ts',
  "const cached = await redis.get(`lesson:${id}`);",
  'if (cached) return res.json(JSON.parse(cached));',
  '```',
  '',
  '- Expire keys after **10 minutes**',
  '- Invalidate on update',
].join('\n');
const SECOND = 'Test it with a **fake Redis** and assert the second call skips the database.';
// Sonnet: 1234×$3 + 567×$15 + 890×$0.30 + 12×$3.75 per million = $0.012519.
const USAGE = { input_tokens: 1234, output_tokens: 567, cache_read_input_tokens: 890, cache_creation_input_tokens: 12 };

/**
 * The panel's webview as an image (the iframe's box on the page), saved as `readme-<file>`:
 * `npm run screenshots` copies it to docs/images/ for the README.
 */
async function panelShot(wb, frame, file) {
  const box = await (await frame.frameElement()).boundingBox();
  assert.ok(box, 'the webview has no box on the page');
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await wb.page.screenshot({ path: join(SCREENSHOTS_DIR, `readme-${file}`), clip: box });
}

async function askAboutSelection(wb, question) {
  await wb.openFile(ROUTES);
  await wb.selectLines(14, 21);
  await wb.runCommand(ASK);
  await wb.typeInQuickInput(question);
  const frame = await wb.findWebviewFrame(hasTurn);
  await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the first answer' });
  return frame;
}

workbenchSuite('conversation', {}, (test) => {
  test('a follow-up typed in the panel continues the conversation; tokens and price match the server', async (wb) => {
    await wb.fake.script({ text: FIRST, usage: USAGE }, { text: SECOND, usage: { ...USAGE, output_tokens: 100 } });
    const frame = await askAboutSelection(wb, 'Should this route cache lessons in Redis?');

    const first = await frame.evaluate(() => ({
      receipt: document.querySelector('article.turn .receipt-summary')?.textContent ?? '',
      buttons: [...document.querySelectorAll('article.turn .code-header button')].map((b) => b.getAttribute('aria-label')),
    }));
    // Without the cache (2,136 input tokens) it would have cost $0.014913: saved $0.002394.
    assert.equal(first.receipt, 'Receipt · 2,703 tokens · $0.01 · saved $0.0024 by cache · 1 request');
    assert.deepEqual(first.buttons, ['Insert at cursor', 'Apply as diff', 'Open in new editor', 'Copy code']);

    const input = frame.locator('#composer-input');
    await input.click();
    await input.fill('And how do I test it?');
    await input.press('Enter');
    await wb.waitInFrame(frame, () => document.querySelectorAll('article.turn.is-completed').length === 2, { what: 'the follow-up answer' });

    const requests = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
    assert.equal(requests.length, 2);
    const roles = requests[1].body.messages.map((m) => m.role);
    assert.deepEqual(roles, ['user', 'assistant', 'user']);
    const text = (m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => b.text).join(''));
    assert.match(text(requests[1].body.messages[0]), /router\.get\('\/lessons\/:id'/, 'the original code goes with the follow-up');
    assert.equal(text(requests[1].body.messages[2]), 'And how do I test it?');

    const shown = await frame.evaluate(() => ({
      second: document.querySelectorAll('article.turn .receipt-summary')[1]?.textContent ?? '',
      total: document.getElementById('conversation-total')?.textContent ?? '',
      input: document.getElementById('composer-input')?.value,
    }));
    assert.equal(shown.second, 'Receipt · 2,236 tokens · $0.0055 · saved $0.0024 by cache · 1 request');
    // 2,468 input + 667 output + 1,780 cache read + 24 cache write = 4,939 tokens; $0.012519 + $0.005514.
    assert.equal(shown.total, '4,939 tokens · $0.02');
    assert.equal(shown.input, '', 'the box is emptied after sending');

    // Room for the panel, no toasts over it, then one picture per theme.
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.runCommand('Notifications: Clear All Notifications');
    // The workbench starts light; the toggle goes to the preferred dark theme (Default Dark Modern) and back.
    const TOGGLE = 'Preferences: Toggle between Light/Dark Themes';
    if (await frame.evaluate(() => !document.body.classList.contains('vscode-dark'))) {
      await wb.runCommand(TOGGLE);
    }
    await wb.waitInFrame(frame, () => document.body.classList.contains('vscode-dark'), { what: 'the dark theme' });
    await frame.evaluate(() => window.scrollTo(0, 0));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await panelShot(wb, frame, 'panel-dark.png');
    await wb.runCommand(TOGGLE);
    await wb.waitInFrame(frame, () => document.body.classList.contains('vscode-light'), { what: 'the light theme' });
    await wb.runCommand('Notifications: Clear All Notifications');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await panelShot(wb, frame, 'panel-light.png');
  });

  test('the panel comes back with its conversation after the window reloads', async (wb) => {
    await wb.fake.script({ text: FIRST });
    await askAboutSelection(wb, 'Will this survive a reload?');
    // Let the webview's state reach the workbench, then reload the window the way a user does
    // (it saves the editor layout first), and reload the page itself.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const navigated = wb.page.waitForEvent('framenavigated', { predicate: (f) => f === wb.page.mainFrame() });
    await wb.runCommand('Developer: Reload Window');
    await navigated;
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    const frame = await wb.findWebviewFrame(() => document.querySelectorAll('article.turn.is-completed').length === 1);
    const restored = await frame.evaluate(() => ({
      question: document.querySelector('article.turn .question-text')?.textContent,
      heading: document.querySelector('article.turn .answer .markdown h2')?.textContent,
      code: document.querySelector('article.turn pre code')?.textContent ?? '',
    }));
    assert.equal(restored.question, 'Will this survive a reload?');
    assert.equal(restored.heading, 'Cache the lesson lookup');
    assert.match(restored.code, /redis\.get/);
  });
});
