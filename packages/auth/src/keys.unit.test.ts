import { describe, expect, it } from "vitest";
import { InvalidKeyError } from "./errors.ts";
import {
  exportKeyPairPem,
  exportVerificationJwk,
  generateKeyPair,
  importSigningKey,
  importVerificationKey,
  signingKeyFromEnv,
  verificationKeyFromEnv,
} from "./keys.ts";
import { mintToken, verifyToken } from "./tokens.ts";

const claims = { issuer: "i", audience: "a" };

describe("key import and export", () => {
  it("PEM round trip: a token minted with the re-imported private key verifies with the re-imported public key", async () => {
    const { privateKeyPem, publicKeyPem } = await exportKeyPairPem(await generateKeyPair());
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const env = { DUBSTAGE_AUTH_PRIVATE_KEY: privateKeyPem, DUBSTAGE_AUTH_PUBLIC_KEY: publicKeyPem };
    const token = await mintToken(await signingKeyFromEnv(env), { userId: "u", role: "admin", ...claims });
    await expect(verifyToken(token, { key: await verificationKeyFromEnv(env), ...claims })).resolves.toMatchObject({ role: "admin" });
  });

  it("accepts the public key as a JWK", async () => {
    const pair = await generateKeyPair();
    const jwk = await exportVerificationJwk(pair.verificationKey);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwk).not.toHaveProperty("d");
    const token = await mintToken(pair.signingKey, { userId: "u", role: "integration", ...claims });
    const key = await importVerificationKey(JSON.stringify(jwk));
    await expect(verifyToken(token, { key, ...claims })).resolves.toMatchObject({ userId: "u" });
  });

  it("names the variable when it is missing or unusable", async () => {
    await expect(verificationKeyFromEnv({})).rejects.toThrow(/DUBSTAGE_AUTH_PUBLIC_KEY: is not set/);
    await expect(signingKeyFromEnv({ KEY: "hello" }, "KEY")).rejects.toThrow(/KEY: must be a PEM block or a JWK JSON object/);
    await expect(importVerificationKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "PUB")).rejects.toThrow(
      InvalidKeyError,
    );
    await expect(importVerificationKey("{not json", "PUB")).rejects.toThrow(/PUB: is not valid JWK JSON/);
    await expect(importSigningKey(JSON.stringify({ kty: "oct", k: "c2hvcnQ" }), "S")).rejects.toThrow(/at least 32 bytes/);
  });

  it("refuses a private key where a public one belongs, and vice versa", async () => {
    const { privateKeyPem, publicKeyPem } = await exportKeyPairPem(await generateKeyPair());
    await expect(importVerificationKey(privateKeyPem, "PUB")).rejects.toThrow(/PUB: is a private key/);
    await expect(importSigningKey(publicKeyPem, "PRIV")).rejects.toThrow(/PRIV: is a public key/);
  });
});
