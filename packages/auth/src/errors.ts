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

/** A file holding a secret (private key, token) is readable or writable by group or others. */
export class InsecureFileError extends DubstageError {
  override readonly name = "InsecureFileError";
  readonly kind = "illegal-state" as const;
  readonly path: string;
  /** Permission bits, e.g. "0644". */
  readonly mode: string;
  constructor(path: string, what: string, mode: number) {
    const octal = `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
    super(`${path} (${what}) has mode ${octal}: group or others can access it; refusing to load it. Fix: chmod 600 ${path}`);
    this.path = path;
    this.mode = octal;
  }
}
