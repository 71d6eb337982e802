import { DubstageError } from "@dubstage/event-log";

/** The call's deadline passed; the handler's signal aborts with this reason. */
export class DeadlineExceededError extends DubstageError {
  override readonly name = "DeadlineExceededError";
  readonly kind = "deadline" as const;
  readonly method: string;
  constructor(method: string) {
    super(`${method}: deadline exceeded`);
    this.method = method;
  }
}

/** The client cancelled the call (or went away); the handler's signal aborts with this reason. */
export class CallCancelledError extends DubstageError {
  override readonly name = "CallCancelledError";
  readonly kind = "cancelled" as const;
  readonly method: string;
  constructor(method: string) {
    super(`${method}: cancelled by the client`);
    this.method = method;
  }
}

/** The server is shutting down: new calls are refused and endless streams end with this (UNAVAILABLE). */
export class ServerShuttingDownError extends DubstageError {
  override readonly name = "ServerShuttingDownError";
  readonly kind = "dependency-unavailable" as const;
  constructor() {
    super("server is shutting down; retry against another instance");
  }
}
