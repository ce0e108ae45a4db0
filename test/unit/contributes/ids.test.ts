/**
 * The id table and the manifest name the same things: every public command in `COMMANDS` is
 * contributed, every contributed command is in `COMMANDS`, and the participant, vendor, view
 * type and context key are the ones `package.json` declares and uses in `when` clauses.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMMANDS, CONTEXT_KEYS, MODEL_VENDOR, PANEL_VIEW_TYPE, PARTICIPANT, PROPOSAL_SCHEME } from '../../../src/contributes/ids';
import { repoPath } from '../support/paths';

const manifestText = readFileSync(repoPath('package.json'), 'utf8');
const manifest = JSON.parse(manifestText) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    chatParticipants: { id: string; name: string }[];
    languageModelChatProviders: { vendor: string }[];
  };
};

void test('every public command in the table is contributed, and every contributed command is in the table', () => {
  const table = Object.values(COMMANDS);
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(
    table.filter((id) => !id.startsWith('_')).sort(),
    [...contributed].sort(),
  );
  for (const id of table.filter((id) => id.startsWith('_'))) {
    assert.ok(id.startsWith('_lingualeap.'), `${id}: hidden commands are prefixed _lingualeap.`);
  }
  assert.equal(new Set(table).size, table.length, 'no id twice');
});

void test('the participant, the model vendor, the panel view type, the context key and the proposal scheme match the manifest', () => {
  assert.deepEqual(
    manifest.contributes.chatParticipants.map((p) => ({ id: p.id, name: p.name })),
    [{ id: PARTICIPANT.id, name: PARTICIPANT.name }],
  );
  assert.equal(PARTICIPANT.mention, `@${PARTICIPANT.name}`);
  assert.deepEqual(manifest.contributes.languageModelChatProviders.map((p) => p.vendor), [MODEL_VENDOR]);
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${PANEL_VIEW_TYPE}`));
  assert.ok(manifestText.includes(`activeWebviewPanelId == '${PANEL_VIEW_TYPE}'`));
  assert.ok(manifestText.includes(CONTEXT_KEYS.answering));
  assert.ok(manifestText.includes(`resourceScheme == ${PROPOSAL_SCHEME}`));
});
