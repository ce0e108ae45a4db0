/**
 * Counts as the UI shows them in a step's summary, in the display language. The model's text
 * stays English (see `plural` in `text.ts`); these are for people only. Pure.
 */
import * as l10n from '@vscode/l10n';

/** A count as the summaries write it: `12,345`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 file", "14 files"; "more than 5,000 files" when the search stopped counting. */
export function fileCount(n: number, moreThan = false): string {
  if (moreThan) {
    return n === 1 ? l10n.t('more than 1 file') : l10n.t('more than {0} files', count(n));
  }
  return n === 1 ? l10n.t('1 file') : l10n.t('{0} files', count(n));
}

/** "3 matching lines in 2 files". */
export function matchingLinesInFiles(lines: number, files: number): string {
  if (lines === 1) {
    return files === 1 ? l10n.t('1 matching line in 1 file') : l10n.t('1 matching line in {0} files', count(files));
  }
  return files === 1 ? l10n.t('{0} matching lines in 1 file', count(lines)) : l10n.t('{0} matching lines in {1} files', count(lines), count(files));
}
