/**
 * The manifest is translatable without touching it: every text VS Code or the Marketplace shows
 * from `package.json` is a `%key%` whose English is in `package.nls.json` (a translation adds a
 * `package.nls.<locale>.json` beside it). The checks go by field name over the whole manifest,
 * so a setting, command or walkthrough step added later with a literal text fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { repoPath } from '../support/paths';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface Setting {
  readonly enum?: readonly string[];
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly enumDescriptions?: readonly string[];
  readonly markdownEnumDescriptions?: readonly string[];
}

interface Manifest {
  readonly displayName: string;
  readonly description: string;
  readonly contributes: {
    readonly commands: readonly { command: string; title: string; category?: string }[];
    readonly configuration: { title: string; properties: Record<string, Setting> };
  };
}

const manifestJson = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { [key: string]: Json };
const manifest = manifestJson as unknown as Manifest;
const nls = JSON.parse(readFileSync(repoPath('package.nls.json'), 'utf8')) as Record<string, unknown>;

/** VS Code replaces a manifest string only when the whole value is `%key%` with this key syntax. */
const PLACEHOLDER = /^%([\w.-]+)%$/;

/**
 * Fields whose string values people read: palette titles and categories, settings UI texts,
 * views, walkthroughs, the participant's and the model provider's names. A `name` is left out:
 * the participant's and its commands' `name` are the ids typed after `@` and `/`.
 */
const SHOWN_FIELDS = new Set([
  'displayName',
  'description',
  'markdownDescription',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'title',
  'shortTitle',
  'category',
  'fullName',
  'label',
  'altText',
  'contextualTitle',
  'contents',
  'userDescription',
]);

/**
 * Texts VS Code hands to a language model rather than to the user, kept in English like the
 * system prompt: the participant's `disambiguation` (category id, description, examples) only
 * routes questions to `@lingualeap`.
 */
function isModelFacing(path: readonly string[]): boolean {
  return path.includes('disambiguation');
}

/** Every string in the manifest with its path (`contributes.commands.0.title`). */
function* strings(value: Json, path: string[] = []): Generator<{ path: string[]; value: string }> {
  if (typeof value === 'string') {
    yield { path, value };
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      yield* strings(item, [...path, String(index)]);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield* strings(item, [...path, key]);
    }
  }
}

/**
 * The field a string belongs to: its own key, or the array's key for an element of
 * `enumDescriptions`.
 */
function fieldOf(path: readonly string[]): string | undefined {
  const last = path.at(-1);
  return last !== undefined && /^\d+$/.test(last) ? path.at(-2) : last;
}

/** The user-visible strings: the top-level name and description, and the shown fields of `capabilities` and `contributes`. */
function shownStrings(): { where: string; value: string }[] {
  return [...strings(manifestJson)]
    .filter(({ path }) => {
      if (path.length === 1) {
        return path[0] === 'displayName' || path[0] === 'description';
      }
      return (path[0] === 'contributes' || path[0] === 'capabilities') && SHOWN_FIELDS.has(fieldOf(path) ?? '') && !isModelFacing(path);
    })
    .map(({ path, value }) => ({ where: path.join('.'), value }));
}

function keyOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : PLACEHOLDER.exec(value)?.[1];
}

const usedKeys = [...strings(manifestJson)].flatMap(({ value }) => keyOf(value) ?? []);

void test('every user-visible manifest text is a %key%, not a literal', () => {
  const shown = shownStrings();
  // The walk finds the fields at all (a renamed section would make it vacuous).
  assert.ok(shown.length >= 50, `only ${shown.length} user-visible strings found`);
  const literal = shown.filter(({ value }) => keyOf(value) === undefined).map(({ where, value }) => `${where}: ${JSON.stringify(value)}`);
  assert.deepEqual(literal, [], 'literal texts where package.nls.json keys belong');
});

void test('every command has a title and a category, and every setting a description, each a %key%', () => {
  for (const command of manifest.contributes.commands) {
    assert.ok(keyOf(command.title), `${command.command}: title ${command.title}`);
    assert.ok(keyOf(command.category), `${command.command}: category ${String(command.category)}`);
  }
  assert.ok(keyOf(manifest.contributes.configuration.title), 'configuration title');
  for (const [id, setting] of Object.entries(manifest.contributes.configuration.properties)) {
    assert.ok(keyOf(setting.markdownDescription ?? setting.description), `${id}: no description key`);
    const enumDescriptions = setting.markdownEnumDescriptions ?? setting.enumDescriptions;
    if (setting.enum) {
      assert.equal(enumDescriptions?.length, setting.enum.length, `${id}: one description per enum value`);
      assert.ok(enumDescriptions.every((text) => keyOf(text)), `${id}: enum descriptions are keys`);
    }
  }
});

void test('every %key% of package.json has its English in package.nls.json, and every key there is used', () => {
  assert.ok(usedKeys.length > 0);
  const missing = [...new Set(usedKeys)].filter((key) => !Object.hasOwn(nls, key));
  assert.deepEqual(missing, [], 'keys used in package.json but missing from package.nls.json');
  const used = new Set(usedKeys);
  const unused = Object.keys(nls).filter((key) => !used.has(key));
  assert.deepEqual(unused, [], 'keys in package.nls.json that package.json does not use');
});

void test('every package.nls.json value is non-empty English text, not another placeholder', () => {
  for (const [key, value] of Object.entries(nls)) {
    assert.match(key, /^[\w.-]+$/, `${key}: VS Code would not replace %${key}%`);
    assert.equal(typeof value, 'string', `${key}: not a string`);
    const text = value as string;
    assert.ok(text.trim().length > 0, `${key}: empty`);
    assert.doesNotMatch(text, PLACEHOLDER, `${key}: its value is itself a placeholder`);
    assert.equal(text, text.trim(), `${key}: leading or trailing blanks`);
  }
});

void test('ids stay literal: command ids, the participant and its command names, the model vendor, setting ids', () => {
  for (const { path, value } of strings(manifestJson)) {
    const field = fieldOf(path);
    if (field === 'command' || field === 'name' || field === 'id' || field === 'vendor' || field === 'when' || field === 'enablement') {
      assert.equal(keyOf(value), undefined, `${path.join('.')} is an id, not a text: ${value}`);
    }
  }
  for (const id of Object.keys(manifest.contributes.configuration.properties)) {
    assert.match(id, /^lingualeap\./);
  }
});
