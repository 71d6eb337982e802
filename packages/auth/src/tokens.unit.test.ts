import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { UnauthenticatedError, type UnauthenticatedReason } from "./errors.ts";
import { generateKeyPair, importSigningKey, importVerificationKey, type KeyPair } from "./keys.ts";
import { createTokenVerifier, mintToken, verifyToken } from "./tokens.ts";

const claims = { issuer: "dubstage-test", audience: "stage-a" };
let pair: KeyPair;
let otherPair: KeyPair;
beforeAll(async () => {
  pair = await generateKeyPair();
  otherPair = await generateKeyPair();
});

async function reasonOf(promise: Promise<unknown>): Promise<UnauthenticatedReason> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as UnauthenticatedError).kind).toBe("unauthenticated");
  return (error as UnauthenticatedError).reason;
}

describe("mintToken / verifyToken (EdDSA)", () => {
  it("round-trips sub and role, with exp from the ttl", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const token = await mintToken(pair.signingKey, { userId: "ann", role: "dialogue_editor", ...claims, ttlSeconds: 600, now });
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { alg: string };
    expect(header.alg).toBe("EdDSA");
    const verified = await verifyToken(token, { key: pair.verificationKey, ...claims, now });
    expect(verified).toEqual({ userId: "ann", role: "dialogue_editor", expiresAt: new Date("2026-03-01T10:10:00Z") });
  });

  it("rejects a missing token", async () => {
    expect(await reasonOf(verifyToken(undefined, { key: pair.verificationKey, ...claims }))).toBe("missing");
    expect(await reasonOf(verifyToken("", { key: pair.verificationKey, ...claims }))).toBe("missing");
  });

  it("rejects an expired token (beyond the clock tolerance)", async () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const token = await mintToken(pair.signingKey, { userId: "ann", role: "foley_editor", ...claims, ttlSeconds: 60, now });
    const later = new Date(now.getTime() + 60_000 + 31_000);
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, ...claims, now: later }))).toBe("expired");
    const withinTolerance = new Date(now.getTime() + 60_000 + 10_000);
    await expect(verifyToken(token, { key: pair.verificationKey, ...claims, now: withinTolerance })).resolves.toMatchObject({
      userId: "ann",
    });
  });

  it("rejects a token signed by another key", async () => {
    const token = await mintToken(otherPair.signingKey, { userId: "eve", role: "admin", ...claims });
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, ...claims }))).toBe("bad-signature");
  });

  it("rejects a tampered payload", async () => {
    const token = await mintToken(pair.signingKey, { userId: "ann", role: "integration", ...claims });
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: "admin" })).toString("base64url");
    expect(await reasonOf(verifyToken(`${h}.${forged}.${s}`, { key: pair.verificationKey, ...claims }))).toBe("bad-signature");
  });

  it("rejects the wrong audience and the wrong issuer", async () => {
    const token = await mintToken(pair.signingKey, { userId: "ann", role: "dialogue_editor", ...claims });
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, issuer: claims.issuer, audience: "stage-b" }))).toBe(
      "wrong-audience",
    );
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, issuer: "elsewhere", audience: claims.audience }))).toBe(
      "wrong-issuer",
    );
  });

  it("rejects garbage and a token with an unknown role", async () => {
    expect(await reasonOf(verifyToken("not.a.jwt", { key: pair.verificationKey, ...claims }))).toBe("malformed");
    const token = await new SignJWT({ role: "director" })
      .setProtectedHeader({ alg: "EdDSA" })
      .setSubject("x")
      .setIssuer(claims.issuer)
      .setAudience(claims.audience)
      .setExpirationTime("1h")
      .sign(pair.signingKey.key);
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, ...claims }))).toBe("invalid-claims");
  });

  it("refuses to mint with an unknown role or empty user", async () => {
    await expect(mintToken(pair.signingKey, { userId: "x", role: "director" as "admin", ...claims })).rejects.toThrow(
      /role must be one of/,
    );
    await expect(mintToken(pair.signingKey, { userId: "", role: "admin", ...claims })).rejects.toThrow(/userId/);
  });
});

describe("HS256 shared secret", () => {
  const jwk = JSON.stringify({ kty: "oct", k: Buffer.alloc(32, 7).toString("base64url") });

  it("mints and verifies with one secret", async () => {
    const signing = await importSigningKey(jwk);
    expect(signing.alg).toBe("HS256");
    const token = await mintToken(signing, { userId: "svc", role: "integration", ...claims });
    const verifier = createTokenVerifier({ key: await importVerificationKey(jwk), ...claims });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "svc", role: "integration" });
  });

  it("never accepts an HS256 token where an EdDSA key is configured (algorithm confusion)", async () => {
    const token = await mintToken(await importSigningKey(jwk), { userId: "svc", role: "admin", ...claims });
    expect(await reasonOf(verifyToken(token, { key: pair.verificationKey, ...claims }))).toBe("bad-signature");
  });
});
