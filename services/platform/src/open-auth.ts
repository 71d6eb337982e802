import {
  createTokenVerifier,
  ensureLocalAuth,
  generateKeyPair,
  LOCAL_ADMIN_USER_ID,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  mintToken,
  type Role,
  type TokenVerifier,
} from "@dubstage/auth";

export interface PlatformAuth {
  readonly verifier: TokenVerifier;
  /** A token with role `admin` for `local-admin`. */
  readonly adminToken: string;
  /** Where the admin token was written, unless the keys live in memory. */
  readonly adminTokenFile: string | undefined;
  /** Mints a token for someone else with this platform's key. */
  mintToken(userId: string, role: Role, ttlSeconds?: number): Promise<string>;
}

/**
 * The embedded key pair: from `<dataDir>/auth/` (created on first start; `ensureLocalAuth` prints where the
 * admin token is and how to mint others), or generated in memory for throw-away platforms.
 */
export async function openAuth(options: { dataDir: string | undefined; print: (line: string) => void }): Promise<PlatformAuth> {
  if (options.dataDir) {
    const local = await ensureLocalAuth({ dataDir: options.dataDir, print: options.print });
    return {
      verifier: createTokenVerifier({ key: local.keyPair.verificationKey, issuer: local.issuer, audience: local.audience }),
      adminToken: local.adminToken,
      adminTokenFile: local.files.adminToken,
      mintToken: (userId, role, ttlSeconds) =>
        mintToken(local.keyPair.signingKey, {
          userId,
          role,
          issuer: local.issuer,
          audience: local.audience,
          ...(ttlSeconds && { ttlSeconds }),
        }),
    };
  }
  const keyPair = await generateKeyPair();
  const mint = (userId: string, role: Role, ttlSeconds?: number) =>
    mintToken(keyPair.signingKey, { userId, role, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, ...(ttlSeconds && { ttlSeconds }) });
  const adminToken = await mint(LOCAL_ADMIN_USER_ID, "admin", 24 * 3600);
  options.print("[auth] in-memory key pair: the admin token lives only as long as this process (platform.mintToken mints others)");
  return {
    verifier: createTokenVerifier({ key: keyPair.verificationKey, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }),
    adminToken,
    adminTokenFile: undefined,
    mintToken: mint,
  };
}
