/**
 * Tool steps in another display language: the summary (the step's title, for the user) is
 * translated, the content (the `tool_result` the model reads) stays English. Its own file:
 * `l10n.config` is per process.
 */
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { after, test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree();
after(() => tree.dispose());
const host = testHost([tree.root]);

l10n.config({
  contents: {
    'Read {0} · {1} lines': '{0} gelesen · {1} Zeilen',
    'Read {0} · lines {1}–{2} of {3}': '{0} gelesen · Zeilen {1}–{2} von {3}',
    'TodoWrite · {0} of {1} steps done': 'TodoWrite · {0} von {1} Schritten erledigt',
    '{0} · stopped': '{0} · angehalten',
  },
});

test('Read: the title is translated, the numbered lines and the note for the model are not', async () => {
  tree.write('src/a.ts', 'one\ntwo\nthree\n');
  const whole = await runTool('Read', { file_path: 'src/a.ts' }, host, newSession(), NEVER);
  assert.equal(whole.summary, 'src/a.ts gelesen · 3 Zeilen');
  assert.equal(whole.content, '     1\tone\n     2\ttwo\n     3\tthree');
  const part = await runTool('Read', { file_path: 'src/a.ts', limit: 1 }, host, newSession(), NEVER);
  assert.equal(part.summary, 'src/a.ts gelesen · Zeilen 1–1 von 3');
  assert.match(part.content, /\(2 more lines after line 1 of 3; call Read with offset 2 to read on\.\)$/);
});

test('TodoWrite: the title is translated, the plan as the model reads it is not', async () => {
  const todos = [
    { content: 'Read the schema', status: 'completed' },
    { content: 'Write the answer', status: 'pending' },
  ];
  const outcome = await runTool('TodoWrite', { todos }, host, newSession(), NEVER);
  assert.equal(outcome.summary, 'TodoWrite · 1 von 2 Schritten erledigt');
  assert.match(outcome.content, /^The plan is updated: 1 of 2 steps done\./);
});

test('a tool stopped before it ran: the title is translated, the result for the model is not', async () => {
  const stopped = AbortSignal.abort();
  const outcome = await runTool('LS', {}, host, newSession(), stopped);
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.summary, 'LS · angehalten');
  assert.equal(outcome.content, 'The user stopped LS before it finished.');
});
