/**
 * Diagnostics at the right line and column, and quick fixes that, applied, remove the problem
 * they fix without breaking the file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diagnoseAgentText, type AgentDiagnostic, type AgentEdit, type AgentRange } from '../../../../src/core/agent/diagnostics';
import { parseAgentFile } from '../../../../src/core/agent/parse';
import { repoPath } from '../../support/paths';

/** Applies non-overlapping edits as VS Code would: positions are (line, character) in `text`. */
function applyEdits(text: string, edits: readonly AgentEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lineStarts.push(i + 1);
    }
  }
  const offset = (line: number, character: number): number => {
    if (line >= lineStarts.length) {
      return text.length;
    }
    const lineEnd = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    const contentEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    return Math.min(lineStarts[line] + character, contentEnd);
  };
  const resolved = edits
    .map((edit) => ({ start: offset(edit.range.startLine, edit.range.startCharacter), end: offset(edit.range.endLine, edit.range.endCharacter), text: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of resolved) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

const file = (frontMatter: string, body = 'You are an architect.'): string => `---\n${frontMatter}\n---\n\n${body}\n`;
const diagnose = (text: string, fileName = 'agent.md'): AgentDiagnostic[] => diagnoseAgentText(text, { fileName });
const only = (text: string, code: string, fileName?: string): AgentDiagnostic => {
  const found = diagnose(text, fileName).filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(diagnose(text, fileName).map((d) => d.code))}`);
  return found[0];
};
const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): AgentRange => ({ startLine, startCharacter, endLine, endCharacter });
const textAt = (text: string, r: AgentRange): string => {
  const lines = text.split('\n');
  assert.equal(r.startLine, r.endLine, 'a one-line range');
  return lines[r.startLine].slice(r.startCharacter, r.endCharacter);
};

test('applyEdits (the test helper) applies edits back to front, across lines and CRLF', () => {
  assert.equal(applyEdits('ab\ncd\nef', [{ range: range(0, 1, 1, 1), newText: 'X' }, { range: range(2, 0, 2, 0), newText: 'Y' }]), 'aXd\nYef');
  assert.equal(applyEdits('ab\r\ncd', [{ range: range(0, 0, 0, 99), newText: 'Z' }]), 'Z\r\ncd');
  assert.equal(applyEdits('a\nb\n', [{ range: range(1, 0, 2, 0), newText: '' }]), 'a\n');
});

test('a clean file has no diagnostics; the bundled agent only the note that its description is not strict YAML', () => {
  assert.deepEqual(diagnose(file('name: clean-agent\ndescription: Reviews code.\ntools: Read, Grep\nmodel: opus\ncolor: green')), []);
  const bundled = readFileSync(repoPath('agents', 'lingualeap-backend-architect.md'), 'utf8');
  assert.deepEqual(
    diagnose(bundled).map((d) => [d.severity, d.code]),
    [['info', 'not-strict-yaml']],
  );
});

test('a YAML error is placed at js-yaml\'s mark and offers to quote a string field', () => {
  const text = file('name: x\ndescription: [DEPRECATED] use the new agent\ntools: Read');
  const d = only(text, 'yaml');
  assert.equal(d.severity, 'error');
  assert.equal(d.range.startLine, 2);
  assert.ok(d.range.startCharacter >= 'description: '.length, JSON.stringify(d.range));
  assert.equal(d.fixes.length, 1);
  const fixed = applyEdits(text, d.fixes[0].edits);
  assert.equal(parseAgentFile(fixed, 'x.md').agent?.description, '[DEPRECATED] use the new agent');
  assert.deepEqual(diagnose(fixed), []);
});

test('an unclosed flow list: the error sits at the end of its line, not on the next key', () => {
  const text = file('name: x\ndescription: d\ntools: [Read, Grep\nmodel: opus');
  const d = only(text, 'yaml');
  assert.deepEqual(d.range, range(3, 17, 3, 18));
  assert.deepEqual(d.fixes, [], 'no quoting offered for a list');
});

test('missing name: at the opening line, fixed by a name made from the file name', () => {
  const text = file('description: Tunes queries.');
  const d = only(text, 'missing-name', '.claude/agents/Query Tuner.md');
  assert.deepEqual(d.range, range(0, 0, 0, 3));
  assert.equal(d.fixes[0].title, 'Add "name: query-tuner" (from the file name)');
  const fixed = applyEdits(text, d.fixes[0].edits);
  assert.equal(parseAgentFile(fixed, 'x.md').agent?.name, 'query-tuner');
  assert.deepEqual(diagnose(fixed), []);
});

test('an empty name is replaced in place', () => {
  for (const line of ['name:', 'name: ""', "name: ''"]) {
    const text = file(`${line}\ndescription: Tunes queries.`);
    const d = only(text, 'missing-name', 'queryTuner.md');
    assert.deepEqual(d.range, range(1, 0, 1, 4), line);
    const fixed = applyEdits(text, d.fixes[0].edits);
    assert.match(fixed, /^---\nname: query-tuner\ndescription: Tunes queries\.\n---/, line);
    assert.deepEqual(diagnose(fixed), [], line);
  }
});

test('a name Claude Code would refuse is a warning on the value, with a rename fix', () => {
  const text = file('name: Speech_Pipeline Expert\ndescription: d');
  const d = only(text, 'name-format');
  assert.equal(d.severity, 'warning');
  assert.equal(textAt(text, d.range), 'Speech_Pipeline Expert');
  assert.match(d.message, /"speech-pipeline-expert" would/);
  const fixed = applyEdits(text, d.fixes[0].edits);
  assert.equal(parseAgentFile(fixed, 'x.md').agent?.name, 'speech-pipeline-expert');
  assert.deepEqual(diagnose(fixed), []);
  for (const good of ['reviewer', 'web3-auditor', 'c4-architect']) {
    assert.deepEqual(diagnose(file(`name: ${good}\ndescription: d`)), [], good);
  }
});

test('missing or non-text description and no body are errors at the right place', () => {
  assert.deepEqual(only(file('name: x'), 'missing-description').range, range(0, 0, 0, 3));
  assert.deepEqual(only(file('name: x\ndescription:'), 'missing-description').range, range(2, 0, 2, 11));
  const list = file('name: x\ndescription: [a, b]');
  assert.equal(textAt(list, only(list, 'description-type').range), '[a, b]');
  assert.deepEqual(only('---\nname: x\ndescription: d\n---\n\n', 'no-body').range, range(3, 0, 3, 3));
  const both = diagnose('---\n---\nbody\n').map((d) => d.code);
  assert.deepEqual(both, ['missing-name', 'missing-description'], 'every error is shown, not just the first');
});

test('unknown tools: the name is underlined and fixed by its spelling, or removed, in every list syntax', () => {
  const cases: Array<[string, string, string[], string]> = [
    ['tools: Read, Grepp, Glob', 'Grepp', ['Read', 'Glob'], 'tools: Read, Glob'],
    ['tools: Read, Glob, Grepp', 'Grepp', ['Read', 'Glob'], 'tools: Read, Glob'],
    ['tools: Grepp, Read', 'Grepp', ['Read'], 'tools: Read'],
    ['tools: "Read, Grepp"', 'Grepp', ['Read'], 'tools: "Read"'],
    ['tools: [Read, Grepp, Glob]', 'Grepp', ['Read', 'Glob'], 'tools: [Read, Glob]'],
    ['tools: ["Read", "Grepp"]', 'Grepp', ['Read'], 'tools: ["Read"]'],
    ["tools: ['Grepp', 'Read']", 'Grepp', ['Read'], "tools: ['Read']"],
    ['tools:\n  - Read\n  - Grepp\n  - Glob', 'Grepp', ['Read', 'Glob'], 'tools:\n  - Read\n  - Glob'],
    ['tools:\n- Grepp\n- Read', 'Grepp', ['Read'], 'tools:\n- Read'],
  ];
  for (const [tools, bad, remaining, afterRemoval] of cases) {
    for (const description of ['description: Plain.', 'description: **Bold**, read field by field.']) {
      const text = file(`name: x\n${description}\n${tools}`);
      const d = only(text, 'unknown-tool');
      assert.equal(textAt(text, d.range), bad, tools);
      assert.match(d.message, /did you mean "Grep"\?/);
      const [rename, remove] = d.fixes;
      assert.equal(rename.title, 'Change to "Grep"');
      assert.equal(remove.title, `Remove "${bad}" from tools`);
      const renamed = applyEdits(text, rename.edits);
      assert.ok(!diagnose(renamed).some((x) => x.code === 'unknown-tool'), `${tools}: renamed`);
      assert.ok(parseAgentFile(renamed, 'x.md').agent?.tools.includes('Grep'), `${tools}: renamed`);
      const removed = applyEdits(text, remove.edits);
      assert.ok(!diagnose(removed).some((x) => x.code === 'unknown-tool' || x.code === 'yaml'), `${tools}: removed`);
      assert.deepEqual(parseAgentFile(removed, 'x.md').agent?.tools, remaining, `${tools}: removed\n${removed}`);
      assert.equal(removed, text.replace(tools, afterRemoval), `${tools}: only the item and one separator go`);
      assert.equal(renamed, text.replace(tools, tools.replace(bad, 'Grep')), `${tools}: only the name changes`);
    }
  }
});

test('the only tool is not offered for removal (no tools would mean all tools in Claude Code)', () => {
  const d = only(file('name: x\ndescription: d\ntools: Reed'), 'unknown-tool');
  assert.deepEqual(
    d.fixes.map((f) => f.title),
    ['Change to "Read"'],
  );
  const nothingClose = only(file('name: x\ndescription: d\ntools: Read, Teleport'), 'unknown-tool');
  assert.deepEqual(
    nothingClose.fixes.map((f) => f.title),
    ['Remove "Teleport" from tools'],
  );
  assert.match(nothingClose.message, /"Teleport" is not a Claude Code tool\.$/);
});

test('Claude Code tools this extension does not run, and MCP tools, are hints', () => {
  const text = file('name: x\ndescription: d\ntools: Read, Write, mcp__github__search, Bash(git diff:*)');
  const hints = diagnose(text);
  assert.deepEqual(
    hints.map((d) => [d.severity, d.code, textAt(text, d.range)]),
    [
      ['hint', 'tool-not-here', 'Write'],
      ['hint', 'tool-not-here', 'mcp__github__search'],
    ],
  );
});

test('model: an unknown one is a warning with a fix; opusplan, sonnet[1m] and default are accepted with a note', () => {
  const text = file('name: x\ndescription: d\nmodel: sonet');
  const d = only(text, 'unknown-model');
  assert.equal(textAt(text, d.range), 'sonet');
  const fixed = applyEdits(text, d.fixes[0].edits);
  assert.deepEqual(parseAgentFile(fixed, 'x.md').agent?.model, { kind: 'alias', alias: 'sonnet' });
  assert.deepEqual(diagnose(fixed), []);
  assert.deepEqual(only(file('name: x\ndescription: d\nmodel: gpt-5'), 'unknown-model').fixes, []);

  for (const [alias, model] of [
    ['opusplan', { kind: 'alias', alias: 'opus' }],
    ['sonnet[1m]', { kind: 'alias', alias: 'sonnet' }],
    ['default', undefined],
  ] as const) {
    const aliasText = file(`name: x\ndescription: d\nmodel: ${alias}`);
    assert.equal(only(aliasText, 'model-alias').severity, 'info', alias);
    const parsed = parseAgentFile(aliasText, 'x.md');
    assert.deepEqual(parsed.agent?.model, model, alias);
    assert.deepEqual(
      parsed.problems.map((p) => p.severity),
      ['hint'],
      `${alias}: a hint when loading, never a notification`,
    );
  }
});

test('color outside the palette: a warning, fixed when a palette color is close', () => {
  const text = file('name: x\ndescription: d\ncolor: Green');
  const d = only(text, 'unknown-color');
  assert.equal(textAt(text, d.range), 'Green');
  assert.deepEqual(diagnose(applyEdits(text, d.fixes[0].edits)), []);
  assert.equal(only(file('name: x\ndescription: d\ncolor: purpel'), 'unknown-color').fixes[0].title, 'Change to "purple"');
  assert.deepEqual(only(file('name: x\ndescription: d\ncolor: magenta'), 'unknown-color').fixes, []);
});

test('unknown keys are hints on the key; a key given twice is a warning on the one not used', () => {
  const text = file('name: x\ndescription: d\ncategory: backend\nmodel: opus\nmodel: haiku');
  const diagnostics = diagnose(text);
  const hint = diagnostics.find((d) => d.code === 'unknown-key');
  assert.deepEqual(hint?.range, range(3, 0, 3, 8));
  assert.equal(hint?.severity, 'hint');
  const twice = only(text, 'duplicate-key');
  assert.deepEqual(twice.range, range(4, 0, 4, 5));
  assert.match(twice.message, /line 6; the later one is used/);
  assert.deepEqual(parseAgentFile(text, 'x.md').agent?.model, { kind: 'alias', alias: 'haiku' });
  const fixed = applyEdits(text, twice.fixes[0].edits);
  assert.ok(!diagnose(fixed).some((d) => d.code === 'duplicate-key'));
  assert.deepEqual(parseAgentFile(fixed, 'x.md').agent?.model, { kind: 'alias', alias: 'haiku' });
});

test('front matter that only fails as a whole (a document end marker between keys) is read field by field, with a note', () => {
  const text = file('name: x\n...\ndescription: d');
  const d = only(text, 'not-strict-yaml');
  assert.equal(d.severity, 'info');
  assert.equal(d.field, undefined);
  assert.match(d.message, /^the front matter is not valid YAML \(.*\); this extension reads it field by field/);
  assert.equal(d.range.startLine, 1, "js-yaml's mark: where the document it could not finish began");
  assert.equal(parseAgentFile(text, 'x.md').agent?.description, 'd');
});

test('a key given twice as text: each quote fix writes its own text', () => {
  const text = file('name: x\ndescription: **First**: one.\ndescription: **Second**: two.');
  const notes = diagnose(text).filter((d) => d.code === 'not-strict-yaml');
  assert.deepEqual(
    notes.map((d) => d.fixes[0].edits[0].newText),
    ["description: '**First**: one.'", "description: '**Second**: two.'"],
  );
});

test('a description that breaks YAML: an info, and a fix whose YAML reads back the same text', () => {
  for (const name of ['migration-reviewer.md', 'queue-designer.md', 'transcript-lines.md', 'bold-description.md']) {
    const text = readFileSync(repoPath('test', 'fixtures', 'agents', name), 'utf8');
    const before = parseAgentFile(text, name).agent;
    const d = only(text, 'not-strict-yaml');
    assert.equal(d.severity, 'info');
    assert.deepEqual(d.range, range(2, 0, 2, 11), name);
    const fixed = applyEdits(text, d.fixes[0].edits);
    const after = parseAgentFile(fixed, name).agent;
    assert.equal(after?.description, before?.description, name);
    assert.deepEqual({ ...after, description: '' }, { ...before, description: '' }, `${name}: nothing else changed`);
    assert.deepEqual(diagnose(fixed), [], `${name}: strict YAML now\n${fixed}`);
  }
});

test('every quick fix on every fixture removes its own diagnostic and keeps the file loadable', () => {
  const dir = repoPath('test', 'fixtures', 'agents');
  let applied = 0;
  for (const name of readdirSync(dir)) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    for (const d of diagnose(text, name)) {
      for (const fix of d.fixes) {
        const fixed = applyEdits(text, fix.edits);
        const still = diagnose(fixed, name).filter((x) => x.code === d.code && x.message === d.message);
        assert.deepEqual(still, [], `${name}: ${fix.title}`);
        assert.ok(parseAgentFile(fixed, name).agent, `${name}: ${fix.title} keeps the agent`);
        applied++;
      }
    }
  }
  assert.ok(applied >= 8, `applied ${applied} fixes`);
});

test('duplicate names across scopes say which agent answers', () => {
  const text = file('name: reviewer\ndescription: d');
  const others = [
    { name: 'Reviewer', scope: 'user' as const, path: '~/.claude/agents/reviewer.md' },
    { name: 'reviewer', scope: 'project' as const, path: '.claude/agents/a-reviewer.md' },
    { name: 'reviewer', scope: 'project' as const, path: '.claude/agents/reviewer.md' },
    { name: 'other', scope: 'bundled' as const, path: 'agents/other.md' },
  ];
  const asProject = diagnoseAgentText(text, { fileName: '.claude/agents/reviewer.md', scope: 'project', otherAgents: others }).filter((d) => d.code === 'duplicate-name');
  assert.deepEqual(
    asProject.map((d) => d.severity),
    ['info', 'warning'],
  );
  assert.match(asProject[0].message, /^this agent answers instead of ~\/\.claude\/agents\/reviewer\.md \(user agent\).*project agents win over user agents/);
  assert.match(asProject[1].message, /^\.claude\/agents\/a-reviewer\.md \(project agent\) is also named "reviewer" and answers instead of this one: of two files in one place/);
  assert.equal(textAt(text, asProject[0].range), 'reviewer');
  const asUser = diagnoseAgentText(text, { fileName: '~/.claude/agents/reviewer.md', scope: 'user', otherAgents: others }).filter((d) => d.code === 'duplicate-name');
  assert.deepEqual(
    asUser.map((d) => d.severity),
    ['warning', 'warning'],
  );
});

test('an oversized body is a warning on its first line', () => {
  const text = file('name: x\ndescription: d', `\n${'A long paragraph of instructions. '.repeat(1500)}`);
  const d = only(text, 'large-body');
  assert.equal(d.severity, 'warning');
  assert.equal(d.range.startLine, 6, "the first line of text after the closing ---");
  assert.match(d.message, /^the system prompt is 50 KB \(about 12,750 tokens\)/);
});

test('positions are the same with CRLF line ends and a byte-order mark (VS Code hides the mark)', () => {
  const lf = file('name: x\ndescription: d\ntools: Read, Grepp');
  const crlf = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;
  assert.deepEqual(diagnose(crlf), diagnose(lf));
  const d = only(crlf, 'unknown-tool');
  const fixed = applyEdits(crlf.slice(1), d.fixes[0].edits);
  assert.match(fixed, /^---\r\nname: x\r\ndescription: d\r\ntools: Read, Grep\r\n/);
});

test('structural errors: no front matter, another language, never closed, too large, binary', () => {
  const cases: Array<[string, string]> = [
    ['Just a prompt.', 'no-front-matter'],
    ['---js\n{}\n---\nbody', 'not-yaml-language'],
    ['---\nname: a\ndescription: b\nbody', 'unclosed'],
    [file('name: a\ndescription: b', 'x'.repeat(256 * 1024)), 'too-large'],
    ['PK\u0003\u0004\u0000', 'binary'],
    ['---\n- a\n- b\n---\nbody', 'not-a-mapping'],
    ['---\nfree text first\nname: a\ndescription: b\n---\nbody', 'yaml'],
  ];
  for (const [text, code] of cases) {
    const diagnostics = diagnose(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.code]),
      [['error', code]],
      code,
    );
  }
  assert.deepEqual(diagnose('---\nfree text first\nname: a\ndescription: b\n---\nbody')[0].range, range(1, 0, 1, 15));
});
