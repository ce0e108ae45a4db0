/**
 * The panel's tool steps, plan and details, driven through the real webview (main.ts, TurnView,
 * the streaming renderer, the panel's CSS and CSP) in headless Chromium with the host messages
 * an architect run posts: text, steps between it, the plan, the details, and the same turn
 * restored from its snapshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HostMessage, ToolStepView, TurnSnapshot } from '../../../src/shared/protocol';
import { openPanelPage, type PanelPage } from './panelPage';

let panel: PanelPage;

before(async () => {
  panel = await openPanelPage();
});

after(async () => {
  await panel?.browser.close();
});

/** The answer of the turn at `index`, in order: `text` for a Markdown segment, the steps of each group. */
function shape(index: number): Promise<string[]> {
  return panel.page.evaluate(
    (i) =>
      Array.from(document.querySelectorAll('article.turn')[i].querySelectorAll('.answer-body > *')).map((el) =>
        el.classList.contains('markdown')
          ? 'text'
          : el.classList.contains('tool-steps')
            ? `steps ${Array.from(el.children)
                .map((li) => `${(li as HTMLElement).dataset.stepId}:${li.className.replace('tool-step is-', '')}`)
                .join(' ')}`
            : `other ${el.className}`,
      ),
    index,
  );
}

/** Each Markdown segment's HTML, in order. */
function segments(index: number): Promise<string[]> {
  return panel.page.evaluate((i) => Array.from(document.querySelectorAll('article.turn')[i].querySelectorAll('.answer-body > .markdown')).map((m) => m.innerHTML), index);
}

/** Streams `text` as deltas of a few characters, a frame every few deltas. */
async function stream(turnId: string, text: string, sent: { answer: string }): Promise<void> {
  for (let i = 0; i < text.length; i += 15) {
    const messages: HostMessage[] = [];
    for (let j = i; j < Math.min(i + 15, text.length); j += 5) {
      messages.push({ type: 'delta', turnId, text: text.slice(j, Math.min(j + 5, i + 15, text.length)) });
    }
    await panel.post(...messages);
    await panel.frames(1);
  }
  sent.answer += text;
}

const INTRO = "I'll look at the **schema** first, then the queries.\n\nSecond paragraph, cut by a step ";
const MIDDLE = 'The `findMany` call sorts in memory:\n\n- no index on `createdAt`\n- `take` applies after the sort\n';
const END = '## Fix\n\n```prisma\n@@index([learnerId, createdAt(sort: Desc)])\n```\n\nDone.\n';
const HOSTILE_TITLE = 'Read `<img src=x onerror="window.__pwned=1">` and <b>bold</b> <script>window.__pwned=2</script>';

function step(stepId: string, at: number, status: ToolStepView['status'], extra: Partial<ToolStepView> = {}): ToolStepView {
  return { stepId, tool: 'Read', title: `Read \`file-${stepId}.ts\``, status, at, ...extra };
}

describe('an architect run with tools, streamed then restored', () => {
  const sent = { answer: '' };
  const steps = new Map<string, ToolStepView>();
  const todos = [
    { content: 'Find the `LessonEvent` model', status: 'completed' },
    { content: 'Trace the history query', status: 'in_progress' },
    { content: 'Recommend a fix', status: 'pending' },
  ] as const;
  let liveShape: string[] = [];
  let liveSegments: string[] = [];

  /** Posts a step and keeps its latest state for the snapshot. */
  async function postStep(value: ToolStepView): Promise<void> {
    steps.set(value.stepId, value);
    await panel.post({ type: 'toolStep', turnId: 't1', step: value });
  }

  test('a step arriving mid-text finishes the text so far and sits after it; a running step is not a control', async () => {
    await panel.post({ type: 'init', agentName: 'LinguaLeap Architect', model: 'claude-sonnet-4-5' });
    await panel.post({ type: 'turnStarted', turnId: 't1', question: 'Why is the history endpoint slow?' });
    await stream('t1', INTRO, sent);
    await postStep(step('s1', sent.answer.length, 'running', { tool: 'Glob', title: 'Glob `**/*.prisma`' }));
    assert.deepEqual(await shape(0), ['text', 'steps s1:running']);
    const running = await panel.page.evaluate(() => {
      const li = document.querySelector<HTMLElement>('.tool-step[data-step-id="s1"]')!;
      (li as unknown as { __marker: number }).__marker = 1;
      return {
        header: li.querySelector('.tool-step-header')!.tagName,
        spinner: li.querySelector('.tool-step-spinner') !== null,
        title: li.querySelector('.tool-step-title')!.textContent,
        code: li.querySelector('.tool-step-title code')?.textContent,
        status: document.querySelector('.turn .status-text')?.textContent,
        // The text before the step is final Markdown, not pending plain text.
        pending: document.querySelectorAll('.turn .md-pending, .turn .md-tail').length,
        strong: document.querySelector('.turn .markdown strong')?.textContent,
        lastParagraph: Array.from(document.querySelectorAll('.turn .markdown p')).pop()?.textContent,
      };
    });
    assert.deepEqual(running, {
      header: 'DIV',
      spinner: true,
      title: 'Running: Glob **/*.prisma',
      code: '**/*.prisma',
      status: 'Working…',
      pending: 0,
      strong: 'schema',
      lastParagraph: 'Second paragraph, cut by a step',
    });
  });

  test('the same step id updates the row in place; steps with only whitespace between them share a group', async () => {
    await postStep(
      step('s1', steps.get('s1')!.at, 'done', {
        tool: 'Glob',
        title: 'Glob `**/*.prisma` · 1 file',
        detail: 'prisma/schema.prisma\nprisma/seed.prisma',
        links: [
          { label: 'prisma/schema.prisma', kind: 'file' },
          { label: 'https://www.prisma.io/docs', kind: 'url' },
        ],
      }),
    );
    const done = await panel.page.evaluate(() => {
      const li = document.querySelector<HTMLElement>('.tool-step[data-step-id="s1"]')!;
      const header = li.querySelector<HTMLElement>('.tool-step-header')!;
      const panelId = header.getAttribute('aria-controls') ?? '';
      return {
        same: (li as unknown as { __marker?: number }).__marker === 1,
        count: document.querySelectorAll('.tool-step').length,
        className: li.className,
        header: header.tagName,
        expanded: header.getAttribute('aria-expanded'),
        controls: document.getElementById(panelId)?.classList.contains('tool-step-panel'),
        hidden: document.getElementById(panelId)?.hidden,
        spinner: li.querySelector('.tool-step-spinner') !== null,
        title: li.querySelector('.tool-step-title')!.textContent,
      };
    });
    assert.deepEqual(done, {
      same: true,
      count: 1,
      className: 'tool-step is-done',
      header: 'BUTTON',
      expanded: 'false',
      controls: true,
      hidden: true,
      spinner: false,
      title: 'Glob **/*.prisma · 1 file',
    });
    await postStep(step('s2', sent.answer.length, 'running'));
    await postStep(step('s2', sent.answer.length, 'done', { detail: 'model LessonEvent { … }', links: [{ label: 'prisma/schema.prisma:88-97', kind: 'file' }] }));
    // Only a blank line between two steps: no empty text between them.
    await stream('t1', '\n\n', sent);
    await postStep(step('s3', sent.answer.length, 'running', { tool: 'Grep', title: 'Grep `findMany`' }));
    await postStep(step('s3', sent.answer.length, 'error', { tool: 'Grep', title: 'Grep `findMany`', detail: 'rg: regex parse error' }));
    assert.deepEqual(await shape(0), ['text', 'steps s1:done s2:done s3:error']);
    assert.equal(await panel.page.locator('.tool-step[data-step-id="s3"] .tool-step-title').textContent(), 'Failed: Grep findMany');
  });

  test('text after the steps starts a new Markdown segment; the plan is a live checklist at the top', async () => {
    await stream('t1', MIDDLE, sent);
    await panel.post({ type: 'todos', turnId: 't1', todos: [...todos] });
    await postStep(step('s4', sent.answer.length, 'running', { tool: 'Bash', title: 'Bash `npx prisma migrate status`' }));
    await postStep(step('s4', sent.answer.length, 'done', { tool: 'Bash', title: 'Bash `npx prisma migrate status` · exit 0', detail: 'Database schema is up to date!' }));
    await stream('t1', END, sent);
    assert.deepEqual(await shape(0), ['text', 'steps s1:done s2:done s3:error', 'text', 'steps s4:done', 'text']);
    const readPlan = () =>
      panel.page.evaluate(() => {
        const plan = document.querySelector<HTMLElement>('.turn .plan');
        return {
          atTop: document.querySelector('.turn .answer-meta')?.nextElementSibling === plan,
          same: (plan as unknown as { __marker?: number })?.__marker === 1,
          progress: plan?.querySelector('.plan-progress')?.textContent,
          items: Array.from(plan?.querySelectorAll('.plan-item') ?? []).map((li) => `${li.className.replace('plan-item ', '')}|${li.textContent}|${li.querySelector('code')?.textContent ?? ''}`),
          mark: (() => {
            if (plan) {
              (plan as unknown as { __marker: number }).__marker = 1;
            }
          })(),
        };
      });
    const first = await readPlan();
    assert.deepEqual(first, {
      atTop: true,
      same: false,
      progress: '1 of 3 done',
      items: ['is-completed|Done: Find the LessonEvent model|LessonEvent', 'is-in-progress|In progress: Trace the history query|', 'is-pending|To do: Recommend a fix|'],
      mark: undefined,
    });
    await panel.post({ type: 'todos', turnId: 't1', todos: todos.map((todo) => ({ ...todo, status: 'completed' as const })) });
    const second = await readPlan();
    assert.equal(second.same, true, 'the plan is updated in place');
    assert.equal(second.progress, '3 of 3 done');
    assert.deepEqual(
      second.items.map((item) => item.split('|')[0]),
      ['is-completed', 'is-completed', 'is-completed'],
    );
  });

  test('a step expands and collapses with the keyboard and the mouse, and its links post openStepLink', async () => {
    const header = panel.page.locator('.tool-step[data-step-id="s1"] .tool-step-header');
    const body = panel.page.locator('.tool-step[data-step-id="s1"] .tool-step-panel');
    await header.focus();
    await panel.page.keyboard.press('Enter');
    assert.equal(await header.getAttribute('aria-expanded'), 'true');
    assert.equal(await body.isVisible(), true);
    assert.equal(await body.locator('pre').textContent(), 'prisma/schema.prisma\nprisma/seed.prisma');
    assert.deepEqual(await body.locator('.tool-step-link').allTextContents(), ['prisma/schema.prisma', 'https://www.prisma.io/docs']);
    await panel.page.keyboard.press('Space');
    assert.equal(await header.getAttribute('aria-expanded'), 'false');
    assert.equal(await body.isVisible(), false);
    await header.click();
    assert.equal(await body.isVisible(), true);

    const url = panel.page.url();
    await body.locator('.tool-step-link').nth(1).focus();
    await panel.page.keyboard.press('Enter');
    await body.locator('.tool-step-link').nth(0).click();
    await panel.page.locator('.tool-step[data-step-id="s3"] .tool-step-header').click();
    assert.equal(await panel.page.locator('.tool-step[data-step-id="s3"] pre').textContent(), 'rg: regex parse error');
    const posted = (await panel.posted()).filter((m) => m.type === 'openStepLink' || m.type === 'openLink');
    assert.deepEqual(posted, [
      { type: 'openStepLink', turnId: 't1', stepId: 's1', index: 1 },
      { type: 'openStepLink', turnId: 't1', stepId: 's1', index: 0 },
    ]);
    assert.equal(panel.page.url(), url, 'a step link never navigates the webview');
    // Collapsed again, so the restored turn can be compared with this one.
    await header.click();
    await panel.page.locator('.tool-step[data-step-id="s3"] .tool-step-header').click();
  });

  test('a title, a result and a link label are shown as text, never as HTML', async () => {
    await postStep(
      step('s5', sent.answer.length, 'done', {
        title: HOSTILE_TITLE,
        detail: '<img src=x onerror="window.__pwned=3"><script>window.__pwned=4</script>',
        links: [{ label: '<img src=x onerror="window.__pwned=5">', kind: 'file' }],
      }),
    );
    await panel.page.locator('.tool-step[data-step-id="s5"] .tool-step-header').click();
    const shown = await panel.page.evaluate(() => {
      const li = document.querySelector('.tool-step[data-step-id="s5"]')!;
      return {
        elements: Array.from(li.querySelectorAll('img, script, b')).length,
        title: li.querySelector('.tool-step-title')!.textContent,
        code: Array.from(li.querySelectorAll('.tool-step-title code')).map((c) => c.textContent),
        detail: li.querySelector('pre')!.textContent,
        link: li.querySelector('.tool-step-link')!.textContent,
        pwned: (window as unknown as { __pwned?: number }).__pwned,
      };
    });
    assert.deepEqual(shown, {
      elements: 0,
      title: 'Read <img src=x onerror="window.__pwned=1"> and <b>bold</b> <script>window.__pwned=2</script>',
      code: ['<img src=x onerror="window.__pwned=1">'],
      detail: '<img src=x onerror="window.__pwned=3"><script>window.__pwned=4</script>',
      link: '<img src=x onerror="window.__pwned=5">',
      pwned: undefined,
    });
    await panel.page.locator('.tool-step[data-step-id="s5"] .tool-step-header').click();
  });

  test('details are collapsed under the answer; the completed answer is announced without the steps', async () => {
    await panel.post({ type: 'turnDetails', turnId: 't1', lines: ['Not available here: Edit, Write, mcp__github__create_issue'] });
    // The whole list sent again plus a new line: nothing is shown twice.
    await panel.post({ type: 'turnDetails', turnId: 't1', lines: ['Not available here: Edit, Write, mcp__github__create_issue', 'Request 2 of 3 hit the cache.'] });
    const button = panel.page.locator('.turn .turn-details-button');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await panel.page.locator('.turn .turn-details-list').isVisible(), false);
    await button.click();
    assert.deepEqual(await panel.page.locator('.turn .turn-details-list li').allTextContents(), [
      'Not available here: Edit, Write, mcp__github__create_issue',
      'Request 2 of 3 hit the cache.',
    ]);
    await button.click();

    await panel.post({ type: 'turnCompleted', turnId: 't1', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    await panel.frames();
    await panel.page.waitForFunction(() => document.getElementById('announcer')?.textContent !== '');
    const announced = (await panel.page.locator('#announcer').textContent()) ?? '';
    assert.match(announced, /^LinguaLeap Architect answered\. I'll look at the schema first/);
    assert.match(announced, /Done\.$/);
    assert.ok(!announced.includes('Glob') && !announced.includes('onerror'), announced);
    // The details follow the usage line.
    assert.deepEqual(
      await panel.page.evaluate(() => Array.from(document.querySelector('.turn .answer')!.children).map((el) => el.className)),
      ['answer-meta', 'plan', 'answer-body', 'turn-footer turn-usage', 'turn-details'],
    );
    liveShape = await shape(0);
    liveSegments = await segments(0);
    assert.deepEqual(liveShape, ['text', 'steps s1:done s2:done s3:error', 'text', 'steps s4:done', 'text', 'steps s5:done']);
    // Each segment is exactly its own text: the step cut the second paragraph where it came.
    assert.equal(liveSegments.length, 3);
    assert.match(liveSegments[0], /Second paragraph, cut by a step<\/p>/);
    assert.match(liveSegments[2], /<h2>Fix<\/h2>/);
  });

  test('the turn restored from its snapshot has the same structure and the same text per segment', async () => {
    const snapshot: TurnSnapshot = {
      turnId: 't1',
      question: 'Why is the history endpoint slow?',
      answer: sent.answer,
      status: 'completed',
      stopReason: 'end_turn',
      summary: { usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 } },
      steps: [...steps.values()],
      todos: todos.map((todo) => ({ ...todo, status: 'completed' as const })),
      details: ['Not available here: Edit, Write, mcp__github__create_issue', 'Request 2 of 3 hit the cache.'],
    };
    await panel.post({ type: 'conversation', conversationId: 'c1', turns: [snapshot] });
    await panel.frames();
    assert.equal(await panel.page.locator('article.turn').count(), 1);
    assert.deepEqual(await shape(0), liveShape);
    assert.deepEqual(await segments(0), liveSegments);
    const restored = await panel.page.evaluate(() => ({
      expanded: Array.from(document.querySelectorAll('.tool-step-header, .turn-details-button')).map((b) => b.getAttribute('aria-expanded')),
      plan: document.querySelector('.turn .plan-progress')?.textContent,
      details: Array.from(document.querySelectorAll('.turn .turn-details-list li')).map((li) => li.textContent),
    }));
    assert.deepEqual(restored, {
      expanded: ['false', 'false', 'false', 'false', 'false', 'false'],
      plan: '3 of 3 done',
      details: snapshot.details,
    });
    assert.deepEqual(await panel.violations(), []);
  });
});

describe('steps at the edges of a turn', () => {
  test('a turn that starts with a step has no empty text before it; a step running when the turn stops shows as stopped', async () => {
    await panel.post({ type: 'conversation', conversationId: 'c2', turns: [] });
    await panel.post(
      { type: 'turnStarted', turnId: 't1', question: 'List the routes.' },
      { type: 'toolStep', turnId: 't1', step: step('s1', 0, 'done', { tool: 'LS', title: 'LS `src/routes`', detail: 'history.ts\nlessons.ts' }) },
      { type: 'toolStep', turnId: 't1', step: step('s2', 0, 'running', { tool: 'Bash', title: 'Bash `npm test`' }) },
    );
    assert.deepEqual(await shape(0), ['steps s1:done s2:running']);
    await panel.post({ type: 'turnCancelled', turnId: 't1' });
    const stopped = await panel.page.evaluate(() => ({
      shape: document.querySelector('.tool-step[data-step-id="s2"]')!.className,
      spinner: document.querySelectorAll('.tool-step-spinner').length,
      title: document.querySelector('.tool-step[data-step-id="s2"] .tool-step-header')!.textContent,
      note: document.querySelector('.turn-note-stopped')?.textContent,
    }));
    assert.deepEqual(stopped, { shape: 'tool-step is-stopped', spinner: 0, title: 'Stopped: Bash npm teststopped', note: 'Stopped before any answer arrived.' });
    // A step after the end changes nothing.
    await panel.post({ type: 'toolStep', turnId: 't1', step: step('s3', 0, 'running') });
    assert.deepEqual(await shape(0), ['steps s1:done s2:stopped']);
  });

  test('a restored step whose offset is out of range sits where the text is, and a turn without steps keeps one segment', async () => {
    await panel.post({
      type: 'conversation',
      conversationId: 'c3',
      turns: [
        { turnId: 't1', question: 'No tools', answer: 'Just text.\n', status: 'completed' },
        {
          turnId: 't2',
          question: 'Bad offsets',
          answer: 'First part. Second part.',
          status: 'failed',
          message: 'The connection dropped.',
          actions: ['retry'],
          steps: [step('s1', 12, 'done'), step('s2', 5, 'done'), step('s3', 999, 'running')],
        },
      ],
    });
    assert.deepEqual(await shape(0), ['text']);
    assert.deepEqual(await shape(1), ['text', 'steps s1:done s2:done', 'text', 'steps s3:stopped']);
    const texts = await panel.page.evaluate(() => Array.from(document.querySelectorAll('article.turn')[1].querySelectorAll('.markdown')).map((m) => m.textContent?.trim()));
    assert.deepEqual(texts, ['First part.', 'Second part.']);
    assert.equal(await panel.page.locator('article.turn >> nth=1').locator('.answer-body.is-incomplete').count(), 1);
  });
});
