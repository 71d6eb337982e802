export { ForbiddenError, InsecureFileError, InvalidKeyError, UnauthenticatedError, type UnauthenticatedReason } from "./errors.ts";
export {
  exportKeyPairPem,
  exportVerificationJwk,
  generateKeyPair,
  importSigningKey,
  importVerificationKey,
  type KeyPair,
  type SigningKey,
  signingKeyFromEnv,
  type TokenAlgorithm,
  type VerificationKey,
  verificationKeyFromEnv,
} from "./keys.ts";
export { ensureLocalAuth, LOCAL_ADMIN_USER_ID, LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalAuth, type LocalAuthOptions } from "./local-auth.ts";
export { type Action, type ActionType, authorize, type EditScope, isAllowed } from "./policy.ts";
export { assertOwnerOnly, restrictDirectory, writeOwnerOnly } from "./private-files.ts";
export { type Actor, isRole, isTrackType, ROLES, type Role, TRACK_TYPES, type TrackType } from "./roles.ts";
export {
  createTokenVerifier,
  type MintTokenOptions,
  mintToken,
  type TokenVerifier,
  type VerifiedToken,
  type VerifyTokenOptions,
  verifyToken,
} from "./tokens.ts";
