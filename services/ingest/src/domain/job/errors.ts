import { DubstageError } from "@dubstage/event-log";

/** The ingest cannot go on with this file and request (the reason says why and what to change). */
export class IngestRejectedError extends DubstageError {
  override readonly name = "IngestRejectedError";
  readonly kind = "validation" as const;
}

/** No ingest job with this id is known to this service. */
export class IngestJobNotFoundError extends DubstageError {
  override readonly name = "IngestJobNotFoundError";
  readonly kind = "not-found" as const;
  constructor(jobId: string) {
    super(`no ingest job ${jobId}`);
  }
}
