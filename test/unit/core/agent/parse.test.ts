import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { agentDisplayName } from '../../../../src/core/agent/display';
import { MODEL_ALIASES, DEFAULT_MODEL, resolveModel } from '../../../../src/core/agent/models';
import { MAX_AGENT_FILE_CHARS, parseAgentFile } from '../../../../src/core/agent/parse';
import { repoPath } from '../../support/paths';

const bundled = repoPath('agents', 'lingualeap-backend-architect.md');

function agentFile(frontMatter: string, body = 'You are an architect.'): string {
  return `---\n${frontMatter}\n---\n\n${body}\n`;
}

test('the bundled agent file parses with no problems', () => {
  const text = readFileSync(bundled, 'utf8');
  const { agent, problems } = parseAgentFile(text, 'lingualeap-backend-architect.md');
  assert.deepEqual(problems, []);
  assert.ok(agent);
  assert.equal(agent.name, 'lingualeap-backend-architect');
  assert.match(agent.description, /^Use this agent when you need expert guidance on backend development for LinguaLeap/);
  assert.deepEqual(agent.tools, ['Bash', 'Glob', 'Grep', 'LS', 'Read', 'WebFetch', 'TodoWrite', 'WebSearch']);
  assert.deepEqual(agent.model, { kind: 'alias', alias: 'sonnet' });
  assert.equal(agent.color, 'green');
  assert.match(agent.body, /^You are a Senior Backend Architect specializing in AI-powered language learning platforms/);
  assert.match(agent.body, /broader system architecture impact of your recommendations\.$/);
  assert.ok(!agent.body.includes('---'), 'front matter is not part of the body');
});

test('tools may be a YAML list', () => {
  const { agent, problems } = parseAgentFile(agentFile('name: a\ndescription: b\ntools:\n  - Read\n  - Grep'), 'a.md');
  assert.deepEqual(problems, []);
  assert.deepEqual(agent?.tools, ['Read', 'Grep']);
});

test('tools of the wrong type are a warning naming the field, not a failure', () => {
  const { agent, problems } = parseAgentFile(agentFile('name: a\ndescription: b\ntools: 42'), 'a.md');
  assert.deepEqual(agent?.tools, []);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].field, 'tools');
  assert.equal(problems[0].severity, 'warning');
  assert.match(problems[0].message, /^a\.md: "tools"/);
});

test('model: alias, full id, inherit and unknown', () => {
  const model = (value: string) => parseAgentFile(agentFile(`name: a\ndescription: b\nmodel: ${value}`), 'a.md');
  assert.deepEqual(model('opus').agent?.model, { kind: 'alias', alias: 'opus' });
  assert.deepEqual(model('HAIKU').agent?.model, { kind: 'alias', alias: 'haiku' });
  assert.deepEqual(model('claude-opus-4-8').agent?.model, { kind: 'id', id: 'claude-opus-4-8' });
  assert.deepEqual(model('inherit').agent?.model, { kind: 'inherit' });
  const unknown = model('gpt-9');
  assert.equal(unknown.agent?.model, undefined);
  assert.equal(unknown.problems[0].field, 'model');
  assert.match(unknown.problems[0].message, /gpt-9/);
});

test('resolveModel: the setting wins, then the agent, then the default', () => {
  assert.deepEqual(resolveModel({ kind: 'alias', alias: 'haiku' }, ''), { id: MODEL_ALIASES.haiku, source: 'agent' });
  assert.deepEqual(resolveModel({ kind: 'id', id: 'claude-x-1' }, undefined), { id: 'claude-x-1', source: 'agent' });
  assert.deepEqual(resolveModel({ kind: 'alias', alias: 'haiku' }, 'claude-opus-4-8'), { id: 'claude-opus-4-8', source: 'setting' });
  assert.deepEqual(resolveModel(undefined, ' opus '), { id: MODEL_ALIASES.opus, source: 'setting' });
  assert.deepEqual(resolveModel({ kind: 'inherit' }, undefined), { id: DEFAULT_MODEL, source: 'default' });
  assert.deepEqual(resolveModel(undefined, undefined), { id: DEFAULT_MODEL, source: 'default' });
});

test('front matter never runs code: ---js and ---javascript are refused', () => {
  const marker = '__lingualeapFrontMatterRan';
  for (const language of ['js', 'javascript', 'coffee', 'json']) {
    const text = `---${language}\n(globalThis.${marker} = true, { name: "x", description: "y" })\n---\nbody\n`;
    const { agent, problems } = parseAgentFile(text, 'evil.md');
    assert.equal(agent, undefined, language);
    assert.equal(problems[0].severity, 'error');
    assert.match(problems[0].message, /^evil\.md: front matter must be YAML/);
  }
  assert.equal((globalThis as Record<string, unknown>)[marker], undefined);
});

test('malformed files yield one precise error each and never throw', () => {
  const cases: Array<[string, string, RegExp, string?]> = [
    ['no front matter', 'Just a prompt.', /has no front matter/],
    ['unclosed front matter', '---\nname: a\ndescription: b\nbody', /never closed/],
    ['invalid YAML', '---\nname: [a\ndescription: b\n---\nbody', /not valid YAML \(.* at line 2, column \d+\)/, 'name'],
    ['YAML that is a list', '---\n- a\n- b\n---\nbody', /"key: value"/],
    ['missing name', '---\ndescription: b\n---\nbody', /no "name"/, 'name'],
    ['empty name', '---\nname: ""\ndescription: b\n---\nbody', /no "name"/, 'name'],
    ['missing description', '---\nname: a\n---\nbody', /no "description"/, 'description'],
    ['no body', '---\nname: a\ndescription: b\n---\n\n', /no body/],
    ['binary', 'PK\u0003\u0004\u0000\u0000junk', /binary file/],
    ['huge', agentFile('name: a\ndescription: b', 'x'.repeat(MAX_AGENT_FILE_CHARS)), /at most 256 KB/],
  ];
  for (const [label, text, pattern, field] of cases) {
    const result = parseAgentFile(text, 'agents/bad.md');
    assert.equal(result.agent, undefined, label);
    assert.equal(result.problems.length, 1, label);
    assert.equal(result.problems[0].severity, 'error', label);
    assert.match(result.problems[0].message, /^agents\/bad\.md: /, label);
    assert.match(result.problems[0].message, pattern, label);
    assert.equal(result.problems[0].field, field, label);
  }
});

test('CRLF line endings and a byte-order mark are accepted', () => {
  const { agent, problems } = parseAgentFile('\uFEFF---\r\nname: a\r\ndescription: b\r\n---\r\nLine one.\r\nLine two.\r\n', 'a.md');
  assert.deepEqual(problems, []);
  assert.equal(agent?.body, 'Line one.\nLine two.');
});

test('unknown keys are hints (harmless, never a notification) and do not stop the agent', () => {
  const { agent, problems } = parseAgentFile(agentFile('name: a\ndescription: b\ntemperature: 2'), 'a.md');
  assert.ok(agent);
  assert.deepEqual(problems.map((p) => [p.severity, p.field, p.code]), [['hint', 'temperature', 'unknown-key']]);
  assert.deepEqual(problems[0].range, { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 11 });
});

test('the display name keeps the brand spelling the agent uses', () => {
  const { agent } = parseAgentFile(readFileSync(bundled, 'utf8'), 'a.md');
  assert.ok(agent);
  assert.equal(agentDisplayName(agent), 'LinguaLeap Backend Architect');
  assert.equal(agentDisplayName({ name: 'code-reviewer', description: 'Reviews code.', body: 'x' }), 'Code Reviewer');
});

test('the extension bundles carry no eval: gray-matter ships without its JavaScript engine', () => {
  // The services and the agent-file analysis each bundle the parser; activation bundles neither.
  for (const name of ['app.js', 'agentCore.js']) {
    const bundle = readFileSync(repoPath('dist', name), 'utf8');
    assert.ok(bundle.includes('gray-matter') || bundle.includes('safeLoad'), `gray-matter is bundled in ${name}`);
    assert.doesNotMatch(bundle, /\beval\(/, name);
  }
  const shell = readFileSync(repoPath('dist', 'extension.js'), 'utf8');
  assert.doesNotMatch(shell, /\beval\(/);
  assert.ok(!shell.includes('safeLoad') && !shell.includes('anthropic-version'), 'activation loads neither the parser nor the SDK');
});
