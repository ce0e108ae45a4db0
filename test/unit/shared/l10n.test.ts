/**
 * The shared labels read in the display language of the side that loaded a bundle (the host or
 * a webview), and only when they are read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../../src/shared/format';
import { incompleteAnswerNote, TURN_ACTION_LABELS } from '../../../src/shared/protocol';

// Loaded after the imports above: any text made when a module loaded would stay English.
l10n.config({
  contents: {
    Retry: 'Wiederholen',
    'price unknown': 'Preis unbekannt',
    'Incomplete answer: it was cut off by the error below.': 'Unvollständige Antwort: der Fehler unten hat sie abgebrochen.',
  },
});

void test('button labels, the incomplete-answer note and "price unknown" are translated; amounts are not', () => {
  assert.equal(TURN_ACTION_LABELS.retry, 'Wiederholen');
  assert.equal(TURN_ACTION_LABELS.openLog, 'Open Log');
  assert.equal(incompleteAnswerNote(), 'Unvollständige Antwort: der Fehler unten hat sie abgebrochen.');
  assert.equal(formatCost(undefined), 'Preis unbekannt');
  assert.equal(formatCost(1.25), '$1.25');
});
