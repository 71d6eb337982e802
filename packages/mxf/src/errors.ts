import { DubstageError } from "@dubstage/event-log";

/** The bytes are not a well-formed MXF file, or not one this reader can take. The message says where. */
export class MxfFormatError extends DubstageError {
  override readonly name: string = "MxfFormatError";
  readonly kind = "validation" as const;
  /** Where the problem was found, e.g. `byte 5632` or `byte 4574 (WaveAudioDescriptor)`. */
  readonly where: string;
  constructor(message: string, where: string) {
    super(`${message} (at ${where})`);
    this.where = where;
  }
}

/** The bytes are some other kind of file: raised before any MXF parsing. */
export class NotMxfError extends MxfFormatError {
  override readonly name = "NotMxfError";
}

/** `byte 1234`: the form every offset takes in an error's `where`. */
export function at(offset: number): string {
  return `byte ${offset}`;
}
