import { implementationOf } from "./command.ts";
import { describeError, EXIT, type ExitCode } from "./describe-error.ts";
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

export { EXIT, type ExitCode } from "./describe-error.ts";

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
    const run = await implementationOf(invocation.command);
    const output = await run({
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
    const report = describeError(error);
    const hint = error instanceof UsageError ? `\nRun '${error.helpHint}' for usage.` : "";
    log(`${program.name}: ${report.message}${hint}`);
    if (report.stack !== undefined) {
      log(io.env.DUBSTAGE_DEBUG ? report.stack : `(an unexpected error: set DUBSTAGE_DEBUG=1 to print its stack)`);
    }
    if (json) {
      const document: JsonErrorDocument = { error: { kind: report.kind, name: report.name, message: report.message } };
      print(JSON.stringify(document));
    }
    return report.exitCode;
  }
}
