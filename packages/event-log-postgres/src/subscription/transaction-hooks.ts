/**
 * What handlers asked to run around one subscription transaction: `beforeCommit` callbacks inside it
 * (after the last handler, before the checkpoint and the commit), `afterCommit` ones once it committed.
 * A new instance per transaction, so a rolled-back transaction's callbacks are dropped with it.
 */
export class TransactionHooks {
  readonly beforeCommit: Array<() => Promise<void>> = [];
  readonly afterCommit: Array<() => void> = [];

  /** Runs the before-commit callbacks in order, including any a callback adds; the first to throw stops them. */
  async runBeforeCommit(): Promise<void> {
    for (let i = 0; i < this.beforeCommit.length; i++) await (this.beforeCommit[i] as () => Promise<void>)();
  }
}
