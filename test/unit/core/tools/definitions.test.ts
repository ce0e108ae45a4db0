/**
 * grantTools, toolDefinitions and runTool's own checks (unknown tool, server tools, never throws).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLAUDE_CODE_TOOLS } from '../../../../src/core/agent/toolNames';
import { CLIENT_TOOLS, grantTools, runTool, toolDefinitions, type ToolHost } from '../../../../src/core/tools';
import { NEVER, newSession, tempTree, testHost } from './support';

test('grantTools: an absent field grants every tool, as in Claude Code', () => {
  assert.deepEqual(grantTools(undefined), { granted: ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'WebFetch', 'WebSearch'], unavailable: [] });
  assert.deepEqual(grantTools([]), { granted: [], unavailable: [] });
});

test("grantTools: the architect's field grants all eight; others are unavailable once each, in file order", () => {
  const architect = ['Bash', 'Glob', 'Grep', 'LS', 'Read', 'WebFetch', 'TodoWrite', 'WebSearch'];
  assert.deepEqual(grantTools(architect), { granted: architect, unavailable: [] });
  assert.deepEqual(grantTools(['Read', 'Edit', 'mcp__github__search', 'read', 'Write', 'Edit', 'Read', ' Grep ', 'Bash(git status:*)']), {
    granted: ['Read', 'Grep', 'Bash'],
    unavailable: ['Edit', 'mcp__github__search', 'read', 'Write'],
  });
  // Every name we grant is one Claude Code knows.
  for (const name of grantTools(undefined).granted) {
    assert.ok(CLAUDE_CODE_TOOLS.includes(name), name);
  }
});

test('toolDefinitions: client tools with Claude Code fields, in a fixed order whatever the grant order', () => {
  const tools = toolDefinitions(['TodoWrite', 'Bash', 'Read', 'LS', 'Grep', 'Glob'], { web: true }) as {
    name: string;
    description: string;
    input_schema: { type: string; properties: Record<string, unknown>; required: string[] };
  }[];
  assert.deepEqual(tools.map((tool) => tool.name), ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite']);
  const fields = Object.fromEntries(tools.map((tool) => [tool.name, [Object.keys(tool.input_schema.properties), tool.input_schema.required]]));
  assert.deepEqual(fields, {
    Read: [['file_path', 'offset', 'limit'], ['file_path']],
    Glob: [['pattern', 'path'], ['pattern']],
    Grep: [['pattern', 'path', 'glob', 'type', 'output_mode', '-i', '-n', '-A', '-B', '-C', 'head_limit', 'offset', 'multiline'], ['pattern']],
    LS: [['path', 'ignore'], []],
    Bash: [['command', 'timeout', 'description'], ['command']],
    TodoWrite: [['todos'], ['todos']],
  });
  for (const tool of tools) {
    assert.equal(tool.input_schema.type, 'object');
    assert.ok(tool.description.length > 80, tool.name);
  }
});

test('toolDefinitions: WebSearch and WebFetch are server tools, only when granted and web is on', () => {
  assert.deepEqual(toolDefinitions(['WebSearch', 'WebFetch'], { web: true }), [
    { type: 'web_fetch_20250910', name: 'web_fetch' },
    { type: 'web_search_20250305', name: 'web_search' },
  ]);
  assert.deepEqual(toolDefinitions(['WebSearch', 'WebFetch'], { web: false }), []);
  assert.deepEqual(
    toolDefinitions(['Read', 'WebSearch'], { web: true }).map((tool) => (tool as { name: string }).name),
    ['Read', 'web_search'],
  );
});

test('runTool: an unknown tool or a server tool is one sentence, never an exception', async () => {
  const host = testHost([]);
  const unknown = await runTool('Edit', { file_path: 'a' }, host, newSession(), NEVER);
  assert.deepEqual([unknown.isError, unknown.content], [true, 'There is no tool named "Edit" here; the tools are Read, Glob, Grep, LS, Bash, TodoWrite.']);
  const server = await runTool('WebSearch', { query: 'x' }, host, newSession(), NEVER);
  assert.equal(server.content, "WebSearch runs on Anthropic's servers, not in the editor, and is not enabled for this request.");
  const weird = await runTool('x\n\x1b[2Jy', {}, host, newSession(), NEVER);
  assert.equal(weird.content, 'There is no tool named "x y" here; the tools are Read, Glob, Grep, LS, Bash, TodoWrite.');
});

test('runTool: an already-stopped signal runs nothing; a failing host is one sentence', async () => {
  const tree = tempTree({ 'a.txt': 'a\n' });
  try {
    const controller = new AbortController();
    controller.abort();
    for (const name of CLIENT_TOOLS) {
      const outcome = await runTool(name, {}, testHost([tree.root]), newSession(), controller.signal);
      assert.deepEqual([outcome.cancelled, outcome.content], [true, `The user stopped ${name} before it finished.`]);
    }
    const host: ToolHost = { ...testHost([tree.root]), findFiles: () => Promise.reject(new Error('search provider crashed\n  at stack')) };
    const outcome = await runTool('Glob', { pattern: '*' }, host, newSession(), NEVER);
    assert.deepEqual([outcome.isError, outcome.content], [true, 'Glob failed: search provider crashed at stack.']);
  } finally {
    tree.dispose();
  }
});
