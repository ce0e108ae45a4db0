/**
 * The budget notice and the follow-up labels in the display language, and the Chat view's
 * notice still taken out of an answer before it goes back as history when it is translated.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { fitNotice, fitNoticeMarkdown, withoutFitNotice } from '../../../../src/core/prompt/budget';
import { applyCommand, followupsFor } from '../../../../src/core/prompt/slashCommands';

// Loaded after the imports above: any text made when a module loaded would stay English. A
// message with a translator's comment has the key `message/comment`, as `npm run l10n` writes it.
l10n.config({
  contents: {
    '{0} earlier questions and their answers were left out': '{0} frühere Fragen und ihre Antworten wurden weggelassen',
    "to fit the model's context window/Why parts of the request were left out; ends the sentence listing them":
      'damit die Anfrage in das Kontextfenster des Modells passt',
    '{0} {1}./What was left out of the request ({0}), then why ({1})': '{0}, {1}.',
    'Review the selection': 'Auswahl prüfen',
  },
});

const budget = { tokens: 1000, limitedBy: 'window' } as const;

void test('the notice is made of translated parts, and a translated notice is still taken out of the history', () => {
  const notice = fitNotice({ droppedTurns: 3, cutCode: [], movedCode: false, overBudget: false, budget });
  assert.equal(notice, '3 frühere Fragen und ihre Antworten wurden weggelassen, damit die Anfrage in das Kontextfenster des Modells passt.');
  const answer = 'Use one queue per job type.';
  assert.equal(withoutFitNotice(fitNoticeMarkdown(notice ?? '') + answer), answer);
  const quoted = '> Premature optimization is the root of all evil.\n\nSo measure first.';
  assert.equal(withoutFitNotice(quoted), quoted);
});

void test('follow-up labels are translated; what goes to the model is not', () => {
  const [review] = followupsFor(undefined);
  assert.equal(review.label, 'Auswahl prüfen');
  assert.equal(review.prompt, 'Review the selected code.');
  assert.ok(applyCommand('review', '').startsWith('Focus: an architecture review of the code.'));
});
