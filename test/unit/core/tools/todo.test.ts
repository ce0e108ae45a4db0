/**
 * TodoWrite: the plan validated item by item and handed back whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { NEVER, newSession, testHost } from './support';

const todo = (input: unknown) => runTool('TodoWrite', input, testHost([]), newSession(), NEVER);

test('a valid plan comes back whole, with progress for the model and the UI', async () => {
  const outcome = await todo({
    todos: [
      { content: 'Read the Prisma schema', status: 'completed', activeForm: 'Reading the Prisma schema', id: '1' },
      { content: 'Check the migrations', status: 'in_progress', activeForm: 'Checking the migrations', priority: 'high' },
      { content: 'Propose the index', status: 'pending' },
    ],
  });
  assert.equal(outcome.isError, false);
  assert.deepEqual(outcome.todos, [
    { content: 'Read the Prisma schema', status: 'completed', activeForm: 'Reading the Prisma schema' },
    { content: 'Check the migrations', status: 'in_progress', activeForm: 'Checking the migrations' },
    { content: 'Propose the index', status: 'pending' },
  ]);
  assert.match(outcome.content, /^The plan is updated: 1 of 3 steps done, now: Check the migrations\./);
  assert.equal(outcome.summary, 'TodoWrite · 1 of 3 steps done');
  assert.deepEqual(outcome.files, []);
});

test('an empty list clears the plan', async () => {
  const outcome = await todo({ todos: [] });
  assert.deepEqual([outcome.isError, outcome.content, outcome.todos], [false, 'The plan is cleared.', []]);
});

test('each bad item is named by its index and field', async () => {
  const cases: [unknown, string][] = [
    [{}, 'TodoWrite needs "todos": the whole list of steps, each with content and status.'],
    [{ todos: 'do it' }, 'The "todos" field of TodoWrite must be a list, not "do it".'],
    [{ todos: ['do it'] }, 'todos[0] of TodoWrite must be an object with content and status, not "do it".'],
    [{ todos: [{ content: 'a', status: 'pending' }, { content: '', status: 'pending' }] }, 'todos[1].content of TodoWrite must be the step\'s text, not "".'],
    [{ todos: [{ content: 'a', status: 'done' }] }, 'todos[0].status of TodoWrite must be one of pending, in_progress, completed, not "done".'],
    [{ todos: [{ content: 'a' }] }, 'todos[0].status of TodoWrite must be one of pending, in_progress, completed, not nothing.'],
    [{ todos: [{ content: 'a', status: 'pending', activeForm: 3 }] }, 'todos[0].activeForm of TodoWrite must be a string, not 3.'],
    [{ todos: Array.from({ length: 101 }, () => ({ content: 'a', status: 'pending' })) }, 'The "todos" field of TodoWrite has 101 steps; at most 100 are kept.'],
  ];
  for (const [input, expected] of cases) {
    const outcome = await todo(input);
    assert.deepEqual([outcome.isError, outcome.content, outcome.todos], [true, expected, undefined]);
  }
});

test('control characters in a step are removed', async () => {
  const outcome = await todo({ todos: [{ content: 'Run \x1b[1mtests\x1b[0m\x07', status: 'pending' }] });
  assert.equal(outcome.todos?.[0].content, 'Run tests');
});
