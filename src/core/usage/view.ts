/**
 * What the usage view shows, computed from the ledger. Pure: no `vscode`.
 */
import type { UsageViewData } from '../../shared/usageView';
import type { UsageLedger } from './ledger';

/** The view's data at `now`: 30 days of spend by model, totals, cache savings, the month so far. */
export function usageViewData(ledger: UsageLedger, now: number, budget?: number): UsageViewData {
  const oldest = ledger.rows[0];
  return {
    requests: ledger.rows.length,
    ...(oldest ? { since: oldest.at } : {}),
    monthToDate: ledger.monthToDate(now),
    monthLabel: new Date(now).toLocaleDateString('en-US', { month: 'long', year: 'numeric' }),
    ...(budget !== undefined && Number.isFinite(budget) && budget > 0 ? { budget } : {}),
    daily: ledger.dailySpend(now, 30),
    byAgent: ledger.totalsBy('agent'),
    byModel: ledger.totalsBy('model'),
    savings: ledger.cacheSavings(),
  };
}
