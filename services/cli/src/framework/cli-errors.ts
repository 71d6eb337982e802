import { DubstageError } from "@dubstage/event-log";

/**
 * The machine or its setup cannot serve the command: a data directory that is missing or read-only, a
 * file that cannot be read, an invalid environment variable. Exit code 4; the message names the path or
 * variable and what to do.
 */
export class EnvironmentError extends DubstageError {
  override readonly name = "EnvironmentError";
  readonly kind = "illegal-state" as const;
}

/** A server the command needs did not answer (refused, unknown host, timed out). Exit code 3. */
export class ServerUnavailableError extends DubstageError {
  override readonly name = "ServerUnavailableError";
  readonly kind = "dependency-unavailable" as const;
  readonly address: string;
  constructor(message: string, address: string, options?: ErrorOptions) {
    super(message, options);
    this.address = address;
  }
}

/**
 * An input file the command was given is not what it must be (not an AAF, truncated, a bad batch file).
 * Exit code 2 like a wrong command line, but reported in one line naming the file and where, without the
 * usage hint: the command line was right, the file is wrong.
 */
export class InputFileError extends DubstageError {
  override readonly name = "InputFileError";
  readonly kind = "validation" as const;
}
