import { CompoundFileError } from "./errors.ts";
import { END_OF_CHAIN } from "./header.ts";

/**
 * A sector chain as runs of consecutive sectors: run `i` covers chain positions `first[i]..first[i+1]-1`,
 * which are sectors `start[i]`, `start[i]+1`, ... Finding the run of a position is a binary search.
 */
export interface RunList {
  readonly start: Uint32Array;
  /** Chain position where each run begins; one more element than runs, the last is the chain length. */
  readonly first: Float64Array;
}

export const EMPTY_RUNS: RunList = { start: new Uint32Array(0), first: new Float64Array(1) };

export function chainLength(runs: RunList): number {
  return runs.first[runs.first.length - 1] ?? 0;
}

/** Index of the run that holds chain position `position` (< chainLength). */
export function findRun(runs: RunList, position: number): number {
  let low = 0;
  let high = runs.start.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((runs.first[mid] as number) <= position) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A chain's name is built only when an error is raised: most chains are fine and the name costs more than the walk. */
function nameOf(where: string | (() => string)): string {
  return typeof where === "string" ? where : where();
}

/**
 * Follows a chain through an allocation table (FAT or MiniFAT). Every step is checked: the sector must exist
 * (below `unitCount` and covered by the table) and must not repeat (`marks` with a fresh `generation` per walk),
 * so a walk ends after at most `unitCount` steps. With `needed` a number, exactly that many sectors are taken
 * and an earlier end is an error; with "to-end" the chain is followed to its end-of-chain marker.
 */
export function walkChain(
  table: Uint32Array,
  unitCount: number,
  marks: Uint32Array,
  generation: number,
  startSector: number,
  needed: number | "to-end",
  where: string | (() => string),
  unitName: string,
): RunList {
  if (needed === 0) return EMPTY_RUNS;
  const starts: number[] = [];
  const firsts: number[] = [];
  const limit = Math.min(unitCount, table.length);
  let sector = startSector;
  let count = 0;
  let previous = -2;
  for (;;) {
    if (sector === END_OF_CHAIN) {
      if (needed === "to-end") break;
      throw new CompoundFileError(
        `${nameOf(where)}: the chain ends after ${count} ${unitName}s, its size needs ${needed}`,
        count === 0 ? `start ${unitName} ${startSector}` : `${unitName} ${previous}`,
      );
    }
    if (sector >= limit) {
      const kind = sector >= 0xfffffffa ? `special value 0x${sector.toString(16)}` : `${unitName} ${sector}, past the last (${limit - 1})`;
      throw new CompoundFileError(
        `${nameOf(where)}: chain position ${count} is ${kind}`,
        count === 0 ? `start ${unitName}` : `${unitName} ${previous}`,
      );
    }
    if (marks[sector] === generation) {
      throw new CompoundFileError(`${nameOf(where)}: the chain loops back to ${unitName} ${sector}`, `${unitName} ${previous}`);
    }
    marks[sector] = generation;
    if (sector !== previous + 1) {
      starts.push(sector);
      firsts.push(count);
    }
    count++;
    previous = sector;
    if (count === needed) break;
    sector = table[sector] as number;
  }
  firsts.push(count);
  return { start: Uint32Array.from(starts), first: Float64Array.from(firsts) };
}
