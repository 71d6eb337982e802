import { type Actor, type TokenVerifier, UnauthenticatedError } from "@dubstage/auth";
import type { Metadata } from "@grpc/grpc-js";

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

/** Reads `authorization: Bearer <token>` from call metadata and verifies it. */
export async function authenticateMetadata(metadata: Metadata, verifier: TokenVerifier): Promise<Actor> {
  const values = metadata.get("authorization");
  if (values.length === 0) return verifier.verify(undefined);
  if (values.length > 1) throw new UnauthenticatedError("malformed", "more than one authorization header");
  const header = values[0];
  const match = typeof header === "string" ? BEARER.exec(header) : null;
  if (!match) throw new UnauthenticatedError("malformed", 'authorization metadata must be "Bearer <token>"');
  const { userId, role } = await verifier.verify(match[1]);
  return { userId, role };
}
