/**
 * The walkthrough in `package.json` names only things that exist: every command link and every
 * completion event refers to a command, context key or setting the extension has; every media
 * file (and each picture it shows) is there and goes into the .vsix; the sample the second step
 * opens has the handler it selects. The e2e test (`test/e2e/walkthrough.test.mjs`) clicks it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { COMMANDS, CONTEXT_KEYS, WORKBENCH_COMMANDS } from '../../../src/contributes/ids';
import { readEnglishManifest } from '../support/manifest';
import { REPO_ROOT, repoPath } from '../support/paths';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}

const manifest = readEnglishManifest() as {
  activationEvents: string[];
  contributes: {
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    configuration: { properties: Record<string, unknown> };
  };
};
const [walkthrough] = manifest.contributes.walkthroughs;
const steps = walkthrough.steps;

/** The `command:` links of a description or a Markdown file: the command and its decoded arguments. */
function commandLinks(text: string): { command: string; args: string | undefined }[] {
  return [...text.matchAll(/\]\(command:(?:toSide:)?([\w.]+)(?:\?([^)\s]*))?\)/g)].map((m) => ({
    command: m[1],
    args: m[2] === undefined ? undefined : decodeURIComponent(m[2]),
  }));
}

const knownCommands = new Set<string>([...Object.values(COMMANDS), ...Object.values(WORKBENCH_COMMANDS)]);

void test('one walkthrough of four steps, in order: key, editor, chat, agents', () => {
  assert.equal(manifest.contributes.walkthroughs.length, 1);
  assert.deepEqual(
    steps.map((s) => s.title),
    ['Set your Anthropic API key', 'Select code and ask', 'Ask @lingualeap in Chat', 'Pick or create an agent'],
  );
  // The walkthrough loads nothing at startup: opening it activates nothing of ours.
  assert.ok(!manifest.activationEvents.some((event) => event.startsWith('onWalkthrough:')));
});

void test('every step has a button, and every command link names a command the extension or VS Code has, with JSON arguments', () => {
  for (const step of steps) {
    const buttons = step.description.split('\n').filter((line) => /^\[[^\]]+\]\(command:[^)]+\)$/.test(line.trim()));
    assert.ok(buttons.length > 0, `${step.id}: no button (a line that is only a command link)`);
    // A description renders links and $(icons) only: a backtick would show as one.
    assert.ok(!step.description.includes('`'), `${step.id}: a backtick in the description`);
    const media = step.media.markdown ? readFileSync(repoPath(step.media.markdown), 'utf8') : '';
    for (const { command, args } of [...commandLinks(step.description), ...commandLinks(media)]) {
      assert.ok(knownCommands.has(command), `${step.id}: ${command} is neither in COMMANDS nor in WORKBENCH_COMMANDS`);
      if (args !== undefined) {
        assert.doesNotThrow(() => JSON.parse(args), `${step.id}: the arguments of ${command} are not JSON: ${args}`);
      }
    }
  }
  const chat = commandLinks(steps[2].description).find((link) => link.command === WORKBENCH_COMMANDS.openChat);
  assert.deepEqual(JSON.parse(chat?.args ?? 'null'), { query: '@lingualeap ', isPartialQuery: true });
});

void test('every completion event is a command, a context key or a setting of the extension', () => {
  const contextKeys = new Set<string>(Object.values(CONTEXT_KEYS));
  for (const step of steps) {
    assert.ok((step.completionEvents ?? []).length > 0, `${step.id}: no completion event, it would complete when merely opened`);
    for (const event of step.completionEvents ?? []) {
      const [kind, value] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
      if (kind === 'onCommand') {
        assert.ok((Object.values(COMMANDS) as string[]).includes(value), `${step.id}: ${event}`);
      } else if (kind === 'onContext') {
        assert.ok(contextKeys.has(value), `${step.id}: ${event} is not in CONTEXT_KEYS`);
      } else if (kind === 'onSettingChanged') {
        assert.ok(value in manifest.contributes.configuration.properties, `${step.id}: ${event} is not a contributed setting`);
      } else {
        assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  }
});

void test('each step\'s media, the pictures it shows and the sample exist and go into the .vsix', () => {
  const included = readFileSync(repoPath('.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => picomatch(line.slice(1), { dot: true }));
  const shipped = (path: string) => included.some((match) => match(path));
  const files = ['media/walkthrough/sample-route.ts.txt'];
  for (const step of steps) {
    const markdown = step.media.markdown;
    assert.ok(markdown, `${step.id}: media is not a Markdown file`);
    files.push(markdown);
    for (const [, src] of readFileSync(repoPath(markdown), 'utf8').matchAll(/!\[[^\]]+\]\(([^)\s]+)\)/g)) {
      files.push(posix.normalize(posix.join(posix.dirname(markdown), src)));
    }
  }
  assert.ok(files.length > 5, 'the media show no pictures');
  for (const file of files) {
    assert.ok(existsSync(join(REPO_ROOT, file)), `${file} is missing`);
    assert.ok(!file.startsWith('..'), `${file} is outside the extension`);
    assert.ok(shipped(file), `${file} is not in the .vsix (.vscodeignore)`);
  }
});

void test('the sample is an Express route with a Prisma query, and has the handler Open Sample Route selects', () => {
  const lines = readFileSync(repoPath('media/walkthrough/sample-route.ts.txt'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('progressRouter.post('));
  const end = lines.findIndex((line, index) => index > start && line === '});');
  assert.ok(start > 0 && end > start + 5, `handler lines ${start + 1}-${end + 1}`);
  const handler = lines.slice(start, end + 1).join('\n');
  assert.match(handler, /await prisma\.\w+\.(findUnique|upsert)\(/);
  assert.match(lines.join('\n'), /from 'express'/);
});
