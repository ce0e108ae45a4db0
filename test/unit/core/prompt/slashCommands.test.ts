import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCommand, ARCHITECT_COMMANDS, followupsFor, isArchitectCommand } from '../../../../src/core/prompt/slashCommands';
import { readEnglishManifest } from '../../support/manifest';

interface ManifestParticipant {
  id: string;
  commands: Array<{ name: string; description: string }>;
}

const manifest = readEnglishManifest() as {
  contributes: { chatParticipants: ManifestParticipant[] };
};

test('the manifest lists exactly the commands the participant knows, with the same descriptions', () => {
  const participant = manifest.contributes.chatParticipants.find((p) => p.id === 'lingualeap.architect');
  assert.ok(participant);
  assert.deepEqual(
    participant.commands.map((c) => [c.name, c.description]),
    Object.entries(ARCHITECT_COMMANDS).map(([name, c]) => [name, c.description]),
  );
});

test('a command puts its focus before the question', () => {
  const sent = applyCommand('schema', 'Store conversation history');
  assert.ok(sent.startsWith(ARCHITECT_COMMANDS.schema.instruction));
  assert.ok(sent.endsWith('\n\nStore conversation history'));
});

test('a command with no question asks its default question', () => {
  assert.ok(applyCommand('review', '  ').endsWith('\n\nReview this code.'));
});

test('no command or an unknown one leaves the question alone', () => {
  assert.equal(applyCommand(undefined, 'q'), 'q');
  assert.equal(applyCommand('toString', 'q'), 'q');
  assert.equal(isArchitectCommand('constructor'), false);
});

test('follow-ups name known commands', () => {
  for (const name of Object.keys(ARCHITECT_COMMANDS)) {
    for (const followup of followupsFor(name)) {
      assert.ok(followup.command === undefined || isArchitectCommand(followup.command));
      assert.ok(followup.prompt.length > 0 && followup.label.length > 0);
    }
  }
  // Without a command (or with an unknown one): the general follow-ups.
  assert.deepEqual(
    followupsFor(undefined).map((f) => [f.command, f.label]),
    [
      ['review', 'Review the selection'],
      ['scale', 'How does this scale?'],
    ],
  );
  assert.deepEqual(followupsFor('toString'), followupsFor(undefined));
});
