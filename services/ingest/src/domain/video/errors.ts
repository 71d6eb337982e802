import { DubstageError } from "@dubstage/event-log";

/**
 * ffprobe's JSON was not what `-print_format json -show_format -show_streams` prints: not JSON, a required
 * field missing, or a value of the wrong shape. `field` is the path into the document, e.g. `streams[1].width`.
 */
export class ProbeOutputError extends DubstageError {
  override readonly name = "ProbeOutputError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super(`ffprobe output, ${field}: ${problem}`, options);
    this.field = field;
  }
}
