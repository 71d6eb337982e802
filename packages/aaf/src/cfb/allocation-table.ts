import { type RunList, walkChain } from "./run-list.ts";

/** A FAT or MiniFAT with the scratch marks its chain walks use to detect loops without allocating per walk. */
export class AllocationTable {
  readonly #table: Uint32Array;
  readonly #unitCount: number;
  readonly #unitName: string;
  #marks: Uint32Array | undefined;
  #generation = 0;

  constructor(table: Uint32Array, unitCount: number, unitName: string) {
    this.#table = table;
    this.#unitCount = unitCount;
    this.#unitName = unitName;
  }

  get unitCount(): number {
    return this.#unitCount;
  }

  /**
   * True when the chain from `startSector` is exactly `needed` consecutive units, each inside the table: the
   * common layout of a small stream, answered without a walk's allocations. When false, `chain` walks it
   * (and reports what is wrong, if anything).
   */
  isConsecutive(startSector: number, needed: number): boolean {
    const limit = Math.min(this.#unitCount, this.#table.length);
    if (needed < 1 || startSector + needed > limit) return false;
    for (let k = 0; k + 1 < needed; k++) if (this.#table[startSector + k] !== startSector + k + 1) return false;
    return true;
  }

  chain(startSector: number, needed: number | "to-end", what: string | (() => string)): RunList {
    this.#marks ??= new Uint32Array(this.#unitCount);
    if (this.#generation === 0xffffffff) {
      this.#marks.fill(0);
      this.#generation = 0;
    }
    this.#generation++;
    return walkChain(this.#table, this.#unitCount, this.#marks, this.#generation, startSector, needed, what, this.#unitName);
  }
}
