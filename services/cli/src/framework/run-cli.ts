import { isDubstageError } from "@dubstage/event-log";
import { parseInvocation, wantsJson } from "./parse-invocation.ts";
import type { CommandRegistry } from "./registry.ts";
import { UsageError } from "./usage-error.ts";

/** Where the CLI writes and what it reads; the real process in main.ts, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

export interface CliProgram {
  /** Shown in usage lines and messages. */
  readonly name: string;
  readonly version: string;
  readonly registry: CommandRegistry;
}

/** Exit codes: 0 success, 1 the command failed (or reported a failure), 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The JSON document printed on stdout under --json when a command cannot produce its result. */
export interface JsonErrorDocument {
  readonly error: { readonly kind: string; readonly name: string; readonly message: string };
}

/**
 * Runs one command line and returns the exit code. Under --json, stdout receives exactly one JSON document
 * (the command's data, the help/version object, or a JsonErrorDocument) and everything else goes to stderr.
 */
export async function runCli(program: CliProgram, argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const json = wantsJson(argv);
  const print = (text: string) => io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  const log = (message: string) => io.stderr(message.endsWith("\n") ? message : `${message}\n`);
  try {
    const invocation = parseInvocation(program.name, program.registry, argv);
    if (invocation.kind === "version") {
      print(json ? JSON.stringify({ name: program.name, version: program.version }) : `${program.name} ${program.version}`);
      return EXIT.ok;
    }
    if (invocation.kind === "help") {
      print(json ? JSON.stringify({ help: invocation.text }) : invocation.text);
      return EXIT.ok;
    }
    const output = await invocation.command.run({
      options: invocation.options,
      args: invocation.args,
      json,
      env: io.env,
      log,
      signal: io.signal ?? new AbortController().signal,
      emit: print,
    });
    // Serialise before printing so a value JSON cannot represent fails as an error document, not half a line.
    if (!output.streamed) print(json ? JSON.stringify(output.data) : output.text);
    return output.exitCode ?? EXIT.ok;
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    log(`${program.name}: ${message}${usage ? `\nRun '${error.helpHint}' for usage.` : ""}`);
    if (!usage && !isDubstageError(error) && error instanceof Error && error.stack) log(error.stack);
    if (json) {
      const document: JsonErrorDocument = {
        error: {
          kind: usage ? "usage" : isDubstageError(error) ? error.kind : "internal",
          name: error instanceof Error ? error.name : "Error",
          message,
        },
      };
      print(JSON.stringify(document));
    }
    return usage ? EXIT.usage : EXIT.failure;
  }
}
