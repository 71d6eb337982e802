import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import { requireSessionId } from "../shared/ids.ts";
import { wholeNumber } from "../shared/numbers.ts";
import { BatchFileError, type CommandBatch, parseBatchFile } from "./batch-file.ts";
import { openSessionTarget } from "./session-target.ts";

const HELP = "dubstage session apply --help";

/** `session apply --json` prints this: the batch's summary (the events themselves are not echoed). */
export interface ApplyView {
  readonly sessionId: string;
  readonly idempotencyKey: string;
  readonly commands: number;
  /** The session version after the batch. */
  readonly version: number;
  /** Version of the batch's first event; 0 when it recorded none. */
  readonly firstVersion: number;
  readonly eventCount: number;
  /** Events recorded per type ("ClipMoved": 3). */
  readonly eventCounts: Readonly<Record<string, number>>;
  /** True when the key had been used: this is the first call's result and nothing was recorded now. */
  readonly replayed: boolean;
}

export async function run(input: CommandInput): Promise<CommandOutput<ApplyView>> {
  const sessionId = requireSessionId(String(input.args["session-id"]), "session id", HELP);
  const batch = await readBatch(String(input.args.file), input);
  const expectedVersion =
    input.options["expected-version"] === undefined
      ? batch.expectedVersion
      : wholeNumber(input.options["expected-version"], "--expected-version", 0, HELP);
  const keyOption = input.options["idempotency-key"];
  if (typeof keyOption === "string" && !/^[\x20-\x7e]{1,200}$/.test(keyOption)) {
    throw new UsageError("--idempotency-key must be 1-200 printable ASCII characters", HELP);
  }
  const idempotencyKey = typeof keyOption === "string" ? keyOption : (batch.idempotencyKey ?? `cli-${randomUUID()}`);
  if (typeof keyOption !== "string" && batch.idempotencyKey === undefined) {
    input.log(`idempotency key ${idempotencyKey} (if this fails midway, rerun with --idempotency-key ${idempotencyKey})`);
  }
  const target = await openSessionTarget(input, HELP);
  try {
    input.log(
      `applying ${batch.commands.length} command${batch.commands.length === 1 ? "" : "s"} to session ${sessionId} on ${target.description}`,
    );
    const result = await target.client.executeCommands(
      {
        sessionId,
        ...(expectedVersion !== undefined && { expectedVersion }),
        commands: [...batch.commands],
        idempotencyKey,
        returnEvents: false,
      },
      { signal: input.signal },
    );
    const view: ApplyView = {
      sessionId,
      idempotencyKey,
      commands: batch.commands.length,
      version: result.version,
      firstVersion: result.firstVersion,
      eventCount: result.eventCount,
      eventCounts: { ...result.eventCounts },
      replayed: result.replayed,
    };
    return { data: view, text: formatApply(view) };
  } finally {
    await target.close();
  }
}

async function readBatch(file: string, input: CommandInput): Promise<CommandBatch> {
  const path = resolveFromCaller(file, input.env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the batch file ${path}: ${code === "ENOENT" ? "it does not exist" : (code ?? String(error))}`, HELP);
  }
  try {
    return parseBatchFile(text, path);
  } catch (error) {
    if (error instanceof BatchFileError) throw new UsageError(error.message, HELP);
    throw error;
  }
}

export function formatApply(view: ApplyView): string {
  const counts = Object.entries(view.eventCounts)
    .map(([type, n]) => `${type} ${n}`)
    .join(", ");
  const range =
    view.eventCount === 0
      ? "no events"
      : view.eventCount === 1
        ? `version ${view.firstVersion}`
        : `versions ${view.firstVersion}-${view.version}`;
  const head = view.replayed
    ? `Already applied with idempotency key ${view.idempotencyKey}: nothing recorded now; the first call recorded`
    : `Applied ${view.commands} command${view.commands === 1 ? "" : "s"} to session ${view.sessionId}:`;
  const after = view.replayed ? `the session was at version ${view.version} after it` : `session now at version ${view.version}`;
  return `${head} ${view.eventCount} event${view.eventCount === 1 ? "" : "s"} (${range}${counts ? `; ${counts}` : ""}); ${after}.`;
}
