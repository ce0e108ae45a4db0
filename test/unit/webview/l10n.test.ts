/**
 * A translation needs no code change: the real panel (renderPanelHtml with a bundle, main.ts, its
 * CSP) in headless Chromium shows the bundle's strings, with their arguments in the translated
 * order, from the first thing it renders on; a string the bundle lacks stays English; a hostile
 * translation is text, never markup or script.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPanelPage, type PanelPage } from './panelPage';

const HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** Keys as `npm run l10n` writes them (a message with a comment is `message/comment`). */
const BUNDLE: Record<string, string> = {
  'Send (Enter)': 'Senden (Eingabe)',
  'Question {0}': 'Frage {0}',
  'Thinking…': 'Denkt nach…',
  'Stop/Button that stops the answer while it streams': 'Anhalten',
  'Stop answering': 'Antwort anhalten',
  Copy: 'Kopieren',
  'Copy code': 'Code kopieren',
  '{0} of {1} done': 'Erledigt: {0} von {1}',
  'Not sent.': 'Nicht gesendet.',
  Steps: HOSTILE,
};

let panel: PanelPage;

before(async () => {
  panel = await openPanelPage('dark', { l10nBundle: BUNDLE });
});

after(async () => {
  await panel?.browser.close();
});

/** The texts the tests read, in one round trip. */
function read(): Promise<Record<string, string | null | undefined>> {
  return panel.page.evaluate(() => {
    const turn = document.querySelector('article.turn');
    return {
      send: document.getElementById('composer-send')?.title,
      question: turn?.querySelector('.question h2')?.textContent,
      status: turn?.querySelector('.status-text')?.textContent,
      stop: turn?.querySelector('.stop-button span')?.textContent,
      stopLabel: turn?.querySelector('.stop-button')?.getAttribute('aria-label'),
      stopTitle: turn?.querySelector('.stop-button')?.getAttribute('title'),
      copyLabel: turn?.querySelector('.copy-button')?.getAttribute('aria-label'),
      copyTitle: turn?.querySelector('.copy-button')?.getAttribute('title'),
      plan: turn?.querySelector('.plan-progress')?.textContent,
      planTitle: turn?.querySelector('.plan-title')?.textContent,
      steps: turn?.querySelector('.tool-steps')?.getAttribute('aria-label'),
      note: turn?.querySelector('.turn-note-stopped')?.textContent,
    };
  });
}

test('the page is translated from its first render, arguments in the translation’s order', async () => {
  assert.equal((await read()).send, 'Senden (Eingabe)', 'set while main.ts starts: the bundle was read first');
  await panel.post(
    { type: 'init', agentName: 'LinguaLeap Architect', model: 'claude-sonnet-4-5' },
    { type: 'turnStarted', turnId: 't1', question: 'Why is it slow?' },
  );
  await panel.post(
    { type: 'delta', turnId: 't1', text: 'Look:\n\n```ts\nconst a = 1;\n```\n\nMore' },
    {
      type: 'todos',
      turnId: 't1',
      todos: [
        { content: 'Read the schema', status: 'completed' },
        { content: 'Trace the query', status: 'in_progress' },
        { content: 'Fix it', status: 'pending' },
      ],
    },
  );
  await panel.frames();
  const streaming = await read();
  assert.deepEqual(
    { ...streaming, note: undefined, steps: undefined },
    {
      // Strings the bundle lacks stay English: busy, the button says to wait; text has arrived.
      send: 'Wait for the answer to finish (or Stop it)',
      question: 'Frage 1',
      status: 'Answering…',
      stop: 'Anhalten',
      stopLabel: 'Antwort anhalten',
      stopTitle: 'Stop answering (Escape)',
      copyLabel: 'Code kopieren',
      copyTitle: 'Kopieren',
      plan: 'Erledigt: 1 von 3',
      planTitle: 'Plan',
      note: undefined,
      steps: undefined,
    },
  );
});

test('a hostile translation is text: it neither closes the data block nor runs', async () => {
  await panel.post({ type: 'toolStep', turnId: 't1', step: { stepId: 's1', tool: 'Read', title: 'Read `a.ts`', status: 'done', at: 10 } });
  await panel.post({ type: 'turnCancelled', turnId: 't1', notSent: true });
  const done = await read();
  assert.equal(done.steps, HOSTILE, 'the whole value, as an attribute');
  assert.equal(done.note, 'Nicht gesendet.');
  const page = await panel.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned,
    scripts: document.scripts.length,
    images: document.images.length,
  }));
  // The data block, the stub and main.ts: nothing the bundle held became an element.
  assert.deepEqual(page, { pwned: undefined, scripts: 3, images: 0 });
  assert.deepEqual(await panel.violations(), []);
});
