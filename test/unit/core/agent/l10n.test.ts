/**
 * The agent-file texts are made in the display language: with a bundle loaded after these
 * modules (as app.js and agentCore.js load theirs after import), diagnostics, quick fixes,
 * hovers and scope labels read translated, and the checks themselves do not change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { SCOPE_LABELS } from '../../../../src/core/agent/catalog';
import { diagnoseAgentText } from '../../../../src/core/agent/diagnostics';
import { completionsAt } from '../../../../src/core/agent/editor';
import { FRONT_MATTER_FIELDS, TOOL_NOTES } from '../../../../src/core/agent/fields';
import { MODEL_CHOICES } from '../../../../src/core/agent/models';
import { describeIgnored } from '../../../../src/core/agent/restricted';

// Loaded after the imports above: any text made when a module loaded would stay English.
l10n.config({
  contents: {
    '"{0}" is not a Claude Code tool; did you mean "{1}"?': '„{0}“ ist kein Werkzeug von Claude Code; meinten Sie „{1}“?',
    'Change to "{0}"': 'Ändern in „{0}“',
    'project agent': 'Projekt-Agent',
    'required: when to use this agent': 'erforderlich: wann dieser Agent hilft',
    'reads a file of the workspace': 'liest eine Datei des Arbeitsbereichs',
    'the model of the conversation in Claude Code; here {0}': 'in Claude Code das Modell des Gesprächs; hier {0}',
    'its agent file {0}': 'seine Agent-Datei {0}',
    'LinguaLeap is in Restricted Mode: this workspace is not trusted, so {0} is ignored. The bundled architect answers, with your user settings.':
      'LinguaLeap ist im eingeschränkten Modus: {0} wird ignoriert.',
  },
});

void test('a diagnostic and its quick fix read in the display language; code and edits stay the same', () => {
  const text = '---\nname: reviewer\ndescription: Reviews code.\ntools: Raed\n---\n\nYou review.\n';
  const [unknown] = diagnoseAgentText(text, { fileName: 'reviewer.md' }).filter((d) => d.code === 'unknown-tool');
  assert.equal(unknown.message, '„Raed“ ist kein Werkzeug von Claude Code; meinten Sie „Read“?');
  assert.equal(unknown.fixes[0].title, 'Ändern in „Read“');
  assert.equal(unknown.fixes[0].edits[0].newText, 'Read');
});

void test('label tables are translated when read, not when their module loads', () => {
  assert.equal(SCOPE_LABELS.project, 'Projekt-Agent');
  assert.equal(FRONT_MATTER_FIELDS.description.summary, 'erforderlich: wann dieser Agent hilft');
  assert.equal(TOOL_NOTES.Read, 'liest eine Datei des Arbeitsbereichs');
  assert.equal(MODEL_CHOICES.find((choice) => choice.value === 'inherit')?.detail, 'in Claude Code das Modell des Gesprächs; hier claude-sonnet-5-5');
  const text = '---\nname: reviewer\ndescription: Reviews code.\nmodel: \n---\n\nYou review.\n';
  const inherit = completionsAt(text, 3, 7).find((item) => item.label === 'inherit');
  assert.equal(inherit?.detail, 'in Claude Code das Modell des Gesprächs; hier claude-sonnet-5-5');
  // A string the bundle lacks stays English.
  assert.equal(SCOPE_LABELS.user, 'user agent');
});

void test('a sentence built from parts translates each part', () => {
  assert.equal(
    describeIgnored({ agentFiles: ['.claude/agents/evil.md'], settings: [] }),
    'LinguaLeap ist im eingeschränkten Modus: seine Agent-Datei .claude/agents/evil.md wird ignoriert.',
  );
});
