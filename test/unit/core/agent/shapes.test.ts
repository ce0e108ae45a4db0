/**
 * Agent files shaped like the ones in public agent collections (test/fixtures/agents, own
 * text): each loads as Claude Code loads it, by one reading rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAgentFile, type AgentParseResult } from '../../../../src/core/agent/parse';
import { repoPath } from '../../support/paths';

function fixture(name: string): AgentParseResult {
  return parseAgentFile(readFileSync(repoPath('test', 'fixtures', 'agents', name), 'utf8'), name);
}

const codes = (result: AgentParseResult): string[] => result.problems.map((p) => `${p.severity}:${p.code}`);

test('a description over unindented Examples / <example> / user: lines is one description', () => {
  const { agent, problems } = fixture('migration-reviewer.md');
  assert.deepEqual(problems, []);
  assert.ok(agent);
  assert.equal(
    agent.description,
    [
      'Use this agent when a database migration needs review before it is merged. It checks locking, backfills and rollback paths.',
      '',
      'Examples:',
      '<example>',
      'Context: The user added a column with a default value to a large table.',
      'user: "Can you look at my migration for the orders table?"',
      'assistant: "I\'ll use the migration-reviewer agent to check the locking behaviour and the rollback."',
      '<commentary>',
      'A schema change on a hot table is exactly what this agent reviews.',
      '</commentary>',
      '</example>',
      '<example>',
      'Context: A backfill script runs inside the migration.',
      'user: "Is it fine to backfill ten million rows here?"',
      'assistant: "Let me ask the migration-reviewer agent how to batch the backfill safely."',
      '</example>',
    ].join('\n'),
  );
  assert.deepEqual(agent.tools, ['Read', 'Grep', 'Glob']);
  assert.deepEqual(agent.model, { kind: 'alias', alias: 'sonnet' });
  assert.equal(agent.color, 'blue');
  assert.match(agent.body, /^You are a careful reviewer/);
});

test('a flow-list tools field in a file whose description needs the line reading', () => {
  const { agent, problems } = fixture('queue-designer.md');
  assert.deepEqual(problems, []);
  assert.deepEqual(agent?.tools, ['Read', 'Grep', 'Glob', 'WebSearch']);
  assert.deepEqual(agent?.model, { kind: 'alias', alias: 'opus' });
  assert.match(agent?.description ?? '', /^Designs message queues.*\nExamples:\n<example>\n/);
  assert.match(agent?.description ?? '', /<\/example>$/);
});

test('transcript lines that strict YAML takes for keys stay in the description (no bogus "user" key)', () => {
  const result = fixture('transcript-lines.md');
  assert.deepEqual(result.problems, []);
  assert.equal(
    result.agent?.description,
    'Use this agent to decide what to cache, where, and for how long.\n' +
      'Context: The API is slow under load and the user wonders about Redis.\n' +
      'user: "Should I cache the lesson catalogue?"\n' +
      'assistant: "I\'ll ask the cache-advisor agent to weigh the invalidation cost."',
  );
  assert.deepEqual(result.agent?.model, { kind: 'alias', alias: 'haiku' });
  assert.equal(result.agent?.color, 'cyan');
});

test('a description starting with Markdown bold is text, not a YAML alias', () => {
  const { agent, problems } = fixture('bold-description.md');
  assert.deepEqual(problems, []);
  assert.equal(
    agent?.description,
    '**API CONTRACT SPECIALIST**: Designs versioned REST and GraphQL contracts, error shapes and pagination. Use PROACTIVELY when an endpoint is added.',
  );
});

test('a closing line of more than three dashes closes the front matter', () => {
  const { agent, problems } = fixture('long-dashes.md');
  assert.deepEqual(problems, []);
  assert.deepEqual(agent?.tools, ['Read', 'Grep', 'Glob', 'Bash']);
  assert.match(agent?.body ?? '', /^You instrument services/, 'no dashes left over in the body');
});

test('unknown keys are hints; Claude Code keys this extension ignores are named as such', () => {
  const result = fixture('extra-keys.md');
  assert.ok(result.agent);
  assert.deepEqual(codes(result), ['hint:unknown-key', 'hint:unknown-key', 'hint:unknown-key', 'hint:unknown-key', 'hint:claude-code-key']);
  assert.deepEqual(
    result.problems.map((p) => p.field),
    ['category', 'version', 'author', 'tags', 'permissionMode'],
  );
  assert.deepEqual(result.agent.tools, ['Read', 'Grep', 'Glob']);
});

test('a block scalar description and a block list of tools', () => {
  const { agent, problems } = fixture('block-list.md');
  assert.deepEqual(problems, [], 'an unknown tool is for the editor, not a load problem');
  assert.equal(agent?.description, 'Plans rate limits and quotas for public APIs.\n\nUse it before an endpoint is opened to third parties.');
  assert.deepEqual(agent?.tools, ['Read', 'Grep', 'Reed']);
  assert.deepEqual(agent?.model, { kind: 'inherit' });
});

test('a quoted description with escaped newlines', () => {
  const { agent, problems } = fixture('escaped-newlines.md');
  assert.deepEqual(problems, []);
  assert.match(agent?.description ?? '', /^Designs gRPC services and protobuf contracts\. Use when services talk to each other\.\n\n<example>\nuser: "Should/);
});

test('a key before the description, examples between blank lines, block lists after', () => {
  const { agent, problems } = fixture('release-captain.md');
  assert.deepEqual(
    problems.map((p) => `${p.severity}:${p.code}:${p.field}`),
    ['hint:unknown-key:focus', 'hint:claude-code-key:skills'],
  );
  assert.match(agent?.description ?? '', /^Use for releases - checks the changelog, plans the rollback, and tags the build\.\n\nExamples:\n<example>\n/);
  assert.match(agent?.description ?? '', /<\/example>\n\n<example>\n/, 'the blank line between examples is kept');
  assert.match(agent?.description ?? '', /plan the rollback\."\n<\/example>$/, 'the blank line before model: is not');
  assert.deepEqual(agent?.tools, ['Read', 'Grep', 'Bash']);
  assert.deepEqual(agent?.model, { kind: 'alias', alias: 'opus' });
  assert.equal(agent?.color, 'red');
});

test('a double-quoted description over unindented lines, with escaped quotes, is strict YAML', () => {
  const { agent, problems } = fixture('quoted-examples.md');
  assert.deepEqual(problems, []);
  assert.equal(
    agent?.description,
    'Use this agent to check screens for accessibility problems before release.\n' +
      'Examples: <example> Context: A new sign-up form was added. user: "Is the sign-up form accessible?" ' +
      'assistant: "I\'ll use the accessibility-checker agent to review labels, focus order and contrast." </example> ' +
      '**Note**: for copy changes, use the `content-editor` agent.',
  );
  assert.equal(agent?.color, 'Purple', 'kept as written; the editor offers "purple"');
});

test('files with a bad name, typo\'d tools or an unknown color still load; a typo\'d model is a warning', () => {
  assert.equal(fixture('bad-name.md').agent?.name, 'Speech Pipeline Expert');
  assert.deepEqual(fixture('typo-tools.md').agent?.tools, ['Read', 'Grepp', 'glob', 'WebFetch', 'Write']);
  const color = fixture('unknown-color.md');
  assert.equal(color.agent?.color, 'magenta');
  assert.deepEqual(codes(color), ['warning:unknown-model']);
  assert.match(color.problems[0].message, /did you mean "sonnet"/);
});

test('one rule: whatever a continuation line looks like, it continues the description', () => {
  const shapes = [
    'Examples:',
    '<example>',
    'Context: the user is adding a queue.',
    'user: "How do I retry?"',
    "assistant: 'I will use the agent.'",
    'Human: hello',
    'Note: only for backend code.',
    'Triggers: slow queries, timeouts',
    '<commentary>Because it is about queues.</commentary>',
    'A plain sentence with a colon: like this.',
    '- a bullet',
    '  indented text: with a colon',
    '# A heading inside the description',
    'See https://example.com/docs for more.',
  ];
  for (const shape of shapes) {
    for (const after of ['tools: Read', 'model: haiku']) {
      const text = `---\nname: x\ndescription: First line.\n${shape}\nLast line.\n${after}\n---\nBody.\n`;
      const { agent, problems } = parseAgentFile(text, 'x.md');
      assert.deepEqual(problems, [], `${shape} / ${after}`);
      assert.equal(agent?.description, `First line.\n${shape.trim()}\nLast line.`, shape);
      assert.equal(agent?.tools.length, after.startsWith('tools') ? 1 : 0, shape);
    }
  }
});

test('an example kept open by its tag makes even lower-case keys text, until it closes', () => {
  const text = '---\nname: x\ndescription: Reviews code.\n<example>\nscope: the whole repo\n</example>\ncategory: review\n---\nBody.\n';
  const { agent, problems } = parseAgentFile(text, 'x.md');
  assert.equal(agent?.description, 'Reviews code.\n<example>\nscope: the whole repo\n</example>');
  assert.deepEqual(
    problems.map((p) => p.field),
    ['category'],
  );
});

test('a multi-line double-quoted description keeps its key-looking lines inside the quotes', () => {
  const text = '---\nname: x\ndescription: "Reviews code.\n  user: a line inside the quotes"\ntools: Read\n---\nBody.\n';
  const { agent, problems } = parseAgentFile(text, 'x.md');
  assert.deepEqual(problems, []);
  assert.equal(agent?.description, 'Reviews code. user: a line inside the quotes');
  assert.deepEqual(agent?.tools, ['Read']);
});

test('tools as a comma string, a flow list and a block list read the same', () => {
  for (const tools of ['tools: Read, Grep', 'tools: "Read, Grep"', 'tools: [Read, Grep]', 'tools: ["Read", "Grep"]', 'tools:\n  - Read\n  - Grep', 'tools:\n- Read\n- Grep']) {
    for (const description of ['description: Plain.', 'description: **Bold** text.']) {
      const { agent, problems } = parseAgentFile(`---\nname: x\n${description}\n${tools}\n---\nBody.\n`, 'x.md');
      assert.deepEqual(problems, [], `${tools} with ${description}`);
      assert.deepEqual(agent?.tools, ['Read', 'Grep'], `${tools} with ${description}`);
    }
  }
});

test('a value that opens a YAML structure and breaks keeps its error, with the line', () => {
  for (const [line, field] of [
    ['tools: [Read, Grep', 'tools'],
    ['description: [DEPRECATED] use the new agent', 'description'],
    ['model: {name: opus', 'model'],
  ]) {
    const text = `---\nname: x\n${field === 'description' ? '' : 'description: **d**\n'}${line}\n---\nBody.\n`;
    const result = parseAgentFile(text, 'x.md');
    assert.equal(result.agent, undefined, line);
    assert.equal(result.problems[0].code, 'yaml', line);
    assert.match(result.problems[0].message, /not valid YAML \(.* at line \d+, column \d+\)/, line);
  }
});

test('a large file with a long multi-line description parses in linear time', () => {
  const description = Array.from({ length: 6000 }, (_, i) => `user: "question ${i}: how?"`).join('\n');
  const text = `---\nname: big\ndescription: Start.\n${description}\ntools: Read\n---\n${'Body line.\n'.repeat(5000)}`;
  assert.ok(text.length < 256 * 1024);
  const started = performance.now();
  const { agent, problems } = parseAgentFile(text, 'big.md');
  const elapsed = performance.now() - started;
  assert.deepEqual(problems, []);
  assert.equal(agent?.description.split('\n').length, 6001);
  assert.ok(elapsed < 1500, `took ${Math.round(elapsed)} ms`);
});
