/**
 * The manifest's promises about hostile workspaces and fault handling: limited support in
 * untrusted workspaces, with the settings that could redirect the key or pick a workspace
 * agent restricted, and the retry and idle-timeout settings bounded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESTRICTED_SETTINGS } from '../../src/core/agent/restricted';
import { readEnglishManifest } from './support/manifest';

interface Setting {
  readonly type: string;
  readonly default: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly scope?: string;
  readonly markdownDescription?: string;
}

const manifest = readEnglishManifest() as {
  capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, Setting> } };
};
const settings = manifest.contributes.configuration.properties;

test('untrusted workspaces: limited, explained, and the redirecting settings restricted', () => {
  const trust = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.match(trust?.description ?? '', /\.claude\/agents/);
  assert.match(trust?.description ?? '', /lingualeap\.baseUrl/);
  for (const key of ['lingualeap.baseUrl', 'lingualeap.model', 'lingualeap.agent']) {
    assert.ok(trust?.restrictedConfigurations?.includes(key), `${key} is restricted`);
    assert.ok(settings[key], `${key} is a contributed setting`);
    assert.match(trust?.description ?? '', new RegExp(key.replace('.', '\\.')), `the description names ${key}`);
  }
  // VS Code shows the description as plain text (Markdown escaped): backticks would show.
  assert.doesNotMatch(trust?.description ?? '', /`/);
  // The restricted-mode notice names what the manifest restricts, no more, no less.
  assert.deepEqual([...(trust?.restrictedConfigurations ?? [])].sort(), [...RESTRICTED_SETTINGS].sort());
});

test('retry and idle-timeout settings exist with sane bounds', () => {
  const retries = settings['lingualeap.maxRetries'];
  assert.equal(retries?.type, 'integer');
  assert.equal(retries?.default, 2);
  assert.equal(retries?.minimum, 0);
  const idle = settings['lingualeap.idleTimeoutSeconds'];
  assert.equal(idle?.type, 'integer');
  assert.equal(idle?.default, 60);
  assert.ok((idle?.minimum ?? 0) >= 1, 'an idle timeout of 0 would stop every request at once');
  for (const key of ['lingualeap.maxRetries', 'lingualeap.idleTimeoutSeconds', 'lingualeap.agent']) {
    assert.ok(settings[key]?.scope, `${key} has a scope`);
    assert.ok(settings[key]?.markdownDescription, `${key} is described`);
  }
});

test('no setting holds a secret', () => {
  for (const key of Object.keys(settings)) {
    assert.doesNotMatch(key, /apikey|api-key|secret|password|authtoken|\.key$/i, `${key} looks like a secret in settings`);
  }
});
