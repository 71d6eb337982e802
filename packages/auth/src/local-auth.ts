import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exportKeyPairPem, generateKeyPair, importSigningKey, importVerificationKey, type KeyPair } from "./keys.ts";
import { assertOwnerOnly, restrictDirectory, writeOwnerOnly } from "./private-files.ts";
import { mintToken } from "./tokens.ts";

export const LOCAL_ISSUER = "dubstage-local";
export const LOCAL_AUDIENCE = "dubstage";
export const LOCAL_ADMIN_USER_ID = "local-admin";

export interface LocalAuthOptions {
  /** The embedded instance's data directory; keys and the admin token go to `<dataDir>/auth/`. */
  readonly dataDir: string;
  /** @default "dubstage-local" */
  readonly issuer?: string;
  /** @default "dubstage" */
  readonly audience?: string;
  /** Admin token lifetime in seconds. @default 2592000 (30 days) */
  readonly adminTtlSeconds?: number;
  /** Receives the human-readable instructions. @default writes to stderr */
  readonly print?: (line: string) => void;
}

export interface LocalAuth {
  readonly keyPair: KeyPair;
  readonly issuer: string;
  readonly audience: string;
  readonly adminToken: string;
  readonly files: { readonly signingKey: string; readonly verificationKey: string; readonly adminToken: string };
}

/**
 * For the embedded (single-machine) mode: loads the Ed25519 key pair from `<dataDir>/auth/`, creating it on
 * first start (private key mode 0600), mints a fresh `admin` token into `admin.token` and prints where it is
 * and how to mint tokens for other roles. An existing private key that group or others can access is refused
 * (InsecureFileError naming the file, its mode and the chmod fix); the token file and the directory, which
 * this function writes, are narrowed to 0600 and 0700.
 */
export async function ensureLocalAuth(options: LocalAuthOptions): Promise<LocalAuth> {
  const dir = join(options.dataDir, "auth");
  const files = {
    signingKey: join(dir, "signing-key.pem"),
    verificationKey: join(dir, "verification-key.pem"),
    adminToken: join(dir, "admin.token"),
  };
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_AUDIENCE;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await restrictDirectory(dir);

  const keyPair = (await loadPair(files)) ?? (await createPair(files));
  const adminToken = await mintToken(keyPair.signingKey, {
    userId: LOCAL_ADMIN_USER_ID,
    role: "admin",
    issuer,
    audience,
    ttlSeconds: options.adminTtlSeconds ?? 30 * 24 * 3600,
  });
  await writeOwnerOnly(files.adminToken, `${adminToken}\n`);

  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  print(`[auth] local admin token written to ${files.adminToken} (send it as "authorization: Bearer <token>")`);
  print(`[auth] services verify tokens with ${files.verificationKey} (issuer ${issuer}, audience ${audience})`);
  print(
    `[auth] mint a token for another person: dubstage token mint --data-dir ${options.dataDir} --subject <id> --role <role> [--ttl 8h] --out <file>`,
  );
  return { keyPair, issuer, audience, adminToken, files };
}

async function loadPair(files: { signingKey: string; verificationKey: string }): Promise<KeyPair | undefined> {
  let privatePem: string;
  try {
    privatePem = await readFile(files.signingKey, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // A private key others could read may have been copied: refuse it rather than fix it silently.
  await assertOwnerOnly(files.signingKey, "token signing key");
  const publicPem = await readFile(files.verificationKey, "utf8");
  return {
    signingKey: await importSigningKey(privatePem, files.signingKey),
    verificationKey: await importVerificationKey(publicPem, files.verificationKey),
  };
}

async function createPair(files: { signingKey: string; verificationKey: string }): Promise<KeyPair> {
  const pair = await generateKeyPair();
  const { privateKeyPem, publicKeyPem } = await exportKeyPairPem(pair);
  // Public key first: a crash in between leaves no orphan private key that loadPair would pair with nothing.
  await writeFile(files.verificationKey, publicKeyPem, { mode: 0o644 });
  await writeFile(files.signingKey, privateKeyPem, { mode: 0o600, flag: "wx" });
  return pair;
}
