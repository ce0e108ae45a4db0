/**
 * The monthly budget and the "this question may cost…" confirmation: pure decisions the
 * caller acts on (a warning, a refusal with "Raise Budget" / "Send Anyway", a modal). Pure: no
 * `vscode`; months are local calendar months.
 */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../shared/format';
import { monthKey } from './ledger';

/** The share of the budget at which the user is warned, once a month. */
const WARN_AT = 0.8;

export interface BudgetInput {
  /** `lingualeap.monthlyBudgetDollars` or the like; 0 (or less, or not a number): no budget. */
  readonly monthlyDollars: number;
  /** Dollars billed to the key so far this calendar month (`UsageLedger.monthToDate(now)`). */
  readonly spentThisMonth: number;
  /** The question's estimated price (`estimateCost(...).total`); undefined: price unknown, counted as 0. */
  readonly estimate: number | undefined;
  /** The month (`YYYY-MM`) the user was last warned in, as the caller stored it. */
  readonly warnedMonth: string | undefined;
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * What to do with a question: send it (warning first, once a month, past 80 % of the budget),
 * or refuse it when this month's spend with its estimate reaches the budget. The caller may
 * still send a refused question ("Send Anyway"): nothing here stops it.
 */
export type BudgetDecision =
  | {
      readonly action: 'send';
      /** One sentence to show before sending; only when `warn` is true. */
      readonly warning?: string;
      readonly warn: boolean;
      /** What to store as the warned month (unchanged unless `warn`). */
      readonly warnedMonth: string | undefined;
    }
  | {
      readonly action: 'refuse';
      /** One sentence naming the spend and the budget. */
      readonly message: string;
      readonly warnedMonth: string | undefined;
    };

/** Decides whether a question may go out under the monthly budget. */
export function budgetDecision(input: BudgetInput): BudgetDecision {
  const { monthlyDollars: budget, warnedMonth, now } = input;
  if (!Number.isFinite(budget) || budget <= 0) {
    return { action: 'send', warn: false, warnedMonth };
  }
  const spent = Number.isFinite(input.spentThisMonth) ? Math.max(0, input.spentThisMonth) : 0;
  const estimate = input.estimate !== undefined && Number.isFinite(input.estimate) ? Math.max(0, input.estimate) : 0;
  const projected = spent + estimate;
  if (projected >= budget) {
    const message =
      spent >= budget
        ? l10n.t("This month's spend, {0}, has reached your monthly budget of {1}.", formatCost(spent), formatCost(budget))
        : l10n.t(
            "This question could cost up to {0}, which would take this month's spend of {1} past your monthly budget of {2}.",
            formatCost(estimate),
            formatCost(spent),
            formatCost(budget),
          );
    return { action: 'refuse', message, warnedMonth };
  }
  const month = monthKey(now);
  if (projected >= budget * WARN_AT && warnedMonth !== month) {
    const share = Math.floor((projected / budget) * 100);
    return {
      action: 'send',
      warn: true,
      warning:
        estimate > 0
          ? l10n.t("This month's spend with this question is {0}, {1}% of your monthly budget of {2}.", formatCost(projected), share, formatCost(budget))
          : l10n.t("This month's spend is {0}, {1}% of your monthly budget of {2}.", formatCost(projected), share, formatCost(budget)),
      warnedMonth: month,
    };
  }
  return { action: 'send', warn: false, warnedMonth };
}

/**
 * Whether to ask before sending a question estimated at `estimateDollars`
 * (`lingualeap.confirmAboveDollars`, default 0.25; 0 never asks). An unknown estimate never asks:
 * there is no price to show.
 */
export function shouldConfirm(estimateDollars: number | undefined, thresholdDollars: number): boolean {
  if (estimateDollars === undefined || !Number.isFinite(estimateDollars) || !Number.isFinite(thresholdDollars) || thresholdDollars <= 0) {
    return false;
  }
  return estimateDollars > thresholdDollars;
}
