import { type TokenVerifier, UnauthenticatedError, type VerifiedToken } from "@dubstage/auth";
import type { Metadata } from "@grpc/grpc-js";

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

/** Reads `authorization: Bearer <token>` from call metadata and verifies it; the result says until when it holds. */
export async function authenticateMetadata(metadata: Metadata, verifier: TokenVerifier): Promise<VerifiedToken> {
  const values = metadata.get("authorization");
  if (values.length === 0) return verifier.verify(undefined);
  if (values.length > 1) throw new UnauthenticatedError("malformed", "more than one authorization header");
  const header = values[0];
  const match = typeof header === "string" ? BEARER.exec(header) : null;
  if (!match) throw new UnauthenticatedError("malformed", 'authorization metadata must be "Bearer <token>"');
  const { userId, role, expiresAt } = await verifier.verify(match[1]);
  return { userId, role, expiresAt };
}
