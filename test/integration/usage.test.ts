/**
 * Usage in a real extension host, no API needed: rows recorded through the usage store (three
 * answers ending together), Show Usage's webview drawing them (the real bundle under its CSP,
 * with Chart.js) and drawing again when a row is recorded while it is open, the empty state, and
 * the CSV export written to a file whose content matches the rows.
 *
 * The store runs over a Memento of this test (the extension's own `globalState` is out of a
 * test's reach); everything else is the extension's: its `dist/usage.js` and `usage.css`.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { usageRows, type UsageRow } from '../../src/core/usage/ledger';
import { createUsage, USAGE_VIEW_TYPE, type Usage, type UsageRendered } from '../../src/usage';
import { EXTENSION_ID } from './workbench';

/** `globalState` as VS Code keeps it: JSON values, a copy on write. */
class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }
  async update(key: string, value: unknown): Promise<void> {
    // Let another write interleave, as the real storage's round trip would.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    }
  }
}

const usageTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(USAGE_VIEW_TYPE));

/** The next `rendered` report of the open view matching `accept`. */
function nextRender(usage: Usage, accept: (r: UsageRendered) => boolean, timeoutMs = 20_000): Promise<UsageRendered> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`The usage view did not draw within ${timeoutMs} ms.`));
    }, timeoutMs);
    const subscription = usage.onDidRender((r) => {
      if (accept(r)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(r);
      }
    });
  });
}

const DAY = 86_400_000;
const request = (requestId: string, model: string, inputTokens: number, cacheWriteTokens: number, cacheReadTokens: number, outputTokens: number, partial = false) => ({
  requestId,
  model,
  usage: { inputTokens, cacheWriteTokens, cacheReadTokens, outputTokens },
  partial,
  outcome: partial ? ('cancelled' as const) : ('completed' as const),
  durationMs: 1200,
  webSearches: 0,
  webFetches: 0,
});

suite('usage', () => {
  let extensionUri: vscode.Uri;
  let folder: string;
  const disposables: vscode.Disposable[] = [];

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    extensionUri = extension.extensionUri;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    folder = mkdtempSync(join(tmpdir(), 'lingualeap-usage-'));
  });

  teardown(async () => {
    for (const d of disposables.splice(0)) {
      d.dispose();
    }
    if (usageTabs().length > 0) {
      await vscode.window.tabGroups.close(usageTabs());
    }
  });

  suiteTeardown(() => rmSync(folder, { recursive: true, force: true }));

  function newUsage(memento = new MemoryMemento()): Usage {
    const usage = createUsage({ globalState: memento, extensionUri });
    disposables.push(usage);
    return usage;
  }

  test('three answers recorded together, Show Usage draws them, redraws live, and the CSV matches the rows', async () => {
    const memento = new MemoryMemento();
    const usage = newUsage(memento);
    const now = Date.now();
    const answers = [
      usageRows([request('req_a1', 'claude-opus-5-5', 12, 18_000, 0, 900), request('req_a2', 'claude-opus-5-5', 20, 2_100, 18_000, 1_300)], { at: now - 2 * DAY, agent: 'lingualeap-backend-architect', billedTo: 'key' }),
      usageRows([request('req_b1', 'claude-sonnet-5-5', 40, 9_800, 0, 2_300)], { at: now - DAY, agent: 'api, "contract" reviewer', billedTo: 'key' }),
      usageRows([request('req_c1', 'claude-sonnet-5-5', 30, 0, 33_600, 700, true)], { at: now, agent: '=cmd|evil', billedTo: 'key' }),
    ];
    // Three answers ending at the same moment: serialized writes, no row lost.
    await Promise.all(answers.map((rows) => usage.store.record(rows)));
    const all: UsageRow[] = answers.flat();
    assert.deepEqual(
      usage.store.ledger().rows.map((r) => r.requestId),
      all.map((r) => r.requestId),
    );
    // What another window (or the next session) reads from the same storage.
    assert.equal(newUsage(memento).store.ledger().rows.length, 4);

    const drawn = nextRender(usage, (r) => !r.empty);
    await usage.show();
    assert.deepEqual(await drawn, { days: 30, models: 2, tableRows: 3, empty: false });
    assert.equal(usageTabs().length, 1, 'the usage view is open in a tab');

    // Show again: the same view in front, not a second one.
    await usage.show();
    assert.equal(usageTabs().length, 1);

    const redrawn = nextRender(usage, (r) => r.models === 3);
    await usage.store.record(usageRows([request('req_d1', 'claude-haiku-5-5', 500, 0, 0, 200)], { at: now, agent: 'lingualeap-backend-architect', billedTo: 'key' }));
    assert.deepEqual(await redrawn, { days: 30, models: 3, tableRows: 3, empty: false }, 'a row recorded while open is drawn at once');

    const target = vscode.Uri.file(join(folder, 'usage.csv'));
    const written = await usage.exportCsv(target);
    assert.equal(written?.toString(), target.toString());
    const csv = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.equal(csv, usage.store.ledger().toCsv());
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 1 + 5 + 1, 'a header, 5 requests, the final CRLF');
    assert.match(lines[0], /^date,agent,model,input_tokens,/);
    assert.deepEqual(
      lines.slice(1, -1).map((l) => l.split(',').at(-3)),
      ['req_a1', 'req_a2', 'req_b1', 'req_c1', 'req_d1'],
    );
    assert.ok(lines.some((l) => l.includes(`,"api, ""contract"" reviewer",claude-sonnet-5-5,40,9800,0,0,2300,`)), 'quoted');
    assert.ok(lines.some((l) => l.includes(`,'=cmd|evil,claude-sonnet-5-5,30,0,0,33600,700,`) && l.endsWith(',req_c1,true,key')), 'formula-safe, partial');
  });

  test('no usage yet: the view shows its empty state and there is nothing to export', async () => {
    const usage = newUsage();
    const drawn = nextRender(usage, () => true);
    await usage.show();
    assert.deepEqual(await drawn, { days: 0, models: 0, tableRows: 0, empty: true });
    assert.equal(usageTabs().length, 1);
    assert.equal(await usage.exportCsv(vscode.Uri.file(join(folder, 'empty.csv'))), undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.file(join(folder, 'empty.csv')))), 'no file written');
  });
});
