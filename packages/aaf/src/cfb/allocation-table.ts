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
