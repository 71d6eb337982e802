import { DubstageError } from "@dubstage/event-log";

/** The command line itself is wrong (unknown command or flag, missing argument). Exit code 2. */
export class UsageError extends DubstageError {
  override readonly name = "UsageError";
  readonly kind = "validation" as const;
  /** The help command to suggest, e.g. "dubstage doctor --help". */
  readonly helpHint: string;
  constructor(message: string, helpHint: string) {
    super(message);
    this.helpHint = helpHint;
  }
}

/** A command was declared wrongly (duplicate path, clashing flags). A programming error, found at startup. */
export class CommandDefinitionError extends Error {
  override readonly name = "CommandDefinitionError";
}
