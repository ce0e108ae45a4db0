// The Chat view's responses as a user sees them, for the e2e files that talk to @lingualeap and
// read what it answered: the newest response's text, error sentence and buttons, waiting for a
// response to finish, and clicking one of its buttons.
import { setTimeout as sleep } from 'node:timers/promises';

/** The whole text of the last chat response, error details and buttons included. */
export async function lastResponseText(wb) {
  return (await wb.page.locator('.interactive-response').last().innerText()).replace(/\u00a0/g, ' ');
}

/** The rows of the chat list that hold a response (the list is virtual: only rows in view exist). */
const responseRows = (wb) => wb.page.locator('.monaco-list-row:has(.interactive-response)');

/** The list index of the last response, or -1 when there is none yet. */
export async function lastResponseIndex(wb) {
  const rows = responseRows(wb);
  return (await rows.count()) === 0 ? -1 : Number(await rows.last().getAttribute('data-index'));
}

/**
 * The last chat response as the user sees it: all its text, the error sentence (the result's
 * errorDetails) and the labels of the buttons the participant added.
 */
export async function lastResponse(wb) {
  const response = wb.page.locator('.interactive-response').last();
  const text = (await response.innerText()).replace(/\u00a0/g, ' ');
  const error = (await response.locator('.chat-notification-widget').allInnerTexts()).join('\n').trim();
  const buttons = (await response.locator('.chat-command-button .monaco-button').allInnerTexts()).map((label) => label.trim());
  return { text, error, buttons };
}

/** Waits until a response newer than list index `previous` has finished; resolves with it. */
export async function awaitResponseAfter(wb, previous, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const index = await lastResponseIndex(wb);
    const loading = await wb.page.locator('.chat-response-loading').count();
    if (index > previous && loading === 0) {
      return lastResponse(wb);
    }
    if (Date.now() > deadline) {
      throw new Error(`no finished chat response after row ${previous} within ${timeout} ms (last response row ${index}, ${loading} loading)`);
    }
    await sleep(200);
  }
}

/** Sends `message` in the Chat view and resolves with the response once it has finished. */
export async function askInChat(wb, message) {
  const previous = await lastResponseIndex(wb);
  const input = await wb.openChat();
  await input.click();
  await wb.page.keyboard.type(message, { delay: 10 });
  await sleep(300);
  await wb.page.keyboard.press('Enter');
  return awaitResponseAfter(wb, previous);
}

/** Clicks a button the participant added to the last response; resolves with the response to the request it sends. */
export async function clickAndAwaitResponse(wb, label) {
  const previous = await lastResponseIndex(wb);
  await wb.page.locator('.interactive-response').last().locator('.chat-command-button .monaco-button', { hasText: label }).click();
  return awaitResponseAfter(wb, previous);
}
