import { DubstageError } from "@dubstage/event-log";

/** Why a token was refused; `missing` means no credentials were presented at all. */
export type UnauthenticatedReason =
  | "missing"
  | "malformed"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-audience"
  | "wrong-issuer"
  | "invalid-claims";

/** The caller could not be identified. Maps to UNAUTHENTICATED; the message never contains the token. */
export class UnauthenticatedError extends DubstageError {
  override readonly name = "UnauthenticatedError";
  readonly kind = "unauthenticated" as const;
  readonly reason: UnauthenticatedReason;
  constructor(reason: UnauthenticatedReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** The caller is known but its role may not perform the action. Maps to PERMISSION_DENIED. */
export class ForbiddenError extends DubstageError {
  override readonly name = "ForbiddenError";
  readonly kind = "forbidden" as const;
  readonly role: string;
  readonly action: string;
  readonly trackType: string | undefined;
  constructor(role: string, action: string, trackType: string | undefined, why: string) {
    super(`role ${role} may not ${action}${trackType ? ` on ${trackType} tracks` : ""}: ${why}`);
    this.role = role;
    this.action = action;
    this.trackType = trackType;
  }
}

/** Key material that cannot be used (bad PEM/JWK, wrong key type). A configuration mistake. */
export class InvalidKeyError extends DubstageError {
  override readonly name = "InvalidKeyError";
  readonly kind = "validation" as const;
  readonly source: string;
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.source = source;
  }
}
