import {
  type CryptoKey,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
  generateKeyPair as joseGenerateKeyPair,
} from "jose";
import { InvalidKeyError } from "./errors.ts";

/**
 * Signing algorithms. EdDSA (Ed25519) is the default: services hold only the public key and cannot mint.
 * HS256 exists for single-process setups where one shared secret is acceptable.
 */
export type TokenAlgorithm = "EdDSA" | "HS256";

/** A key that can mint tokens: an Ed25519 private key or an HS256 shared secret. */
export interface SigningKey {
  readonly alg: TokenAlgorithm;
  readonly key: CryptoKey | Uint8Array;
}

/** A key that can verify tokens: an Ed25519 public key or the same HS256 secret. */
export interface VerificationKey {
  readonly alg: TokenAlgorithm;
  readonly key: CryptoKey | Uint8Array;
}

export interface KeyPair {
  readonly signingKey: SigningKey;
  readonly verificationKey: VerificationKey;
}

/** A fresh Ed25519 key pair; the private key is extractable so it can be written to disk or a secret store. */
export async function generateKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await joseGenerateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return { signingKey: { alg: "EdDSA", key: privateKey }, verificationKey: { alg: "EdDSA", key: publicKey } };
}

/** PEM texts of an Ed25519 pair: PKCS#8 private key and SPKI public key. */
export async function exportKeyPairPem(pair: KeyPair): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  if (pair.signingKey.alg !== "EdDSA" || pair.signingKey.key instanceof Uint8Array || pair.verificationKey.key instanceof Uint8Array) {
    throw new InvalidKeyError("key pair", "only Ed25519 key pairs have a PEM form");
  }
  return { privateKeyPem: await exportPKCS8(pair.signingKey.key), publicKeyPem: await exportSPKI(pair.verificationKey.key) };
}

/** The public key as a JWK, e.g. to publish or to put in an env variable. */
export async function exportVerificationJwk(key: VerificationKey): Promise<JWK> {
  if (key.key instanceof Uint8Array) throw new InvalidKeyError("verification key", "an HS256 secret must not be published");
  return exportJWK(key.key);
}

/**
 * Parses a signing key from text: a PKCS#8 PEM (Ed25519), an OKP/Ed25519 private JWK, or an `oct` JWK
 * (HS256 secret, at least 32 bytes). `source` names where it came from (an env variable) for error messages.
 */
export async function importSigningKey(text: string, source = "signing key"): Promise<SigningKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN PUBLIC KEY")) throw new InvalidKeyError(source, "is a public key; minting needs the private key");
  if (trimmed.startsWith("-----BEGIN")) {
    return {
      alg: "EdDSA",
      key: await guard(source, "not an Ed25519 PKCS#8 private key PEM", () => importPKCS8(trimmed, "EdDSA", { extractable: true })),
    };
  }
  const jwk = parseJwk(trimmed, source);
  if (jwk.kty === "oct") return { alg: "HS256", key: secretOf(jwk, source) };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d)
    throw new InvalidKeyError(source, "JWK must be an Ed25519 private key (kty OKP, crv Ed25519, d) or an oct secret");
  return {
    alg: "EdDSA",
    key: (await guard(source, "invalid Ed25519 JWK", () => importJWK(jwk, "EdDSA", { extractable: true }))) as CryptoKey,
  };
}

/** Parses a verification key: an SPKI PEM (Ed25519), an OKP/Ed25519 public JWK, or an `oct` JWK (HS256). */
export async function importVerificationKey(text: string, source = "verification key"): Promise<VerificationKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN PRIVATE KEY"))
    throw new InvalidKeyError(source, "is a private key; services verify with the public key only");
  if (trimmed.startsWith("-----BEGIN")) {
    return { alg: "EdDSA", key: await guard(source, "not an Ed25519 SPKI public key PEM", () => importSPKI(trimmed, "EdDSA")) };
  }
  const jwk = parseJwk(trimmed, source);
  if (jwk.kty === "oct") return { alg: "HS256", key: secretOf(jwk, source) };
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519")
    throw new InvalidKeyError(source, "JWK must be an Ed25519 public key (kty OKP, crv Ed25519) or an oct secret");
  const { d: _private, ...publicOnly } = jwk;
  return { alg: "EdDSA", key: (await guard(source, "invalid Ed25519 JWK", () => importJWK(publicOnly, "EdDSA"))) as CryptoKey };
}

/** Reads a verification key from an env map (PEM or JWK text). Default variable: DUBSTAGE_AUTH_PUBLIC_KEY. */
export function verificationKeyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name = "DUBSTAGE_AUTH_PUBLIC_KEY",
): Promise<VerificationKey> {
  const text = env[name];
  if (!text) return Promise.reject(new InvalidKeyError(name, "is not set (PEM or JWK of the token verification key)"));
  return importVerificationKey(text, name);
}

/** Reads a signing key from an env map (PEM or JWK text). Default variable: DUBSTAGE_AUTH_PRIVATE_KEY. */
export function signingKeyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name = "DUBSTAGE_AUTH_PRIVATE_KEY",
): Promise<SigningKey> {
  const text = env[name];
  if (!text) return Promise.reject(new InvalidKeyError(name, "is not set (PEM or JWK of the token signing key)"));
  return importSigningKey(text, name);
}

function parseJwk(text: string, source: string): JWK {
  if (!text.startsWith("{")) throw new InvalidKeyError(source, "must be a PEM block or a JWK JSON object");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as JWK;
  } catch (cause) {
    throw new InvalidKeyError(source, "is not valid JWK JSON", { cause });
  }
}

function secretOf(jwk: JWK, source: string): Uint8Array {
  if (typeof jwk.k !== "string") throw new InvalidKeyError(source, "oct JWK lacks k");
  const secret = Buffer.from(jwk.k, "base64url");
  if (secret.length < 32) throw new InvalidKeyError(source, `HS256 secret must be at least 32 bytes, got ${secret.length}`);
  return new Uint8Array(secret);
}

async function guard<T>(source: string, problem: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new InvalidKeyError(source, problem, { cause });
  }
}
