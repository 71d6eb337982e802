import { DubstageError } from "@dubstage/event-log";

/**
 * A Compound File that is not one, is damaged, or declares more than the file holds. `where` names the place:
 * a byte offset, a sector number, a directory entry id or a stream path.
 */
export class CompoundFileError extends DubstageError {
  override readonly name = "CompoundFileError";
  readonly kind = "validation" as const;
  readonly where: string;
  constructor(problem: string, where: string) {
    super(`${problem} (at ${where})`);
    this.where = where;
  }
}
