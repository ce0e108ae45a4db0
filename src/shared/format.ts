/**
 * How numbers read to a person, the same in the panel, the Chat view, the log and exports.
 * Shared by the extension host and the webview: no DOM, no Node; words through `@vscode/l10n`,
 * which each side hands its display language's bundle.
 */
import * as l10n from '@vscode/l10n';

/**
 * Dollars for people: four decimals under a cent (`$0.0042`), else two (`$1.25`); a cost too
 * small for four decimals is `<$0.0001`, not a `$0.0000` that reads as free; "price unknown" for
 * undefined (a model missing from the price table), never `$0`.
 */
export function formatCost(cost: number | undefined): string {
  if (cost === undefined || !Number.isFinite(cost)) {
    return l10n.t('price unknown');
  }
  if (cost === 0) {
    return '$0.00';
  }
  if (cost > 0 && cost < 0.00005) {
    return '<$0.0001';
  }
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
