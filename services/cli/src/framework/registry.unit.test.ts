import { describe, expect, it } from "vitest";
import { type Command, defineCommand } from "./command.ts";
import { CommandRegistry } from "./registry.ts";
import { CommandDefinitionError } from "./usage-error.ts";

const command = (path: string[], extra: Partial<Command> = {}): Command =>
  defineCommand({ path, summary: path.join(" "), run: async () => ({ data: null, text: "" }), ...extra });

describe("CommandRegistry", () => {
  it("finds commands by path and lists the words that may follow a prefix", () => {
    const registry = new CommandRegistry().register(command(["edl", "inspect"]), command(["edl", "diff"]), command(["doctor"]));
    expect(registry.get(["edl", "diff"])?.summary).toBe("edl diff");
    expect(registry.get(["edl"])).toBeUndefined();
    expect(registry.isPrefix(["edl"])).toBe(true);
    expect(registry.isPrefix(["aaf"])).toBe(false);
    expect(registry.nextWords([])).toEqual(["doctor", "edl"]);
    expect(registry.nextWords(["edl"])).toEqual(["diff", "inspect"]);
    expect(registry.list().map((c) => c.path.join(" "))).toEqual(["doctor", "edl diff", "edl inspect"]);
  });

  it.each([
    [[command(["doctor"]), command(["doctor"])], 'command "doctor" is registered twice'],
    [[command(["session"]), command(["session", "create"])], 'command "session" cannot also be the start of "session create"'],
    [[command(["session", "create"]), command(["session"])], 'command "session" cannot also be the start of "session create"'],
    [[command([])], 'command path "" must be one or more lowercase words (a-z, 0-9, -)'],
    [[command(["Doctor"])], 'command path "Doctor" must be one or more lowercase words (a-z, 0-9, -)'],
    [[command(["x"], { options: { json: { type: "boolean", description: "" } } })], 'command "x": option --json is a global option'],
    [
      [command(["x"], { options: { dryRun: { type: "boolean", description: "" } } })],
      'command "x": option name "dryRun" must be kebab-case',
    ],
    [
      [command(["x"], { options: { hint: { type: "boolean", short: "h", description: "" } } })],
      'command "x": -h is used by both --help and --hint',
    ],
    [
      [command(["x"], { options: { format: { type: "string", choices: ["a"], default: "b", description: "" } } })],
      'command "x": --format default "b" is not one of its choices',
    ],
    [
      [
        command(["x"], {
          positionals: [
            { name: "a", description: "", variadic: true },
            { name: "b", description: "" },
          ],
        }),
      ],
      'command "x": only the last positional may be variadic',
    ],
    [
      [
        command(["x"], {
          positionals: [
            { name: "a", description: "", optional: true },
            { name: "b", description: "" },
          ],
        }),
      ],
      'command "x": required <b> cannot follow optional <a>',
    ],
    [
      [command(["x"], { load: async () => ({ run: async () => ({ data: null, text: "" }) }) })],
      'command "x" must have exactly one of run and load',
    ],
  ])("rejects a bad definition (%#)", (commands, message) => {
    expect(() => new CommandRegistry().register(...commands)).toThrow(new CommandDefinitionError(message));
  });
});
