// Warnings of one plan, grouped by kind so a reel of 50,000 clips gives a few lines, not 50,000: each kind
// keeps its first example and a count ("... (and 41 more like it)").

export class PlanWarnings {
  readonly #byKind = new Map<string, { first: string; more: number }>();

  add(kind: string, message: string): void {
    const entry = this.#byKind.get(kind);
    if (entry === undefined) this.#byKind.set(kind, { first: message, more: 0 });
    else entry.more++;
  }

  list(): string[] {
    return [...this.#byKind.values()].map(({ first, more }) => (more === 0 ? first : `${first} (and ${more} more like it)`));
  }
}
