/**
 * The failure sentences and the tool loop's notes in another display language: the English text
 * is the key, the translation is read when the string is made (never at module load, which runs
 * before the host hands over the bundle), and the incomplete-answer note still comes off an
 * answer that goes back as history. Its own file: `l10n.config` is per process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { APIError, NotFoundError, RateLimitError } from '@anthropic-ai/sdk';
import { describeFailure, incompleteAnswerMarkdown, LlmTimeoutError, MissingApiKeyError, withoutIncompleteNote } from '../../../../src/core/llm/errors';
import { stepLimitNote, toolCallCutNote } from '../../../../src/core/llm/toolLoop';

const MODEL = { model: 'claude-sonnet-4-5' };

// Configured after the modules above were loaded, as in app.js: only strings made later are translated.
l10n.config({
  contents: {
    'No Anthropic API key is set; use “Set Anthropic API Key” to add one.': 'Kein Anthropic-API-Schlüssel gesetzt; „Set Anthropic API Key“ fügt einen hinzu.',
    'The Anthropic API sent nothing for {0}, so the request was stopped; try again.': 'Die Anthropic-API hat {0} lang nichts gesendet; bitte erneut versuchen.',
    '1 second': '1 Sekunde',
    '{0} seconds': '{0} Sekunden',
    '{0} minutes': '{0} Minuten',
    'The model “{0}” was not found; check {1}.': 'Das Modell „{0}“ wurde nicht gefunden; prüfen Sie {1}.',
    "the `lingualeap.model` setting or the agent file's model": 'die Einstellung `lingualeap.model` oder das Modell der Agent-Datei',
    'The Anthropic API rate limit was reached (429); try again in a minute.': 'Ratenlimit erreicht (429); in einer Minute erneut versuchen.',
    'Stopped after 1 step, the limit for one question, before the answer was finished; ask a follow-up to let it continue.': 'Nach 1 Schritt angehalten.',
    'Stopped after {0} steps, the limit for one question, before the answer was finished; ask a follow-up to let it continue.': 'Nach {0} Schritten angehalten.',
    'Stopped: the answer reached its length limit in the middle of a call to the tool “{0}”; ask a follow-up to let it continue.': 'Angehalten mitten im Aufruf von „{0}“.',
    'Incomplete answer: it was cut off by the error below.': 'Unvollständige Antwort: durch den Fehler unten abgebrochen.',
  },
});

test('the failure sentences are read from the bundle, with their values in place', () => {
  assert.equal(describeFailure(new MissingApiKeyError(), MODEL).message, 'Kein Anthropic-API-Schlüssel gesetzt; „Set Anthropic API Key“ fügt einen hinzu.');
  assert.equal(describeFailure(new LlmTimeoutError(1000), MODEL).message, 'Die Anthropic-API hat 1 Sekunde lang nichts gesendet; bitte erneut versuchen.');
  assert.equal(describeFailure(new LlmTimeoutError(45_000), MODEL).message, 'Die Anthropic-API hat 45 Sekunden lang nichts gesendet; bitte erneut versuchen.');
  assert.equal(describeFailure(new LlmTimeoutError(300_000), MODEL).message, 'Die Anthropic-API hat 5 Minuten lang nichts gesendet; bitte erneut versuchen.');
  const notFound = APIError.generate(404, undefined, undefined, new Headers());
  assert.ok(notFound instanceof NotFoundError);
  assert.equal(
    describeFailure(notFound, MODEL).message,
    'Das Modell „claude-sonnet-4-5“ wurde nicht gefunden; prüfen Sie die Einstellung `lingualeap.model` oder das Modell der Agent-Datei.',
  );
  const limited = APIError.generate(429, undefined, undefined, new Headers());
  assert.ok(limited instanceof RateLimitError);
  assert.equal(describeFailure(limited, MODEL).message, 'Ratenlimit erreicht (429); in einer Minute erneut versuchen.');
});

test('a sentence missing from the bundle stays English; a part the bundle has (the wait) is translated', () => {
  const limited = APIError.generate(429, undefined, undefined, new Headers({ 'retry-after': '30' }));
  assert.equal(describeFailure(limited, MODEL).message, 'The Anthropic API rate limit was reached (429); try again in 30 Sekunden.');
});

test("the tool loop's notes, one string per plural form", () => {
  assert.equal(stepLimitNote(1), 'Nach 1 Schritt angehalten.');
  assert.equal(stepLimitNote(8), 'Nach 8 Schritten angehalten.');
  assert.equal(toolCallCutNote('Read'), 'Angehalten mitten im Aufruf von „Read“.');
});

test('the translated incomplete-answer note is shown, and taken off again before the answer goes back as history', () => {
  const partial = 'Use a pool. Then';
  const shown = partial + incompleteAnswerMarkdown(partial);
  assert.equal(shown, `${partial}\n\n*Unvollständige Antwort: durch den Fehler unten abgebrochen.*`);
  assert.equal(withoutIncompleteNote(shown), partial);
});
