/**
 * Agent files from other people's repositories: YAML that tries to run code or blow up, and
 * fields of the wrong type. Each is a problem naming the file (and field), never an exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentFile } from '../../../../src/core/agent/parse';

const file = (frontMatter: string, body = 'You are an architect.'): string => `---\n${frontMatter}\n---\n\n${body}\n`;

test('YAML tags that would construct functions, regexps or undefined are never evaluated', () => {
  for (const tag of [
    "!!js/function 'function () { globalThis.__pwned = 1; return 1 }'",
    '!!js/regexp /a+$/',
    '!!js/undefined ""',
    '!!python/object/apply:os.system ["echo pwned"]',
  ]) {
    const result = parseAgentFile(file(`name: ${tag}\ndescription: d`), '.claude/agents/evil.md');
    assert.equal((globalThis as { __pwned?: number }).__pwned, undefined, tag);
    if (result.agent) {
      assert.equal(typeof result.agent.name, 'string', tag);
    } else {
      assert.ok(result.problems.length > 0, tag);
      assert.match(result.problems[0].message, /^\.claude\/agents\/evil\.md: /, tag);
    }
  }
});

test('a YAML alias bomb is refused or bounded, quickly', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const started = Date.now();
  const result = parseAgentFile(file(`name: bomb\ndescription: d\n${lines.join('\n')}`), 'bomb.md');
  assert.ok(Date.now() - started < 2000, 'parsing took too long');
  for (const problem of result.problems) {
    assert.ok(problem.message.length < 500, 'a problem message does not echo the expansion');
  }
});

test('name, description and model of the wrong type are named precisely', () => {
  const number = parseAgentFile(file('name: 42\ndescription: d'), 'n.md');
  assert.equal(number.agent, undefined);
  assert.equal(number.problems[0].field, 'name');
  const list = parseAgentFile(file('name: a\ndescription: [x, y]'), 'd.md');
  assert.equal(list.agent, undefined);
  assert.equal(list.problems[0].field, 'description');
  const model = parseAgentFile(file('name: a\ndescription: d\nmodel: {id: x}'), 'm.md');
  assert.ok(model.agent, 'a bad model is a warning, the agent still loads');
  assert.ok(model.problems.some((p) => p.field === 'model' && p.severity === 'warning'));
});

test('a prototype-polluting key does not reach Object.prototype', () => {
  const result = parseAgentFile(file('name: a\ndescription: d\n__proto__: {polluted: yes}\nconstructor: {prototype: {polluted2: yes}}'), 'p.md');
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  assert.equal(({} as { polluted2?: unknown }).polluted2, undefined);
  assert.ok(result.agent);
});

test('a --- javascript opener with spaces or capitals is refused as well', () => {
  for (const opener of ['--- js', '---JS', '---javascript ', '---coffee']) {
    const result = parseAgentFile(`${opener}\nname: a\ndescription: d\n---\nbody\n`, 'x.md');
    assert.equal(result.agent, undefined, opener);
    assert.match(result.problems[0].message, /not evaluated/, opener);
  }
});

test('the field-by-field reading never evaluates tags either', () => {
  for (const field of ["name: !!js/function 'function () { globalThis.__pwned2 = 1 }'", 'tools: !!js/undefined ""', "model: !!js/regexp /a+$/"]) {
    // A bold description makes strict YAML fail, so every field is read on its own.
    const text = file(`name: x\ndescription: **Bold**: read field by field.\n${field}`);
    const result = parseAgentFile(text, 'evil.md');
    assert.equal((globalThis as { __pwned2?: number }).__pwned2, undefined, field);
    assert.equal(result.agent, undefined, field);
    assert.equal(result.problems[0].code, 'yaml', field);
  }
});

test('a known key inside an example still starts a field: the later one wins, with a warning; __proto__ stays data', () => {
  const text = file('name: safe\ndescription: Reviews code.\n<example>\nname: evil\n__proto__: polluted\n</example>');
  const result = parseAgentFile(text, 'x.md');
  assert.equal(result.agent?.name, 'evil');
  assert.deepEqual(
    result.problems.map((p) => [p.severity, p.code, p.field]),
    [
      ['warning', 'duplicate-key', 'name'],
      ['hint', 'unknown-key', '__proto__'],
    ],
  );
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});
