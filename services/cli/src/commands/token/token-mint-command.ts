import { defineCommand } from "../../framework/command.ts";
import { DATA_DIR_OPTION } from "../shared/data-dir.ts";
import type { MintedTokenView } from "./token-mint-run.ts";

/** The roles of @dubstage/auth (a unit test keeps the lists equal; importing auth here would load jose at start). */
export const ROLE_CHOICES = [
  "supervising_sound_editor",
  "dialogue_editor",
  "sound_effects_editor",
  "foley_editor",
  "re_recording_mixer",
  "integration",
  "admin",
] as const;

export const tokenMintCommand = defineCommand<MintedTokenView>({
  path: ["token", "mint"],
  summary: "Mint a bearer token for a person or an integration, signed with the platform's key",
  description:
    "Signs with --key-file, else the data directory's auth/signing-key.pem (which must be private: mode 0600).\n" +
    "With --out the token goes to that file (mode 0600) and is printed nowhere; otherwise it is the only thing on\n" +
    "stdout, for `> file` or a secret store. Give it to the CLI with --token-file or DUBSTAGE_TOKEN_FILE.",
  options: {
    role: { type: "string", required: true, choices: ROLE_CHOICES, valueName: "role", description: "The token's role" },
    subject: {
      type: "string",
      required: true,
      valueName: "id",
      description: "Who it is for: a user or integration id (recorded on every event)",
    },
    ttl: { type: "string", default: "8h", valueName: "duration", description: "Lifetime: seconds, or a number with s, m, h or d" },
    "key-file": {
      type: "string",
      valueName: "path",
      description: "Signing key: Ed25519 PKCS#8 PEM or a JWK (default: the data directory's)",
    },
    issuer: { type: "string", default: "dubstage-local", valueName: "iss", description: "The token's issuer (the platform verifies it)" },
    audience: { type: "string", default: "dubstage", valueName: "aud", description: "The token's audience" },
    out: { type: "string", valueName: "path", description: "Write the token to this file (mode 0600) instead of stdout" },
    ...DATA_DIR_OPTION,
  },
  examples: [
    "dubstage token mint --role dialogue_editor --subject ana --out ana.token",
    "dubstage token mint --role integration --subject tracker --ttl 30d --key-file /etc/dubstage/signing-key.pem > tracker.token",
  ],
  load: () => import("./token-mint-run.ts"),
});
