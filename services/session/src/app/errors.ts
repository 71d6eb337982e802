import { DubstageError } from "@dubstage/event-log";

/** A request field that is malformed before any domain rule applies (paging, versions, ids). */
export class InvalidRequestError extends DubstageError {
  override readonly name = "InvalidRequestError";
  readonly kind = "validation" as const;
  /** Request field at fault, e.g. "pageSize" or "commands[2]". */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** One command of a batch touches track types the caller's role may not edit. Nothing was appended. */
export class CommandForbiddenError extends DubstageError {
  override readonly name = "CommandForbiddenError";
  readonly kind = "forbidden" as const;
  readonly field: string;
  readonly commandIndex: number;
  readonly commandType: string;
  readonly role: string;
  readonly trackType: string | undefined;
  constructor(commandIndex: number, commandType: string, refusal: { role: string; trackType: string | undefined; message: string }) {
    super(`command ${commandIndex} (${commandType}): ${refusal.message}`);
    this.field = `commands[${commandIndex}]`;
    this.commandIndex = commandIndex;
    this.commandType = commandType;
    this.role = refusal.role;
    this.trackType = refusal.trackType;
  }
}

/** The session exists but has not reached the requested version. */
export class SessionVersionNotFoundError extends DubstageError {
  override readonly name = "SessionVersionNotFoundError";
  readonly kind = "not-found" as const;
  readonly field = "version";
  readonly sessionId: string;
  readonly version: number;
  readonly currentVersion: number;
  constructor(sessionId: string, version: number, currentVersion: number) {
    super(`session "${sessionId}" has no version ${version}; it is at version ${currentVersion}`);
    this.sessionId = sessionId;
    this.version = version;
    this.currentVersion = currentVersion;
  }
}
