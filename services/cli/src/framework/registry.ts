import type { Command } from "./command.ts";
import { GLOBAL_OPTIONS } from "./global-options.ts";
import { CommandDefinitionError } from "./usage-error.ts";

const WORD = /^[a-z][a-z0-9-]*$/;

/**
 * The set of commands `dubstage` knows. Packages contribute commands by exporting `Command` values that
 * the CLI's composition root registers; registration checks each definition so mistakes fail at startup.
 */
export class CommandRegistry {
  readonly #commands = new Map<string, Command>();

  register(...commands: readonly Command[]): this {
    for (const command of commands) this.#add(command);
    return this;
  }

  /** The command whose path is exactly `words`. */
  get(words: readonly string[]): Command | undefined {
    return this.#commands.get(words.join(" "));
  }

  /** True when `words` is the start of at least one command's path (or a whole path). */
  isPrefix(words: readonly string[]): boolean {
    return this.list().some((c) => words.every((w, i) => c.path[i] === w));
  }

  /** The distinct next words after `words`: `["session"]` gives ["create", "show", "watch"]. */
  nextWords(words: readonly string[]): string[] {
    const next = new Set<string>();
    for (const c of this.list()) {
      if (c.path.length > words.length && words.every((w, i) => c.path[i] === w)) next.add(c.path[words.length] as string);
    }
    return [...next].sort();
  }

  /** Every command, sorted by path. */
  list(): Command[] {
    return [...this.#commands.values()].sort((a, b) => a.path.join(" ").localeCompare(b.path.join(" ")));
  }

  #add(command: Command): void {
    const key = command.path.join(" ");
    const bad = command.path.find((w) => !WORD.test(w));
    if (command.path.length === 0 || bad !== undefined) {
      throw new CommandDefinitionError(`command path "${key}" must be one or more lowercase words (a-z, 0-9, -)`);
    }
    if (this.#commands.has(key)) throw new CommandDefinitionError(`command "${key}" is registered twice`);
    for (const other of this.#commands.values()) {
      const [shorter, longer] = other.path.length < command.path.length ? [other, command] : [command, other];
      if (shorter.path.every((w, i) => longer.path[i] === w)) {
        throw new CommandDefinitionError(`command "${shorter.path.join(" ")}" cannot also be the start of "${longer.path.join(" ")}"`);
      }
    }
    if ((command.run === undefined) === (command.load === undefined)) {
      throw new CommandDefinitionError(`command "${key}" must have exactly one of run and load`);
    }
    checkOptions(command);
    checkPositionals(command);
    this.#commands.set(key, command);
  }
}

function checkOptions(command: Command): void {
  const where = `command "${command.path.join(" ")}"`;
  const shorts = new Map<string, string>(Object.entries(GLOBAL_OPTIONS).flatMap(([n, o]) => ("short" in o ? [[o.short, n]] : [])));
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    if (name in GLOBAL_OPTIONS) throw new CommandDefinitionError(`${where}: option --${name} is a global option`);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new CommandDefinitionError(`${where}: option name "${name}" must be kebab-case`);
    if (spec.short !== undefined) {
      if (!/^[a-zA-Z]$/.test(spec.short)) throw new CommandDefinitionError(`${where}: --${name} short flag must be one letter`);
      const taken = shorts.get(spec.short);
      if (taken) throw new CommandDefinitionError(`${where}: -${spec.short} is used by both --${taken} and --${name}`);
      shorts.set(spec.short, name);
    }
    if (spec.type === "boolean" && (spec.choices || spec.required || spec.valueName)) {
      throw new CommandDefinitionError(`${where}: boolean --${name} cannot have choices, required or valueName`);
    }
    if (spec.choices && typeof spec.default === "string" && !spec.choices.includes(spec.default)) {
      throw new CommandDefinitionError(`${where}: --${name} default "${spec.default}" is not one of its choices`);
    }
  }
}

function checkPositionals(command: Command): void {
  const where = `command "${command.path.join(" ")}"`;
  const specs = command.positionals ?? [];
  specs.forEach((spec, i) => {
    if (spec.variadic && i !== specs.length - 1) throw new CommandDefinitionError(`${where}: only the last positional may be variadic`);
    const previous = specs[i - 1];
    if (!spec.optional && previous?.optional) {
      throw new CommandDefinitionError(`${where}: required <${spec.name}> cannot follow optional <${previous.name}>`);
    }
  });
}
