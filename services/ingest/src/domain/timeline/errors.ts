import { DubstageError } from "@dubstage/event-log";

/**
 * The plan's caller passed something no file can cause: an unknown session frame rate, a sample rate that is
 * not a positive integer, an empty job id, an id factory returning an empty id. `field` names the input.
 * What a real file may contain (odd rates, missing media, overlaps) never throws: it is skipped and reported.
 */
export class IngestPlanInputError extends DubstageError {
  override readonly name = "IngestPlanInputError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`ingest plan input, ${field}: ${problem}`);
    this.field = field;
  }
}
