/**
 * Receipts, the price confirmation and the monthly budget in a real extension host, through the
 * extension's own commands against the fake API: the receipt the panel stores equals the usage
 * the fake recorded, request by request (a tool turn, a stopped answer); the usage store has the
 * same rows (Export Usage as CSV); Export to Markdown carries the receipt; above
 * `lingualeap.confirmAboveDollars` the question asks first (answered through the test-mode hook:
 * the extension host cannot click a modal; the e2e suite sees the real one); the budget warns
 * once at 80 %, refuses at 100 % with Send Anyway and Raise Budget, and Send Anyway sends.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RecordedRequest } from '../fake-anthropic/server';
import { closePanels, config, useFakeApi } from './workbench';

interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

interface StoredTurn {
  readonly id: string;
  readonly status: string;
  readonly failure?: { readonly message: string; readonly actions: readonly string[] };
  readonly notSent?: boolean;
  readonly receipt?: {
    readonly requests: ReadonlyArray<{ readonly requestId?: string; readonly usage: Usage; readonly partial: boolean; readonly outcome: string }>;
    readonly context: { readonly files: readonly string[]; readonly code: readonly string[]; readonly billedTo: string; readonly agent: string };
  };
}

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly text: string;
  readonly failure?: { readonly message: string; readonly actions: readonly string[] };
}

interface SpendPrompt {
  readonly kind: 'confirm' | 'warn';
  readonly message: string;
  readonly detail?: string;
  readonly answer?: string;
  readonly estimate?: number;
}

function ask(question: string): Thenable<TurnResult | undefined> {
  return vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
}

/** Sets the confirmation's next answers; returns what the spending check asked or warned since the last call. */
function spending(...answers: string[]): Thenable<SpendPrompt[]> {
  return vscode.commands.executeCommand<SpendPrompt[]>('_lingualeap.test.spending', answers);
}

async function turns(): Promise<StoredTurn[]> {
  const conversation = await vscode.commands.executeCommand<{ turns: StoredTurn[] } | undefined>('_lingualeap.panel.conversation');
  assert.ok(conversation, 'a panel is open');
  return conversation.turns;
}

/** The usage the fake sent for a request, as a receipt keeps it. */
function wireUsage(request: RecordedRequest): Usage {
  const u = request.usage;
  assert.ok(u, `request #${request.index} has usage`);
  return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadTokens: u.cache_read_input_tokens ?? 0, cacheWriteTokens: u.cache_creation_input_tokens ?? 0 };
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

suite('receipts, the price confirmation and the monthly budget', function () {
  this.timeout(90_000);
  const fake = useFakeApi({ settings: { confirmAboveDollars: 0 }, resets: ['confirmAboveDollars', 'budget.monthlyDollars'], eachTest: 'closeEditors' });
  const messages = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/messages');
  let folder: string;

  suiteSetup(() => {
    folder = mkdtempSync(join(tmpdir(), 'lingualeap-receipts-'));
  });
  suiteTeardown(() => rmSync(folder, { recursive: true, force: true }));

  setup(async () => {
    await closePanels();
    await spending();
  });

  /** Export Usage as CSV, through the command, to a file of the test; the rows after the header. */
  async function usageRows(): Promise<string[][]> {
    const target = vscode.Uri.file(join(folder, `usage-${Date.now()}.csv`));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('lingualeap.exportUsageCsv', target);
    assert.equal(written?.toString(), target.toString());
    const lines = readFileSync(target.fsPath, 'utf8').split('\r\n').filter((line) => line !== '');
    assert.match(lines[0], /^date,agent,model,input_tokens,cache_write_tokens,cache_write_1h_tokens,cache_read_tokens,output_tokens,price_usd,request_id,partial,billed_to$/);
    return lines.slice(1).map((line) => line.split(','));
  }

  /** Dollars billed to the key this (local) month, from the CSV. */
  async function spentThisMonth(): Promise<number> {
    const now = new Date();
    return (await usageRows())
      .filter((row) => {
        const at = new Date(row[0]);
        return at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && row[11] === 'key' && row[8] !== '';
      })
      .reduce((sum, row) => sum + Number(row[8]), 0);
  }

  test('a tool turn: the stored receipt equals the usage the fake recorded, request by request; the usage CSV has the same rows; Export to Markdown carries it', async () => {
    fake.script(
      { toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma', limit: 5 } }], requestId: 'req_receipt_it_1' },
      { text: 'Lessons have a `createdAt` column.', requestId: 'req_receipt_it_2' },
    );
    const result = await ask('Which columns do lessons have?');
    assert.equal(result?.status, 'completed', JSON.stringify(result));
    const sent = messages();
    assert.equal(sent.length, 2);
    const turn = (await turns()).at(-1);
    const receipt = turn?.receipt;
    assert.ok(receipt, 'the turn keeps its receipt');
    assert.deepEqual(
      receipt.requests.map((r) => r.usage),
      sent.map(wireUsage),
      'each receipt line is exactly the usage on the wire',
    );
    assert.deepEqual(
      receipt.requests.map((r) => r.requestId),
      ['req_receipt_it_1', 'req_receipt_it_2'],
    );
    assert.deepEqual(receipt.context.files, ['prisma/schema.prisma:1-5']);
    assert.equal(receipt.context.billedTo, 'key');

    const rows = (await usageRows()).filter((row) => row[9] === 'req_receipt_it_1' || row[9] === 'req_receipt_it_2');
    assert.equal(rows.length, 2, 'one usage row per request');
    rows.forEach((row, k) => {
      const u = wireUsage(sent[k]);
      assert.deepEqual(row.slice(3, 8).map(Number), [u.inputTokens, u.cacheWriteTokens, 0, u.cacheReadTokens, u.outputTokens]);
      assert.equal(row[1], 'lingualeap-backend-architect');
      assert.equal(row[10], 'false');
      assert.ok(Number(row[8]) > 0);
    });

    const target = vscode.Uri.file(join(folder, 'conversation.md'));
    await vscode.commands.executeCommand('lingualeap.exportConversation', target);
    const markdown = readFileSync(target.fsPath, 'utf8');
    assert.match(markdown, /\*\*Receipt\*\* · LinguaLeap Backend Architect · `claude-sonnet-5-5`/);
    assert.match(markdown, /- 2 requests in [\d.]+ (ms|s): `req_receipt_it_1`, `req_receipt_it_2`/);
    assert.match(markdown, /- Files the tools touched: `prisma\/schema\.prisma:1-5`/);
  });

  test('a stopped answer: a partial receipt with the input and cache tokens of message_start, recorded as partial', async () => {
    fake.script({ text: 'word '.repeat(2000), chunkSize: 5, delayMs: 20, requestId: 'req_receipt_stopped' });
    const pending = ask('Write a lot');
    const request = await fake.waitForRequest(0, 20_000);
    await waitUntil(() => Date.now() - request.receivedAt > 400);
    await vscode.commands.executeCommand('lingualeap.stop');
    const result = await pending;
    assert.equal(result?.status, 'cancelled');
    const receipt = (await turns()).at(-1)?.receipt;
    assert.ok(receipt, 'a stopped answer has a receipt');
    const [line] = receipt.requests;
    const wire = wireUsage(messages()[0]);
    assert.equal(line.partial, true);
    assert.equal(line.outcome, 'cancelled');
    assert.deepEqual(
      [line.usage.inputTokens, line.usage.cacheReadTokens, line.usage.cacheWriteTokens],
      [wire.inputTokens, wire.cacheReadTokens, wire.cacheWriteTokens],
    );
    assert.ok(line.usage.outputTokens > 1 && line.usage.outputTokens < wire.outputTokens, `output ${line.usage.outputTokens} as far as it streamed`);
    const [row] = (await usageRows()).filter((r) => r[9] === 'req_receipt_stopped');
    assert.ok(row, 'the stopped request is in the usage');
    assert.equal(row[10], 'true');
    assert.equal(Number(row[7]), line.usage.outputTokens);
  });

  test('above lingualeap.confirmAboveDollars the question asks first, with the estimate: declined sends nothing, accepted goes out; 0 never asks', async () => {
    await config().update('confirmAboveDollars', 0.000001, vscode.ConfigurationTarget.Global);
    await spending('cancel');
    const declined = await ask('Is this worth it?');
    assert.equal(declined?.status, 'cancelled');
    assert.equal(messages().length, 0, 'nothing was sent');
    const [asked] = await spending('send');
    assert.equal(asked?.kind, 'confirm');
    assert.match(asked.message, /^This question to LinguaLeap Backend Architect may cost up to \$[\d.]+\.$/);
    assert.match(asked.detail ?? '', /^≈ [\d,]+ tokens in \(instructions [\d,]+ · question [\d,]+\) · up to \$[\d.]+ \+ \$[\d.]+ for the answer\n/);
    assert.ok((asked.estimate ?? 0) > 0.000001);
    const stored = (await turns()).at(-1);
    assert.equal(stored?.notSent, true);
    assert.equal(stored?.receipt, undefined);

    const accepted = await ask('Is this worth it?');
    assert.equal(accepted?.status, 'completed');
    assert.equal(messages().length, 1);
    assert.equal((await spending()).length, 1, 'asked again, answered Send');

    await config().update('confirmAboveDollars', 0, vscode.ConfigurationTarget.Global);
    assert.equal((await ask('And now?'))?.status, 'completed');
    assert.deepEqual(await spending(), [], '0 never asks');
  });

  test('the monthly budget: a warning once at 80 %, a refusal at 100 % with Send Anyway and Raise Budget, nothing sent; Send Anyway sends it', async () => {
    // This question's estimate, from a declined confirmation.
    await config().update('confirmAboveDollars', 0.000001, vscode.ConfigurationTarget.Global);
    await spending('cancel');
    assert.equal((await ask('Budget?'))?.status, 'cancelled');
    const estimate = (await spending())[0]?.estimate;
    assert.ok(estimate && estimate > 0);
    await config().update('confirmAboveDollars', 0, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('lingualeap.newConversation');

    // Spend + this question at 90 % of the budget: warned, and sent.
    const spent = await spentThisMonth();
    await config().update('budget.monthlyDollars', (spent + estimate) / 0.9, vscode.ConfigurationTarget.Global);
    assert.equal((await ask('Budget?'))?.status, 'completed');
    const warned = await spending();
    assert.equal(warned.length, 1);
    assert.equal(warned[0].kind, 'warn');
    assert.match(warned[0].message, /^This month's spend with this question is \$[\d.]+, (8\d|9\d)% of your monthly budget of \$[\d.]+\.$/);

    // Once a month: the next question is not warned again.
    await vscode.commands.executeCommand('lingualeap.newConversation');
    assert.equal((await ask('Budget?'))?.status, 'completed');
    assert.deepEqual(await spending(), [], 'warned once');

    // Spend + this question past the budget: refused, nothing on the wire.
    await config().update('budget.monthlyDollars', (await spentThisMonth()) + estimate / 2, vscode.ConfigurationTarget.Global);
    const before = messages().length;
    const refused = await ask('Budget?');
    assert.equal(refused?.status, 'failed');
    assert.match(refused.failure?.message ?? '', /^This question could cost up to \$[\d.]+, which would take this month's spend of \$[\d.]+ past your monthly budget of \$[\d.]+\.$/);
    assert.deepEqual(refused.failure?.actions, ['sendAnyway', 'raiseBudget']);
    assert.equal(messages().length, before, 'nothing was sent');
    const failedTurn = (await turns()).at(-1);
    assert.equal(failedTurn?.status, 'failed');

    // Send Anyway, the turn's button: the same question goes out as a new turn.
    assert.ok(failedTurn);
    await vscode.commands.executeCommand('_lingualeap.panel.action', failedTurn.id, 'sendAnyway');
    assert.equal(messages().length, before + 1, 'sent anyway');
    const last = (await turns()).at(-1);
    assert.equal(last?.status, 'completed');
    assert.ok(last?.receipt);
    assert.deepEqual(await spending(), [], 'Send Anyway is not asked again');
  });
});
