/**
 * The pure editor helpers: completions, hovers, field docs, the new-agent template and the
 * picker's first sentence.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diagnoseAgentText } from '../../../../src/core/agent/diagnostics';
import { firstSentence } from '../../../../src/core/agent/display';
import { completionsAt, hoverAt } from '../../../../src/core/agent/editor';
import { FRONT_MATTER_FIELDS } from '../../../../src/core/agent/fields';
import { MODEL_ALIASES } from '../../../../src/core/agent/models';
import { parseAgentFile } from '../../../../src/core/agent/parse';
import { newAgentTemplate } from '../../../../src/core/agent/template';
import { repoPath } from '../../support/paths';

/** The text with `|` marking the cursor, and the cursor's position. */
function at(marked: string): [string, number, number] {
  const index = marked.indexOf('|');
  const before = marked.slice(0, index).split('\n');
  return [marked.slice(0, index) + marked.slice(index + 1), before.length - 1, before[before.length - 1].length];
}
const labels = (marked: string): string[] => completionsAt(...at(marked)).map((c) => c.label);

test('keys at column 0 of the front matter: the missing ones, with their docs', () => {
  const [text, line, character] = at('---\nname: x\nde|\n---\nBody.\n');
  const items = completionsAt(text, line, character);
  assert.deepEqual(
    items.map((c) => c.label),
    ['description', 'tools', 'model', 'color'],
  );
  assert.equal(items[0].insertText, 'description: ');
  assert.deepEqual(items[0].range, { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 2 });
  assert.equal(items[0].documentation, FRONT_MATTER_FIELDS.description.hover);
  assert.deepEqual(labels('---\n|\n---\nBody.\n'), ['name', 'description', 'tools', 'model', 'color']);
  assert.deepEqual(labels('---\n|'), ['name', 'description', 'tools', 'model', 'color'], 'an unclosed front matter being typed');
});

test('nothing outside the front matter or inside a value that takes free text', () => {
  assert.deepEqual(labels('---\nname: x\n---\nBo|dy\n'), []);
  assert.deepEqual(labels('|---\nname: x\n---\n'), []);
  assert.deepEqual(labels('---\nname: x\ndescription: Re|\n---\n'), []);
  assert.deepEqual(labels('No front matter |'), []);
});

test('tool names after tools:, those that run here first, the listed ones left out', () => {
  const [text, line, character] = at('---\nname: x\ntools: Read, G|\n---\n');
  const items = completionsAt(text, line, character);
  const names = items.map((c) => c.label);
  assert.ok(!names.includes('Read'));
  assert.deepEqual(names.slice(0, 7), ['Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'WebFetch', 'WebSearch']);
  assert.ok(names.includes('Write'));
  const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((c) => c.label);
  assert.ok(sorted.indexOf('WebSearch') < sorted.indexOf('Edit'), 'tools that run here sort first');
  assert.equal(items.find((c) => c.label === 'Write')?.detail, 'Claude Code only: not available here');
  assert.equal(items.find((c) => c.label === 'Bash')?.detail, 'runs a shell command, after you allow it');
  assert.deepEqual(items[0].range, { startLine: 2, startCharacter: 13, endLine: 2, endCharacter: 14 });
  assert.equal(completionsAt(...at('---\ntools:|\n---\n'))[0].insertText, ' Read', 'a space after the colon');
});

test('tool names in a flow list and a block list', () => {
  assert.ok(labels('---\ntools: ["Read", "|"]\n---\n').includes('Grep'));
  assert.ok(!labels('---\ntools: ["Read", "|"]\n---\n').includes('Read'));
  const block = completionsAt(...at('---\ntools:\n  - Read\n  - |\n---\n'));
  assert.ok(!block.map((c) => c.label).includes('Read'));
  assert.equal(block[0].insertText, 'Glob');
  const fresh = completionsAt(...at('---\nname: x\ntools:\n  |\n---\n'));
  assert.equal(fresh[0].insertText, '- Read', 'an empty line under tools: starts a block item');
});

test('model aliases and colors after their keys, replacing the value', () => {
  const models = completionsAt(...at('---\nname: x\nmodel: so|\n---\n'));
  assert.deepEqual(
    models.map((c) => c.label),
    ['sonnet', 'opus', 'haiku', 'inherit'],
  );
  assert.equal(models[0].detail, MODEL_ALIASES.sonnet);
  assert.deepEqual(models[0].range, { startLine: 2, startCharacter: 7, endLine: 2, endCharacter: 9 });
  assert.deepEqual(labels('---\ncolor: |\n---\n'), ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'cyan']);
});

test('hover: a field key shows what it means here; a tool shows whether it runs here', () => {
  const text = '---\nname: x\ntools: Read, Write, Telepor\nmodel: opus\n---\nBody.\n';
  assert.equal(hoverAt(text, 1, 2)?.markdown, FRONT_MATTER_FIELDS.name.hover);
  assert.deepEqual(hoverAt(text, 3, 0)?.range, { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 5 });
  assert.equal(hoverAt(text, 2, 8)?.markdown, '**Read**: reads a file of the workspace.');
  assert.match(hoverAt(text, 2, 15)?.markdown ?? '', /Write\*\* is a Claude Code tool; this extension does not run it/);
  assert.match(hoverAt(text, 2, 22)?.markdown ?? '', /not a Claude Code tool/);
  assert.equal(hoverAt(text, 5, 1), undefined, 'the body');
  assert.equal(hoverAt('---\ncategory: x\n---\n', 1, 2), undefined, 'an unknown key');
});

test('field docs say what Claude Code does and what this extension does', () => {
  assert.match(FRONT_MATTER_FIELDS.name.hover, /`@lingualeap name: …`/);
  assert.match(FRONT_MATTER_FIELDS.description.hover, /agent picker/);
  for (const tool of ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'WebFetch', 'WebSearch']) {
    assert.match(FRONT_MATTER_FIELDS.tools.hover, new RegExp(`- \`${tool}\`: `), tool);
  }
  assert.match(FRONT_MATTER_FIELDS.tools.hover, /Not available here .*`Write`/);
  assert.match(FRONT_MATTER_FIELDS.tools.hover, /after you allow it/);
  for (const id of Object.values(MODEL_ALIASES)) {
    assert.ok(FRONT_MATTER_FIELDS.model.hover.includes(id), id);
  }
  assert.match(FRONT_MATTER_FIELDS.color.hover, /panel and of its status bar item/);
});

test('a new agent from the template parses with no problem and no diagnostic, whatever the description', () => {
  const descriptions = [
    'Reviews code.',
    '**BOLD**: starts like an alias',
    'Has a colon: inside, and a # hash',
    "Quotes ' and \" both",
    '[DEPRECATED] looks like a list',
    'Several lines.\n\nExamples:\n<example>\nuser: "hi"\n</example>',
    '123',
    'yes',
    '  leading spaces are trimmed',
    '',
  ];
  for (const description of descriptions) {
    const text = newAgentTemplate({ name: 'Code Reviewer', description, tools: ['Read', 'Grep'], model: 'opus', color: 'green' });
    const { agent, problems } = parseAgentFile(text, 'code-reviewer.md');
    assert.deepEqual(problems, [], description);
    assert.deepEqual(diagnoseAgentText(text, { fileName: 'code-reviewer.md' }), [], `${description}\n${text}`);
    assert.equal(agent?.name, 'code-reviewer');
    assert.equal(agent?.description, description.trim() || 'Use this agent when you need the code reviewer.', description);
    assert.deepEqual(agent?.tools, ['Read', 'Grep']);
    assert.deepEqual(agent?.model, { kind: 'alias', alias: 'opus' });
    assert.equal(agent?.color, 'green');
    assert.match(agent?.body ?? '', /^You are the Code Reviewer\. /);
  }
  const minimal = newAgentTemplate({ name: 'reviewer', description: 'Reviews code.' });
  assert.match(minimal, /^---\nname: reviewer\ndescription: Reviews code\.\n---\n/);
  assert.deepEqual(parseAgentFile(minimal, 'r.md').problems, []);
});

test('firstSentence: the picker line of real-world descriptions', () => {
  const cases: Array<[string, string]> = [
    ['Reviews code. Use after every change.', 'Reviews code.'],
    ['Use this agent when X, e.g. a schema change. Then more.', 'Use this agent when X, e.g. a schema change.'],
    ['**TECHNICAL DESIGN SPECIALIST**: Designs systems. Examples: <example>user: "x"</example>', 'TECHNICAL DESIGN SPECIALIST: Designs systems.'],
    ['Designs queues for jobs\nExamples:\n<example>\nuser: "x"\n</example>', 'Designs queues for jobs'],
    ['Designs gRPC services.\\n\\n<example>\\nuser: \\"x\\"\\n</example>', 'Designs gRPC services.'],
    ['Handles Node.js and v1.2 upgrades! Quickly.', 'Handles Node.js and v1.2 upgrades!'],
    ['No full stop here <example>user: hi</example>', 'No full stop here'],
  ];
  for (const [description, expected] of cases) {
    assert.equal(firstSentence(description), expected, description);
  }
  const long = firstSentence(`Use this agent ${'when something very specific happens '.repeat(10)}.`);
  assert.ok(long.length <= 160, String(long.length));
  assert.match(long, /happens…$|specific…$|very…$|something…$|when…$/);
});

test('firstSentence of every fixture is one short line without example markup', () => {
  const dir = repoPath('test', 'fixtures', 'agents');
  for (const name of readdirSync(dir)) {
    const agent = parseAgentFile(readFileSync(`${dir}/${name}`, 'utf8'), name).agent;
    assert.ok(agent, name);
    const sentence = firstSentence(agent.description);
    assert.ok(sentence.length > 10 && sentence.length <= 160, `${name}: ${sentence}`);
    assert.doesNotMatch(sentence, /\n|<example|\*\*|Examples/, name);
  }
});
