// Which analyses the editor hears about: one over the time budget (the status bar shows it), and the next
// analysis of that document within budget (the status bar clears). Pure: the server feeds it durations.
export type BudgetEvent = { kind: 'over' | 'within'; uri: string; milliseconds: number };

export class BudgetWatch {
  private readonly over = new Set<string>();

  constructor(readonly budgetMs: number) {}

  /** The event to send after analysing `uri` in `milliseconds`, if any. */
  observe(uri: string, milliseconds: number): BudgetEvent | null {
    const rounded = Math.round(milliseconds);
    if (milliseconds > this.budgetMs) {
      this.over.add(uri);
      return { kind: 'over', uri, milliseconds: rounded };
    }
    return this.over.delete(uri) ? { kind: 'within', uri, milliseconds: rounded } : null;
  }

  /** A closed document: nothing to clear later. */
  forget(uri: string): boolean {
    return this.over.delete(uri);
  }
}
