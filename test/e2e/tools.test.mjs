// The architect's tools as a user meets them in the real workbench: a question in the panel
// makes the agent Glob, Read, Grep and ask to run a command; VS Code's modal consent dialog
// shows the exact command and folder and is clicked like a user would (Allow, then Deny on a
// follow-up); the steps show between the text, a step's file link opens the editor at the
// matched line; every tool result is checked on the wire. The same in `@lingualeap` in the Chat
// view: progress lines, the files read as references with their lines, the same consent.
// Restricted Mode (no dialog, the command refused) is in trust.test.mjs, which has that setup.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS_DIR, STEP_TIMEOUT, workbenchSuite } from './workbench.mjs';

const ASK = 'LinguaLeap: Ask LinguaLeap Architect';
const AGENT = 'LinguaLeap Backend Architect';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The architect's requests (count_tokens has no scenario and is left out). */
async function messageRequests(wb) {
  return (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
}

/** The text of a tool_result's content, whatever its shape. */
const resultText = (block) => (typeof block.content === 'string' ? block.content : (block.content ?? []).map((part) => part.text ?? '').join(''));

/**
 * What request `k` sent back for the calls of request `k - 1`: its assistant message's
 * `tool_use` blocks and the `tool_result`s of the user message after it, paired by id.
 */
function toolExchange(requests, k) {
  const messages = requests[k].body.messages;
  const assistant = messages.at(-2);
  const user = messages.at(-1);
  assert.equal(assistant?.role, 'assistant', `request ${k} carries the previous reply`);
  assert.equal(user?.role, 'user');
  const calls = assistant.content.filter((block) => block.type === 'tool_use');
  const results = user.content.filter((block) => block.type === 'tool_result');
  assert.deepEqual(
    results.map((block) => block.tool_use_id),
    calls.map((block) => block.id),
    `request ${k} answers every call of request ${k - 1}, in order`,
  );
  return calls.map((call, i) => ({ call, result: results[i], text: resultText(results[i]) }));
}

/** Lines in a file the way Read counts them (a last line without a newline counts too). */
function lineCount(path) {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The line of `path` (1-based) whose text includes `needle`. */
function lineOf(path, needle) {
  const index = readFileSync(path, 'utf8').split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${path} has no "${needle}"`);
  return index + 1;
}

/**
 * Waits for VS Code's modal dialog, checks what it says, takes an optional screenshot and
 * clicks `button` (found by its exact text, as a user reads it).
 * @returns {Promise<{ message: string, detail: string, buttons: string[] }>}
 */
async function answerConsent(wb, button, { screenshot } = {}) {
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  // In the page's own DOM (no shadow root): trust.test.mjs watches for it with querySelector.
  assert.ok(await wb.page.evaluate(() => !!document.querySelector('.monaco-dialog-box')), 'the dialog is not in the document');
  const shown = {
    message: (await dialog.locator('.dialog-message-text').innerText()).trim(),
    detail: (await dialog.locator('.dialog-message-detail').innerText()).trim(),
    buttons: (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((label) => label.trim()),
  };
  if (screenshot) {
    await sleep(300);
    await shot(wb, screenshot);
  }
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return shown;
}

/**
 * Saves `test-results/screenshots/readme-<name>.png` (the page, or the `clip` box):
 * `npm run screenshots` copies it to docs/images/<name>.png.
 */
async function shot(wb, name, clip) {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `readme-${name}.png`);
  await wb.page.screenshot({ path, ...(clip ? { clip } : {}) });
  return { path, bytes: statSync(path).size };
}

/** The consent dialog's detail: the exact command on a line of its own, and the folder. */
function assertConsentShows(shown, command, folder) {
  assert.equal(shown.message, `${AGENT} wants to run a command`);
  const lines = shown.detail.split('\n').map((line) => line.trim());
  assert.ok(lines.includes(command), `the dialog shows the exact command:\n${shown.detail}`);
  assert.ok(lines.includes(`in ${folder}`), `the dialog names the folder ${folder}:\n${shown.detail}`);
  assert.deepEqual(shown.buttons.filter((label) => /Allow|Deny/.test(label)).sort(), ['Allow', 'Allow for this Conversation', 'Deny']);
}

/**
 * The answer of turn `n` (1-based) as shown: its text segments and step groups in order; each
 * step's title (as the host sent it, backticks included), tool and state.
 */
function answerLayout(frame, n) {
  return frame.evaluate((index) => {
    const turn = document.querySelectorAll('article.turn')[index - 1];
    const body = turn?.querySelector('.answer-body');
    if (!body) {
      return undefined;
    }
    return [...body.children]
      .map((child) =>
        child.matches('ul.tool-steps')
          ? {
              steps: [...child.querySelectorAll('li.tool-step')].map((step) => ({
                tool: step.dataset.tool,
                title: step.querySelector('.tool-step-header')?.getAttribute('title') ?? '',
                state: [...step.classList].find((c) => c.startsWith('is-')),
              })),
            }
          : { text: (child.textContent ?? '').trim() },
      )
      .filter((part) => part.steps || part.text !== '');
  }, n);
}

/** Waits until turn `n` (1-based) of the panel has ended; asserts it completed. */
async function waitForTurn(frame, n) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const state = await frame
      .evaluate((index) => {
        const turn = document.querySelectorAll('article.turn')[index - 1];
        return turn && /is-(completed|failed|cancelled)/.test(turn.className) ? turn.className : undefined;
      }, n)
      .catch(() => undefined);
    if (state) {
      assert.match(state, /is-completed/, `turn ${n} did not complete`);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`turn ${n} did not end within ${STEP_TIMEOUT} ms`);
    }
    await sleep(150);
  }
}

workbenchSuite('tools', {}, (test) => {
  test('panel: Glob, Read, Grep and a Bash command the user allows; steps between the text; a step link opens the file at the line; Deny runs nothing', async (wb) => {
    const schema = join(wb.workspace, 'prisma', 'schema.prisma');
    const service = join(wb.workspace, 'src', 'services', 'lessonService.ts');
    const findManyLine = lineOf(service, 'findMany');
    const LIST = 'ls -1 prisma';
    await wb.fake.script(
      { text: 'I will start from the Prisma schema, then look at how lessons are queried.', toolCalls: [{ name: 'Glob', input: { pattern: '**/*.prisma' } }] },
      { toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma', limit: 30 } }] },
      { toolCalls: [{ name: 'Grep', input: { pattern: 'findMany', output_mode: 'content', '-n': true } }] },
      { toolCalls: [{ name: 'Bash', input: { command: LIST, description: 'See whether the schema has migrations' } }] },
      {
        text: [
          '## Lesson listing',
          '',
          '`LessonService` lists lessons with `findMany` filtered by `language` and ordered by `createdAt`, but `Lesson` has no `createdAt` column and no index on `language`.',
          '',
          '- Add `createdAt DateTime @default(now())` and `@@index([language, createdAt])`.',
          '- `prisma/` holds no `migrations/` folder yet: create the first migration with `prisma migrate dev`.',
        ].join('\n'),
      },
    );

    // No editor open: only the question goes; the agent finds the code itself.
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('How are lessons listed, and is the schema migrated?');

    // The panel shows the Bash step running while the dialog asks.
    const frame = await wb.findWebviewFrame(() => !!document.querySelector('article.turn'));
    await wb.waitInFrame(frame, () => document.querySelector('li.tool-step.is-running[data-tool="Bash"]'), { what: 'the Bash step to start' });
    const allowed = await answerConsent(wb, 'Allow', { screenshot: 'tools-consent' });
    assertConsentShows(allowed, LIST, wb.workspace);
    assert.match(allowed.detail, /See whether the schema has migrations/, 'the description the model gave is shown');

    await waitForTurn(frame, 1);

    // On the wire: each request answers the previous one's call with the tool's real result.
    const requests = await messageRequests(wb);
    assert.equal(requests.length, 5, 'four tool steps and the answer');
    const declared = requests[0].body.tools.map((tool) => tool.name);
    for (const name of ['Glob', 'Read', 'Grep', 'Bash']) {
      assert.ok(declared.includes(name), `${name} is declared: ${declared.join(', ')}`);
    }
    const question = requests[0].body.messages[0].content;
    assert.match(typeof question === 'string' ? question : question.map((block) => block.text ?? '').join(''), /^How are lessons listed/);
    const [glob] = toolExchange(requests, 1);
    assert.equal(glob.call.name, 'Glob');
    assert.ok(!glob.result.is_error, glob.text);
    assert.equal(glob.text.trim(), 'prisma/schema.prisma');
    const [read] = toolExchange(requests, 2);
    assert.equal(read.call.name, 'Read');
    assert.ok(!read.result.is_error, read.text);
    const schemaLines = readFileSync(schema, 'utf8').split('\n');
    assert.match(read.text, /^\s*1\tdatasource db \{$/m, 'numbered like cat -n');
    assert.ok(read.text.includes(`30\t${schemaLines[29]}`), 'line 30 is the last one read');
    assert.doesNotMatch(read.text, /^\s*31\t/m);
    const [grep] = toolExchange(requests, 3);
    assert.equal(grep.call.name, 'Grep');
    assert.ok(!grep.result.is_error, grep.text);
    assert.match(grep.text, new RegExp(`^src/services/lessonService\\.ts:${findManyLine}:.*findMany`, 'm'));
    const [bash] = toolExchange(requests, 4);
    assert.equal(bash.call.name, 'Bash');
    assert.ok(!bash.result.is_error, bash.text);
    assert.equal(bash.text, 'schema.prisma\n\nExit code 0', 'the real output of the command the user allowed');

    // In the panel: the text, the four steps in one group with their titles, then the answer.
    const layout = await answerLayout(frame, 1);
    const total = lineCount(schema);
    assert.deepEqual(layout, [
      { text: 'I will start from the Prisma schema, then look at how lessons are queried.' },
      {
        steps: [
          { tool: 'Glob', title: 'Glob `**/*.prisma` · 1 file', state: 'is-done' },
          { tool: 'Read', title: `Read prisma/schema.prisma · lines 1–30 of ${total}`, state: 'is-done' },
          { tool: 'Grep', title: 'Grep `findMany` · 1 matching line in 1 file', state: 'is-done' },
          { tool: 'Bash', title: `Bash \`${LIST}\` · exit 0`, state: 'is-done' },
        ],
      },
      { text: layout?.[2]?.text ?? '(missing)' },
    ]);
    assert.match(layout[2].text, /^Lesson listing/);
    assert.match(layout[2].text, /create the first migration/);

    // Expand the Grep step: its result and a link to the matched line; the link opens the file there.
    const grepStep = frame.locator('li.tool-step[data-tool="Grep"]');
    await grepStep.locator('button.tool-step-header').click();
    const detail = grepStep.locator('.tool-step-detail');
    await detail.waitFor({ state: 'visible' });
    assert.match(await detail.innerText(), /lessonService\.ts:\d+:.*findMany/);
    // Its links: the folder searched, then each file with a match at its line.
    const labels = (await grepStep.locator('a.tool-step-link').allInnerTexts()).map((label) => label.trim());
    assert.deepEqual(labels.filter((label) => label.includes('lessonService')), [`src/services/lessonService.ts:${findManyLine}`]);
    const link = grepStep.locator('a.tool-step-link', { hasText: 'lessonService.ts' });
    // The Bash step shows what the command printed.
    const bashStep = frame.locator('li.tool-step[data-tool="Bash"]');
    await bashStep.locator('button.tool-step-header').click();
    assert.match(await bashStep.locator('.tool-step-detail').innerText(), /schema\.prisma\s+Exit code 0/);
    await frame.evaluate(() => window.scrollTo(0, 0));
    // The pointer off the panel, so no row shows as hovered in the picture.
    await wb.page.mouse.move(150, 500);
    await sleep(300);
    const panelBox = await (await frame.frameElement()).boundingBox();
    assert.ok(panelBox, 'the webview has no box on the page');
    await shot(wb, 'tools-panel', panelBox);

    await link.click();
    await wb.page.locator('.tabs-container .tab.active[data-resource-name="lessonService.ts"]').waitFor({ state: 'visible' });
    const status = wb.page.locator('#status\\.editor\\.selection');
    await status.filter({ hasText: `Ln ${findManyLine}, Col 1` }).waitFor({ state: 'visible' });
    const cursorLine = await wb.page
      .locator('.editor-instance .monaco-editor .view-overlays .current-line')
      .first()
      .isVisible()
      .catch(() => false);
    assert.ok(cursorLine, 'the editor shows its cursor line');

    // Back to the panel through its tab (opened with no editor, it shares the editor's group).
    await wb.page.locator('.tabs-container .tab', { hasText: AGENT }).first().click();
    await frame.locator('#composer-input').waitFor({ state: 'visible' });

    // A follow-up that wants to create a migration: the user says Deny, nothing runs, the model is told.
    const CREATE = 'mkdir -p prisma/migrations/0001_init && touch prisma/migrations/0001_init/migration.sql';
    const marker = join(wb.workspace, 'prisma', 'migrations', '0001_init', 'migration.sql');
    await wb.fake.script(
      { text: 'I can create the first migration for you.', toolCalls: [{ name: 'Bash', input: { command: CREATE, description: 'Create the first migration' } }] },
      { text: 'Understood, I did not create it. Run `npx prisma migrate dev --name init` when you are ready.' },
    );
    const before = (await messageRequests(wb)).length;
    const composer = frame.locator('#composer-input');
    await composer.click();
    await composer.fill('Create the migration for me.');
    await composer.press('Enter');
    const denied = await answerConsent(wb, 'Deny');
    assertConsentShows(denied, CREATE, wb.workspace);
    await waitForTurn(frame, 2);
    assert.equal(existsSync(marker), false, 'the denied command ran');
    assert.equal(existsSync(join(wb.workspace, 'prisma', 'migrations')), false, 'the denied command ran');

    const after = (await messageRequests(wb)).slice(before);
    assert.equal(after.length, 2);
    const [refused] = toolExchange(after, 1);
    assert.equal(refused.call.name, 'Bash');
    assert.equal(refused.result.is_error, true);
    assert.match(refused.text, /The user denied running this command; it did not run\./);
    const second = await answerLayout(frame, 2);
    assert.deepEqual(second, [
      { text: 'I can create the first migration for you.' },
      // The title quotes at most 60 characters of the command.
      { steps: [{ tool: 'Bash', title: `Bash \`${CREATE.slice(0, 59)}…\` · denied`, state: 'is-error' }] },
      { text: 'Understood, I did not create it. Run npx prisma migrate dev --name init when you are ready.' },
    ]);
  });
  test('chat: @lingualeap shows progress lines, asks the same modal for Bash, and lists the files read as references with their lines', async (wb) => {
    const page = wb.page;
    const schema = join(wb.workspace, 'prisma', 'schema.prisma');
    const service = join(wb.workspace, 'src', 'services', 'lessonService.ts');
    const findManyLine = lineOf(service, 'findMany');
    const LIST = 'ls -1 prisma';
    await wb.fake.script(
      { text: 'Let me read the models first.', toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma', offset: 10, limit: 16 } }] },
      { toolCalls: [{ name: 'Grep', input: { pattern: 'findMany', output_mode: 'content', '-n': true } }] },
      { toolCalls: [{ name: 'Bash', input: { command: LIST, description: 'See whether the schema has migrations' } }] },
      { text: '`Lesson` needs `@@index([language, createdAt])`, and `prisma/` has no migrations yet: run `npx prisma migrate dev --name init`.' },
    );
    const input = await wb.openChat();
    await input.click();
    await page.keyboard.type('@lingualeap How are lessons listed, and is the schema migrated?', { delay: 10 });
    await sleep(300);
    await page.keyboard.press('Enter');

    // While the dialog asks, the response shows a progress line per step, the Bash one still running.
    await page.locator('.monaco-dialog-box').waitFor({ state: 'visible' });
    const response = page.locator('.interactive-response').last();
    // The chat renders on its own schedule: give the last line a moment to show.
    let progress = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await sleep(200)) {
      progress = (await response.locator('.progress-step').allInnerTexts()).map((line) => line.trim());
      if (progress.at(-1)?.startsWith('Bash')) {
        break;
      }
    }
    assert.deepEqual(progress, [
      'Read prisma/schema.prisma…',
      `Read prisma/schema.prisma · lines 10–25 of ${lineCount(schema)}`,
      'Grep findMany…',
      'Grep findMany · 1 matching line in 1 file',
      `Bash ${LIST}…`,
    ]);
    assert.equal(await response.locator('.progress-container.shimmer-progress .progress-step').innerText(), `Bash ${LIST}…`, 'the Bash step is the one running');
    const allowed = await answerConsent(wb, 'Allow');
    assertConsentShows(allowed, LIST, wb.workspace);

    const deadline = Date.now() + STEP_TIMEOUT;
    while ((await page.locator('.chat-response-loading').count()) > 0 || !(await response.innerText()).includes('no migrations yet')) {
      if (Date.now() > deadline) {
        throw new Error(`the chat answer did not finish: ${await response.innerText()}`);
      }
      await sleep(250);
    }
    assert.doesNotMatch(await response.innerText(), /error|failed/i);

    // On the wire, the same tools and results as in the panel.
    const requests = await messageRequests(wb);
    assert.equal(requests.length, 4, 'three tool steps and the answer');
    const [read] = toolExchange(requests, 1);
    assert.equal(read.call.name, 'Read');
    assert.match(read.text, /^\s*10\tmodel User \{$/m);
    assert.match(read.text, /^\s*25\t\}$/m);
    assert.doesNotMatch(read.text, /^\s*(9|26)\t/m);
    const [grep] = toolExchange(requests, 2);
    assert.match(grep.text, new RegExp(`^src/services/lessonService\\.ts:${findManyLine}:.*findMany`, 'm'));
    const [bash] = toolExchange(requests, 3);
    assert.equal(bash.text, 'schema.prisma\n\nExit code 0');

    // The steps fold under "Completed N steps"; unfold them and the references.
    const completed = response.locator('summary.completed-response-summary');
    if ((await completed.count()) > 0) {
      await completed.click();
    }
    await response.getByText(/^Used 2 references$/).first().click();
    const rows = response.locator('.chat-used-context-list .monaco-list-row');
    await rows.nth(1).waitFor({ state: 'visible' });
    const references = await rows.evaluateAll((list) =>
      list.map((row) => ({
        path: row.querySelector('.monaco-icon-label')?.getAttribute('aria-label'),
        name: row.querySelector('.label-name')?.textContent,
        lines: row.querySelector('.label-suffix')?.textContent,
      })),
    );
    assert.deepEqual(references, [
      { path: schema, name: 'schema.prisma', lines: ':10-25' },
      { path: service, name: 'lessonService.ts', lines: `:${findManyLine}` },
    ]);

    // A reference opens its file at its lines.
    await rows.first().click();
    await page.locator('.tabs-container .tab.active[data-resource-name="schema.prisma"]').waitFor({ state: 'visible' });
    // The whole of lines 10-25 is selected: the cursor sits at the start of line 10 or the end of line 25.
    await page.locator('#status\\.editor\\.selection').filter({ hasText: /Ln (10, Col 1|25, Col \d+)\b/ }).waitFor({ state: 'visible' });
    await sleep(300);
    const picture = await shot(wb, 'tools-chat');
    assert.ok(picture.bytes < 200_000, `${picture.path} is ${picture.bytes} bytes`);
  });
});
