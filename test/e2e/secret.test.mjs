// The API key is a secret: set through "Set API Key" in the real UI (so SecretStorage is
// exercised), used, and echoed back by a hostile error body; afterwards it must appear nowhere
// the extension or VS Code wrote: not in the panel, not in any file under code-server's
// user-data dir (settings, logs, global and workspace storage, state databases), the
// extensions dir or the workspace. In code-server, SecretStorage lives in the BROWSER (an
// encrypted entry in the page's storage); the browser profile here is in memory, so the page's
// localStorage is searched too, and what is on disk is searched as files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_KEY } from '../scripts/common.mjs';
import { filesUnder, workbenchSuite } from './workbench.mjs';

/** The only key the fake accepts in this file; the environment's test key gets a 401. */
const SECRET = 'canary-secret-key-7f3a9c2e51d84b06';
const ASK = 'LinguaLeap: Ask LinguaLeap Architect';

/** Files under `dirs` whose bytes hold `secret` as UTF-8 or UTF-16LE. */
function filesHolding(dirs, secret) {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const hits = [];
  let searched = 0;
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      searched++;
      let bytes;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      if (needles.some((needle) => bytes.includes(needle))) {
        hits.push(file);
      }
    }
  }
  return { hits, searched };
}

workbenchSuite('secret', { fakeArgs: ['--valid-key', SECRET] }, (test) => {
  test('a key set through the UI is used, never shown, and written to no file', async (wb) => {
    // No stored key yet: the environment's key is used, and the fake refuses it.
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('First try');
    const frame = await wb.findWebviewFrame(() => !!document.querySelector('article.turn'));
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-failed'), { what: 'the 401' });

    // Set API Key from the failed turn: the password box, then the question is asked again.
    await frame.getByRole('button', { name: 'Set API Key' }).first().click();
    await wb.typeInQuickInput(SECRET);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the retried answer' });
    const requests = await wb.fake.requests();
    const api = requests.filter((r) => r.path === '/v1/messages');
    assert.equal(api.at(-1).authorized, true, 'the stored key was not the one sent');
    assert.equal(api[0].authorized, false, 'the environment key was sent first');

    // A hostile error body that echoes the key back.
    await wb.fake.script({ status: 400, errorMessage: `invalid request for key ${SECRET}` });
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('Echo my key');
    await wb.waitInFrame(frame, () => document.querySelectorAll('article.turn.is-failed').length >= 2, { what: 'the 400' });
    const panelText = await frame.evaluate(() => document.body.innerText + document.documentElement.outerHTML);
    assert.ok(!panelText.includes(SECRET), 'the key is in the panel');
    assert.ok(panelText.includes('[REDACTED]'), 'the echoed key was replaced');

    // Visible workbench text (notifications, the output channel if open) and the page's storage.
    const workbenchText = await wb.page.evaluate(() => document.body.innerText);
    assert.ok(!workbenchText.includes(SECRET), 'the key is shown in the workbench');
    const storage = await wb.page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
    assert.ok(!storage.includes(SECRET), 'the key is in the browser localStorage in plain text');
    await wb.runCommand('LinguaLeap: Show Log');
    await wb.page.locator('.output-view, .part.panel').first().waitFor({ state: 'visible' });
    assert.ok(!(await wb.page.evaluate(() => document.body.innerText)).includes(SECRET), 'the key is in the log view');

    // Close the window so storage is flushed, then search every file VS Code could have written.
    await wb.context.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const dirs = [wb.server.userDataDir, wb.server.extensionsDir, wb.workspace];
    const { hits, searched } = filesHolding(dirs, SECRET);
    assert.ok(searched > 10, `searched only ${searched} files`);
    assert.deepEqual(hits, [], `the key is written in ${hits.join(', ')}`);
    // The environment's test key must not have been written either.
    assert.deepEqual(filesHolding(dirs, TEST_API_KEY).hits, [], 'the environment key was written to disk');
    // code-server's own output (its log file, outside the user-data dir).
    assert.ok(!readFileSync(wb.server.logFile, 'utf8').includes(SECRET), 'the key is in code-server\'s output');
  });
});
