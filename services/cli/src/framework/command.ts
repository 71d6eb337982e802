/** What one option of a command accepts; mirrors node:util parseArgs plus what help and validation need. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  /** One letter, e.g. "o" for -o. */
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help for string options: `--timeout <ms>`. @default "value" */
  readonly valueName?: string;
  /** Accepted values of a string option; anything else is a usage error. */
  readonly choices?: readonly string[];
  readonly default?: string | boolean;
  /** A string option the command cannot run without. */
  readonly required?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  /** Takes every remaining argument; only the last positional may be variadic. */
  readonly variadic?: boolean;
}

export type OptionValue = string | boolean | readonly string[] | readonly boolean[] | undefined;

/** What a command gets when it runs. Commands never write to stdout themselves: they return output. */
export interface CommandInput {
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Positional arguments by their spec name; a variadic one is an array. */
  readonly args: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** True under --json: `text` is ignored and `data` is printed as the one JSON document on stdout. */
  readonly json: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress and diagnostics for people: always goes to stderr, so it never mixes with --json output. */
  log(message: string): void;
  /** Aborted on SIGINT/SIGTERM; long-running commands should stop when it fires. */
  readonly signal: AbortSignal;
  /**
   * Prints one line on stdout now, for commands that stream results (`session watch`). Under --json each
   * line must be one JSON document (JSON Lines). Such commands return `streamed: true`.
   */
  emit(line: string): void;
}

export interface CommandOutput<T> {
  /** Printed as exactly one JSON document under --json. Its shape is the command's documented contract. */
  readonly data: T;
  /** Printed on stdout otherwise. */
  readonly text: string;
  /** 1 when the command ran but found a failure (doctor with an unreachable dependency). @default 0 */
  readonly exitCode?: 0 | 1;
  /** The command already printed its output with `emit`: the runner prints neither `text` nor `data`. @default false */
  readonly streamed?: boolean;
}

/** What a command does once its line is parsed. */
export type RunCommand<T> = (input: CommandInput) => Promise<CommandOutput<T>>;

/** A module implementing a command: what `load` resolves to (`export async function run(input) {...}`). */
export interface CommandModule<T> {
  readonly run: RunCommand<T>;
}

/**
 * One command. `path` is its words after `dubstage`: ["doctor"], ["session", "create"]. A path cannot be
 * both a command and the prefix of another command (no `session` command beside `session create`).
 *
 * The definition (path, options, help) is loaded at start for parsing and help; the implementation is
 * either `run` (small commands, tests) or `load`, which imports the command's module only when the command
 * runs, so `--help`, `--version` and pure file commands never load the database or gRPC stacks.
 */
export interface Command<T = unknown> {
  readonly path: readonly string[];
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Longer text for `--help`, after the usage line. */
  readonly description?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly positionals?: readonly PositionalSpec[];
  readonly examples?: readonly string[];
  /** Exactly one of `run` and `load`. */
  readonly run?: RunCommand<T>;
  /** Imports the module that implements the command, e.g. `() => import("./show-run.ts")`. */
  readonly load?: () => Promise<CommandModule<T>>;
}

/** Identity helper that keeps `T` inferred from `run` and reads well where commands are declared. */
export function defineCommand<T>(command: Command<T>): Command<T> {
  return command;
}

/** The implementation of `command`, importing its module if it is lazy. */
export async function implementationOf<T>(command: Command<T>): Promise<RunCommand<T>> {
  if (command.run) return command.run;
  if (!command.load) throw new Error(`command "${command.path.join(" ")}" has neither run nor load`);
  return (await command.load()).run;
}
