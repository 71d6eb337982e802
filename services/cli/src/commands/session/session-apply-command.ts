import { defineCommand } from "../../framework/command.ts";
import type { ApplyView } from "./session-apply-run.ts";
import { CONNECTION_OPTIONS } from "./session-options.ts";

export const sessionApplyCommand = defineCommand<ApplyView>({
  path: ["session", "apply"],
  summary: "Apply a JSON batch of commands to a session atomically (all or nothing), safe to retry",
  description:
    'FILE is a JSON array of commands in the proto JSON mapping ({ "moveClip": { "clipId": "...", "position": 172800000 } }),\n' +
    'or { "expectedVersion": n, "idempotencyKey": "...", "commands": [...] }. The batch is refused (nothing recorded)\n' +
    "if the session is no longer at the expected version. Rerunning with the same idempotency key returns the first\n" +
    "result and records nothing: without one, a key is made up and printed so you can retry. --json prints an ApplyView.",
  positionals: [
    { name: "session-id", description: "The session's id (a UUID)" },
    { name: "file", description: "The batch: a JSON file" },
  ],
  options: {
    "expected-version": {
      type: "string",
      valueName: "n",
      description: "Refuse the batch unless the session is at this version (overrides the file)",
    },
    "idempotency-key": {
      type: "string",
      valueName: "key",
      description: "Retry key, 1-200 printable ASCII characters (overrides the file)",
    },
    ...CONNECTION_OPTIONS,
  },
  examples: [
    "dubstage session apply 6d0f3c2e-... edits.json",
    "dubstage session apply 6d0f3c2e-... edits.json --expected-version 16 --idempotency-key conform-v3-reel1 --json",
  ],
  load: () => import("./session-apply-run.ts"),
});
