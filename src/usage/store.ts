/**
 * The usage ledger kept in `globalState`: per machine, across workspaces, not synced (it is
 * never passed to `setKeysForSync`), bounded to `MAX_ROWS` rows, and the budget's warned-month
 * marker beside it. Writes go one after another, so two answers that end together both land.
 */
import * as vscode from 'vscode';
import { decodeRows, encodeRows, MAX_ROWS, UsageLedger, type UsageRow } from '../core/usage/ledger';

/** The stored rows (tuples, see `encodeRows`); a new format gets a new key. */
const ROWS_KEY = 'lingualeap.usage.rows.v1';
const WARNED_MONTH_KEY = 'lingualeap.usage.warnedMonth';

export class UsageStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after rows were recorded (or cleared) by this window. */
  readonly onDidChange = this.changed.event;
  /** The last write; each new one starts after it, whether it succeeded or not. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The ledger decoded from the stored value it came from, so reading twice decodes once. */
  private cached: { readonly stored: unknown; readonly ledger: UsageLedger } | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly max = MAX_ROWS,
  ) {}

  /** Every row kept, oldest first. Malformed stored rows are left out, never thrown. */
  ledger(): UsageLedger {
    // Read each time: another window of the same machine may have recorded since.
    const stored = this.memento.get<unknown>(ROWS_KEY);
    if (this.cached && this.cached.stored === stored && stored !== undefined) {
      return this.cached.ledger;
    }
    const ledger = new UsageLedger(decodeRows(stored).rows, this.max);
    this.cached = { stored, ledger };
    return ledger;
  }

  /** Adds rows (one per request); resolves once they are stored. */
  record(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) {
      return Promise.resolve();
    }
    return this.serialize(async () => {
      const next = this.ledger().with(rows);
      await this.memento.update(ROWS_KEY, encodeRows(next.rows));
      // `globalState` hands back the value it was given: the next read need not decode it again.
      this.cached = { stored: this.memento.get<unknown>(ROWS_KEY), ledger: next };
      this.changed.fire();
    });
  }

  /** Forgets every row. */
  clear(): Promise<void> {
    return this.serialize(async () => {
      await this.memento.update(ROWS_KEY, undefined);
      this.cached = undefined;
      this.changed.fire();
    });
  }

  /** The month (`YYYY-MM`) the budget warning was last shown in. */
  warnedMonth(): string | undefined {
    const value = this.memento.get<unknown>(WARNED_MONTH_KEY);
    return typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? value : undefined;
  }

  setWarnedMonth(month: string | undefined): Promise<void> {
    return this.serialize(() => this.memento.update(WARNED_MONTH_KEY, month));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private serialize(write: () => Thenable<void>): Promise<void> {
    const run = this.queue.then(write);
    // The queue goes on after a failed write; the caller of that write still sees its error.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
