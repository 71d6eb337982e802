import { DubstageError } from "@dubstage/event-log";

/** The bytes are not a well-formed OMF/Bento file. The message names the problem and where. */
export class OmfFormatError extends DubstageError {
  override readonly name: string = "OmfFormatError";
  readonly kind = "validation" as const;
  /** Byte offset, object id or property the problem was found at, e.g. `object 0x10171 OMFI:MOBJ:Slots`. */
  readonly where: string;
  constructor(message: string, where: string) {
    super(`${message} (at ${where})`);
    this.where = where;
  }
}

/** The bytes are some other kind of file (or nothing recognisable): raised before any OMF parsing. */
export class NotOmfError extends OmfFormatError {
  override readonly name = "NotOmfError";
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
