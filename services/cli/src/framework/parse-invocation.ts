import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import type { Command, OptionValue } from "./command.ts";
import { GLOBAL_OPTIONS, TOP_LEVEL_OPTIONS } from "./global-options.ts";
import { commandHelp, groupHelp, topLevelHelp } from "./help.ts";
import type { CommandRegistry } from "./registry.ts";
import { suggest } from "./suggest.ts";
import { UsageError } from "./usage-error.ts";

export type Invocation =
  | {
      readonly kind: "run";
      readonly command: Command;
      readonly options: Record<string, OptionValue>;
      readonly args: Record<string, string | readonly string[] | undefined>;
    }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "version" };

const GLOBAL_TOKENS = new Set(["--json", "--help", "-h", "--version", "-V"]);

/** True when --json appears before any `--`: known even when the rest of the line is invalid. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/**
 * Turns argv (without node and script) into what to do. The command is the longest run of leading words
 * that names one; global flags may stand anywhere. Everything else is parsed strictly against the
 * command's options, so an unknown flag or a missing argument is a UsageError, never ignored.
 */
export function parseInvocation(program: string, registry: CommandRegistry, argv: readonly string[]): Invocation {
  const words: string[] = [];
  const rest: string[] = [];
  let scanning = true;
  for (const token of argv) {
    if (scanning && token === "--") scanning = false;
    else if (scanning && !GLOBAL_TOKENS.has(token)) {
      if (!token.startsWith("-") && registry.isPrefix([...words, token]) && !registry.get(words)) {
        words.push(token);
        continue;
      }
      scanning = false;
    }
    rest.push(token);
  }

  const command = registry.get(words);
  if (command) return parseCommand(program, command, rest);

  if (words.length > 0) {
    const hint = `${program} ${words.join(" ")} --help`;
    const { values, positionals } = strictParse(GLOBAL_OPTIONS, rest, hint);
    const choices = registry.nextWords(words);
    const unknown = positionals[0];
    if (unknown !== undefined) throw unknownCommand([...words, unknown], choices, hint);
    if (values.help) return { kind: "help", text: groupHelp(program, registry, words) };
    throw new UsageError(`"${words.join(" ")}" needs a subcommand: ${choices.join(", ")}`, hint);
  }

  const hint = `${program} --help`;
  const { values, positionals } = strictParse(TOP_LEVEL_OPTIONS, rest, hint);
  const unknown = positionals[0];
  if (unknown !== undefined) throw unknownCommand([unknown], registry.nextWords([]), hint);
  if (values.version) return { kind: "version" };
  if (values.help) return { kind: "help", text: topLevelHelp(program, registry) };
  throw new UsageError(`no command given\n\n${topLevelHelp(program, registry)}`, hint);
}

function parseCommand(program: string, command: Command, rest: readonly string[]): Invocation {
  const hint = `${program} ${command.path.join(" ")} --help`;
  const specs = command.options ?? {};
  const config: ParseArgsOptionsConfig = { ...GLOBAL_OPTIONS };
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = {
      type: spec.type,
      ...(spec.short !== undefined ? { short: spec.short } : {}),
      ...(spec.multiple !== undefined ? { multiple: spec.multiple } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    };
  }
  const { values, positionals } = strictParse(config, rest, hint);
  if (values.help) return { kind: "help", text: commandHelp(program, command) };

  const options: Record<string, OptionValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name] as OptionValue;
    if (spec.required && value === undefined) throw new UsageError(`missing required option --${name}`, hint);
    if (spec.choices) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        if (!spec.choices.includes(v as string)) {
          throw new UsageError(`--${name} must be one of ${spec.choices.join(", ")}; got "${String(v)}"`, hint);
        }
      }
    }
    options[name] = value;
  }

  const args: Record<string, string | readonly string[] | undefined> = {};
  const positionalSpecs = command.positionals ?? [];
  positionalSpecs.forEach((spec, i) => {
    if (spec.variadic) args[spec.name] = positionals.slice(i);
    else args[spec.name] = positionals[i];
    const given = spec.variadic ? positionals.length > i : positionals[i] !== undefined;
    if (!spec.optional && !given) throw new UsageError(`missing argument <${spec.name}>`, hint);
  });
  const accepted = positionalSpecs.at(-1)?.variadic ? Number.POSITIVE_INFINITY : positionalSpecs.length;
  if (positionals.length > accepted) {
    const extra = positionals.slice(accepted).map((p) => `"${p}"`);
    throw new UsageError(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.join(" ")}`, hint);
  }
  return { kind: "run", command, options, args };
}

function strictParse(config: ParseArgsOptionsConfig, args: readonly string[], hint: string) {
  try {
    return parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith("ERR_PARSE_ARGS_")) throw new UsageError(tidyParseArgsMessage((error as Error).message), hint);
    throw error;
  }
}

// parseArgs explains at length how to pass a dash-led positional; the first sentence is the useful part.
function tidyParseArgsMessage(message: string): string {
  const first = message.split(/\. (?=To specify)/)[0] ?? message;
  return first.replace(/^Unknown option/, "unknown option").replace(/^Option/, "option");
}

/** `words` ends with the word that matched nothing; `choices` are the words that could stand there. */
function unknownCommand(words: readonly string[], choices: readonly string[], hint: string): UsageError {
  const close = suggest(words.at(-1) ?? "", choices);
  const didYouMean = close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : "";
  return new UsageError(`unknown command "${words.join(" ")}".${didYouMean} Commands: ${choices.join(", ")}`, hint);
}
