import type { Command, OptionSpec, PositionalSpec } from "./command.ts";
import { GLOBAL_OPTIONS, TOP_LEVEL_OPTIONS } from "./global-options.ts";
import type { CommandRegistry } from "./registry.ts";

interface HelpOption {
  readonly type: "string" | "boolean";
  readonly description: string;
  readonly short?: string;
  readonly valueName?: string;
  readonly choices?: readonly string[];
  readonly default?: string | boolean;
  readonly required?: boolean;
  readonly multiple?: boolean;
}

export function topLevelHelp(program: string, registry: CommandRegistry): string {
  const rows = registry.list().map((c) => [c.path.join(" "), c.summary] as const);
  return [
    `Usage: ${program} <command> [options]`,
    "",
    "Commands:",
    ...table(rows),
    "",
    "Global options:",
    ...table(optionRows(TOP_LEVEL_OPTIONS)),
    "",
    `Run '${program} <command> --help' for a command's options.`,
  ].join("\n");
}

export function groupHelp(program: string, registry: CommandRegistry, words: readonly string[]): string {
  const group = words.join(" ");
  const rows = registry
    .list()
    .filter((c) => words.every((w, i) => c.path[i] === w))
    .map((c) => [c.path.join(" "), c.summary] as const);
  return [`Usage: ${program} ${group} <command> [options]`, "", "Commands:", ...table(rows)].join("\n");
}

export function commandHelp(program: string, command: Command): string {
  const positionals = (command.positionals ?? []).map(positionalSynopsis).join(" ");
  const lines = [`Usage: ${program} ${command.path.join(" ")} [options]${positionals ? ` ${positionals}` : ""}`, "", command.summary];
  if (command.description) lines.push("", command.description);
  if (command.positionals?.length) {
    lines.push("", "Arguments:", ...table(command.positionals.map((p) => [p.name, p.description] as const)));
  }
  lines.push("", "Options:", ...table(optionRows({ ...(command.options ?? {}), ...GLOBAL_OPTIONS })));
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

function positionalSynopsis(p: PositionalSpec): string {
  const name = `<${p.name}>${p.variadic ? "..." : ""}`;
  return p.optional ? `[${name}]` : name;
}

function optionRows(options: Readonly<Record<string, OptionSpec | HelpOption>>): (readonly [string, string])[] {
  return Object.entries(options).map(([name, o]: [string, HelpOption]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`;
    const notes = [
      o.choices ? `one of: ${o.choices.join(", ")}` : undefined,
      o.default !== undefined ? `default: ${String(o.default)}` : undefined,
      o.required ? "required" : undefined,
      o.multiple ? "repeatable" : undefined,
    ].filter((n) => n !== undefined);
    return [flag, notes.length ? `${o.description} (${notes.join("; ")})` : o.description] as const;
  });
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
