import { DubstageError } from "@dubstage/event-log";

/** Malformed AAF object data: the message names the storage path (and property) and the byte offset in its stream. */
export class AafFormatError extends DubstageError {
  override readonly name = "AafFormatError";
  readonly kind = "validation" as const;
  /** Storage path of the object or stream, e.g. "/Header-2/Content-3b03/properties". */
  readonly path: string;
  /** Byte offset inside that stream, when the problem is at a known place. */
  readonly offset: number | undefined;
  constructor(message: string, path: string, offset?: number) {
    super(`${path}${offset === undefined ? "" : ` at byte ${offset}`}: ${message}`);
    this.path = path;
    this.offset = offset;
  }
}
