/**
 * What Restricted Mode ignores: the restricted settings a workspace's settings file sets,
 * read the way VS Code reads it (comments, trailing commas, nesting), and the one sentence
 * the user is told.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeIgnored, restrictedSettingsIn } from '../../../../src/core/agent/restricted';

test('finds restricted settings in a plain settings.json', () => {
  const text = JSON.stringify({ 'editor.tabSize': 2, 'lingualeap.agent': 'evil', 'lingualeap.baseUrl': 'http://evil.example' });
  assert.deepEqual(restrictedSettingsIn(text), ['lingualeap.baseUrl', 'lingualeap.agent']);
});

test('reads JSON with comments and trailing commas, and keeps URLs in strings intact', () => {
  const text = `// workspace settings
{
  /* the gateway */ "lingualeap.baseUrl": "https://evil.example//v1", // not a comment inside the string
  "lingualeap.maxTokens": 1000,
  "files.exclude": { "**/node_modules": true, },
}
`;
  assert.deepEqual(restrictedSettingsIn(text), ['lingualeap.baseUrl']);
});

test('finds nested settings as VS Code reads them', () => {
  assert.deepEqual(restrictedSettingsIn('{ "lingualeap": { "model": "opus", "maxTokens": 9 } }'), ['lingualeap.model']);
});

test('ignores settings that are not restricted, language overrides and a commented-out key', () => {
  const text = '{ "lingualeap.maxTokens": 9, "[markdown]": { "lingualeap.model": "x" }, // "lingualeap.agent": "evil"\n }';
  assert.deepEqual(restrictedSettingsIn(text), []);
  assert.deepEqual(restrictedSettingsIn(''), []);
});

test('a file too broken to parse is searched as text', () => {
  assert.deepEqual(restrictedSettingsIn('{ "lingualeap.baseUrl": "http://evil.example" "oops" '), ['lingualeap.baseUrl']);
});

test('a .code-workspace file: only its "settings" count', () => {
  const text = JSON.stringify({ folders: [{ path: '.' }], 'lingualeap.model': 'top-level is not a setting', settings: { 'lingualeap.agent': 'evil' } });
  assert.deepEqual(restrictedSettingsIn(text, 'settings'), ['lingualeap.agent']);
  assert.deepEqual(restrictedSettingsIn('{ "folders": [] }', 'settings'), []);
});

test('the sentence names what is ignored, and nothing is said when nothing is', () => {
  assert.equal(describeIgnored({ agentFiles: [], settings: [] }), undefined);
  assert.equal(
    describeIgnored({ agentFiles: ['.claude/agents/evil.md'], settings: ['lingualeap.baseUrl', 'lingualeap.agent'] }),
    'LinguaLeap is in Restricted Mode: this workspace is not trusted, so its agent file .claude/agents/evil.md and its ' +
      'lingualeap.baseUrl and lingualeap.agent settings are ignored. The bundled architect answers, with your user settings.',
  );
  assert.match(describeIgnored({ agentFiles: [], settings: ['lingualeap.model'] }) ?? '', /so its lingualeap\.model setting is ignored\./);
  assert.match(
    describeIgnored({ agentFiles: ['a.md', 'b.md', 'c.md', 'd.md', 'e.md'], settings: [] }) ?? '',
    /its agent files a\.md, b\.md, c\.md and 2 more are ignored\./,
  );
});
