/**
 * What happens before a question billed to the user's key goes out: the monthly budget
 * (`lingualeap.budget.monthlyDollars`: a warning once a month from 80 %, a refusal at 100 % the
 * user may override with "Send Anyway") and the confirmation above
 * `lingualeap.confirmAboveDollars`, a modal dialog with the estimate. The decisions are pure
 * (`src/core/usage/budget.ts`); the dialogs are here.
 */
import * as vscode from 'vscode';
import { COMMANDS, WORKBENCH_COMMANDS } from '../contributes/ids';
import type { SpendCheck, SpendDecision } from '../core/architect/architect';
import { estimateText } from '../core/usage/answer';
import { budgetDecision, shouldConfirm } from '../core/usage/budget';
import type { UsageLedger } from '../core/usage/ledger';
import { formatCost } from '../shared/format';

/** The setting "Raise Budget" opens. */
export const BUDGET_SETTING = 'lingualeap.budget.monthlyDollars';

/** What the gate reads: this machine's usage and the two settings, fresh at each question. */
export interface SpendingDeps {
  /** The usage recorded on this machine (every workspace). */
  ledger(): UsageLedger;
  /** The month (`YYYY-MM`) the 80 % warning was last shown in, and where to keep the new one. */
  warnedMonth(): string | undefined;
  setWarnedMonth(month: string | undefined): Promise<void>;
  settings(): { readonly monthlyDollars: number; readonly confirmAboveDollars: number };
  readonly log: vscode.LogOutputChannel;
  /** The clock (tests). */
  now?(): number;
}

/** What the gate asked or told the user, for the tests (the extension host cannot click a modal). */
export interface SpendPrompt {
  readonly kind: 'confirm' | 'warn';
  readonly message: string;
  readonly detail?: string;
  /** What the confirmation was answered (a warning is not answered). */
  readonly answer?: 'send' | 'cancel';
  /** The question's estimated price in dollars (undefined: unknown). */
  readonly estimate?: number;
}

/**
 * Answers for the confirmation dialog queued by the integration tests, and what the gate asked.
 * Only reachable through a command registered when the extension runs its tests.
 */
export const scriptedSpending = {
  answers: [] as ('send' | 'cancel')[],
  asked: [] as SpendPrompt[],
};

/** How long a "Send Anyway" chosen in the Chat view waits for its question to come back. */
const OVERRIDE_MS = 2 * 60_000;
const overrides = new Map<string, number>();

/**
 * "Send Anyway" under a Chat view answer: the same query, asked again from the chat input,
 * goes out over the budget once. The query is what the button sends to the Chat view.
 */
export function allowOverBudget(query: string, now = Date.now()): void {
  overrides.set(query, now + OVERRIDE_MS);
}

/** Whether `query` was let through with "Send Anyway" (once: it is forgotten here). */
export function takeOverBudget(query: string, now = Date.now()): boolean {
  const until = overrides.get(query);
  overrides.delete(query);
  return until !== undefined && until >= now;
}

/** The check the architect runs before a question billed to the key goes out. */
export function spendingGate(deps: SpendingDeps): (check: SpendCheck) => Promise<SpendDecision> {
  return async (check) => {
    const now = deps.now?.() ?? Date.now();
    const { monthlyDollars, confirmAboveDollars } = deps.settings();
    const total = check.estimate.cost?.total;
    const decision = budgetDecision({
      monthlyDollars,
      spentThisMonth: monthlyDollars > 0 ? deps.ledger().monthToDate(now) : 0,
      estimate: total,
      warnedMonth: deps.warnedMonth(),
      now,
    });
    if (decision.action === 'refuse') {
      if (!check.sendAnyway) {
        return { action: 'refuse', message: decision.message };
      }
      deps.log.info(`Sent over the monthly budget ("Send Anyway"): ${decision.message}`);
    } else if (decision.warn && decision.warning) {
      await deps.setWarnedMonth(decision.warnedMonth).catch((err: unknown) => deps.log.warn(`Could not keep the budget warning's month: ${String(err)}`));
      warn(decision.warning, total, deps.log);
    }
    // "Send Anyway" was already a decision about this question's price.
    if (check.sendAnyway || !shouldConfirm(total, confirmAboveDollars)) {
      return { action: 'send' };
    }
    return (await confirm(check, confirmAboveDollars)) ? { action: 'send' } : { action: 'cancel' };
  };
}

/** The 80 % warning: once a month, not modal, with the ways to act on it. */
function warn(message: string, estimate: number | undefined, log: vscode.LogOutputChannel): void {
  log.warn(message);
  // Kept for the tests' hook; at most a few (one warning a month outside the tests).
  scriptedSpending.asked.push({ kind: 'warn', message, estimate });
  scriptedSpending.asked.splice(0, Math.max(0, scriptedSpending.asked.length - 20));
  const raiseBudget = vscode.l10n.t('Raise Budget');
  const showUsage = vscode.l10n.t('Show Usage');
  void vscode.window.showWarningMessage(message, raiseBudget, showUsage).then((choice) => {
    if (choice === raiseBudget) {
      void vscode.commands.executeCommand(WORKBENCH_COMMANDS.openSettings, BUDGET_SETTING);
    } else if (choice === showUsage) {
      void vscode.commands.executeCommand(COMMANDS.showUsage);
    }
  });
}

/** The modal confirmation with the estimate; Escape (and Stop) is "do not send". */
async function confirm(check: SpendCheck, threshold: number): Promise<boolean> {
  const { line, detail } = estimateText(check.estimate);
  const message = vscode.l10n.t('This question to {0} may cost up to {1}.', check.agent, formatCost(check.estimate.cost?.total));
  const details = [
    line,
    detail,
    '',
    vscode.l10n.t(
      'You are asked above {0} (lingualeap.confirmAboveDollars; 0 never asks). The total assumes the longest answer; most cost less.',
      formatCost(threshold),
    ),
  ].join('\n');
  const scripted = scriptedSpending.answers.shift();
  if (scripted) {
    scriptedSpending.asked.push({ kind: 'confirm', message, detail: details, answer: scripted, estimate: check.estimate.cost?.total });
    return scripted === 'send';
  }
  const stopped = new Promise<undefined>((resolve) => {
    if (check.signal.aborted) {
      resolve(undefined);
    }
    check.signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const send = vscode.l10n.t({ message: 'Send', comment: ['Button: send the question despite its estimated price'] });
  const choice = await Promise.race([vscode.window.showWarningMessage(message, { modal: true, detail: details }, send), stopped]);
  return choice === send && !check.signal.aborted;
}
