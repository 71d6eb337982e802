import { errors, jwtVerify, SignJWT } from "jose";
import { UnauthenticatedError } from "./errors.ts";
import type { SigningKey, VerificationKey } from "./keys.ts";
import { type Actor, isRole, ROLES, type Role } from "./roles.ts";

export interface MintTokenOptions {
  readonly userId: string;
  readonly role: Role;
  /** `iss` claim: who minted it, e.g. "dubstage" or the embedded instance's name. */
  readonly issuer: string;
  /** `aud` claim: which deployment accepts it. */
  readonly audience: string;
  /** Lifetime in seconds. @default 28800 (8 hours) */
  readonly ttlSeconds?: number;
  /** For tests. @default Date.now() */
  readonly now?: Date;
}

export interface VerifyTokenOptions {
  readonly key: VerificationKey;
  readonly issuer: string;
  readonly audience: string;
  /** Accepted clock skew in seconds. @default 30 */
  readonly clockToleranceSeconds?: number;
  /** For tests. @default Date.now() */
  readonly now?: Date;
}

/** The identity a verified token proves, and until when. */
export interface VerifiedToken extends Actor {
  readonly expiresAt: Date;
}

/** A signed JWT with claims sub, role, iss, aud, iat, exp. */
export async function mintToken(signingKey: SigningKey, options: MintTokenOptions): Promise<string> {
  if (!options.userId) throw new TypeError("mintToken: userId must not be empty");
  if (!isRole(options.role)) throw new TypeError(`mintToken: role must be one of ${ROLES.join(", ")}, got ${JSON.stringify(options.role)}`);
  const ttl = options.ttlSeconds ?? 8 * 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new TypeError(`mintToken: ttlSeconds must be a positive integer, got ${ttl}`);
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: options.role })
    .setProtectedHeader({ alg: signingKey.alg, typ: "JWT" })
    .setSubject(options.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(signingKey.key);
}

/**
 * Verifies signature (only the key's own algorithm is accepted, so an HS256 token can never pass as EdDSA),
 * issuer, audience and expiry, and returns the actor. Every failure is an {@link UnauthenticatedError}.
 */
export async function verifyToken(token: string | undefined, options: VerifyTokenOptions): Promise<VerifiedToken> {
  if (!token) throw new UnauthenticatedError("missing", "no bearer token presented");
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, options.key.key, {
      algorithms: [options.key.alg],
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ["sub", "exp"],
      ...(options.now ? { currentDate: options.now } : {}),
    }));
  } catch (error) {
    throw toUnauthenticated(error);
  }
  if (!isRole(payload.role)) throw new UnauthenticatedError("invalid-claims", `token role claim must be one of ${ROLES.join(", ")}`);
  return { userId: payload.sub!, role: payload.role, expiresAt: new Date(payload.exp! * 1000) };
}

/** Holds the key and expected claims once, for servers: `verifier.verify(token)`. */
export interface TokenVerifier {
  verify(token: string | undefined): Promise<VerifiedToken>;
}

export function createTokenVerifier(options: VerifyTokenOptions): TokenVerifier {
  return { verify: (token) => verifyToken(token, options) };
}

function toUnauthenticated(error: unknown): UnauthenticatedError {
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError("expired", "token has expired", { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthenticatedError("bad-signature", "token signature is not valid for this deployment's key", { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return new UnauthenticatedError("wrong-audience", "token is for another audience", { cause: error });
    if (error.claim === "iss") return new UnauthenticatedError("wrong-issuer", "token is from an unexpected issuer", { cause: error });
    if (error.claim === "nbf" || error.claim === "iat")
      return new UnauthenticatedError("not-yet-valid", "token is not valid yet", { cause: error });
    return new UnauthenticatedError("invalid-claims", `token claim ${error.claim} is invalid`, { cause: error });
  }
  return new UnauthenticatedError("malformed", "token is not a well-formed JWT", { cause: error });
}
