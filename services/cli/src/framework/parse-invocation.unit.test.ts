import { describe, expect, it } from "vitest";
import { parseInvocation, wantsJson } from "./parse-invocation.ts";
import { echoCommand, testProgram } from "./test-fixtures.ts";
import { UsageError } from "./usage-error.ts";

const { registry } = testProgram();
const parse = (...argv: string[]) => parseInvocation("dubstage", registry, argv);
const usageError = (argv: string[]): UsageError => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a UsageError for ${argv.join(" ")}`);
};

describe("parseInvocation", () => {
  it("resolves a command and parses its options, defaults and positionals", () => {
    const invocation = parse("echo", "--name", "reel-1", "-n", "reel-2", "--loud", "a", "b", "c");
    expect(invocation.kind).toBe("run");
    if (invocation.kind !== "run") return;
    expect(invocation.command).toBe(echoCommand);
    // The last of a repeated single-value option wins, as parseArgs does.
    expect(invocation.options).toEqual({ name: "reel-2", loud: true, format: "edl", tag: undefined });
    expect(invocation.args).toEqual({ first: "a", rest: ["b", "c"] });
  });

  it("resolves multi-word commands and accepts global flags anywhere", () => {
    for (const argv of [
      ["--json", "session", "show", "s-1"],
      ["session", "--json", "show", "s-1"],
      ["session", "show", "s-1", "--json"],
    ]) {
      const invocation = parse(...argv);
      expect(invocation.kind === "run" && invocation.command.path).toEqual(["session", "show"]);
      expect(invocation.kind === "run" && invocation.args).toEqual({ id: "s-1" });
    }
  });

  it("collects repeatable options and checks choices", () => {
    const invocation = parse("echo", "x", "--tag", "a", "--tag", "b", "--format", "aaf");
    expect(invocation.kind === "run" && invocation.options).toMatchObject({ tag: ["a", "b"], format: "aaf" });
    expect(usageError(["echo", "x", "--format", "omf"]).message).toBe('--format must be one of edl, aaf; got "omf"');
  });

  it("treats everything after -- as positionals, even flag-like words", () => {
    const invocation = parse("echo", "--", "--json", "-n");
    expect(invocation.kind === "run" && invocation.args).toEqual({ first: "--json", rest: ["-n"] });
    expect(wantsJson(["echo", "--", "--json"])).toBe(false);
    expect(wantsJson(["echo", "--json"])).toBe(true);
  });

  it("answers --help for the program, a group and a command", () => {
    const top = parse("--help");
    expect(top.kind === "help" && top.text).toContain("session create");
    const group = parse("session", "-h");
    expect(group.kind === "help" && group.text).toMatch(/^Usage: dubstage session <command>/);
    const command = parse("echo", "--help");
    expect(command.kind === "help" && command.text).toContain("-n, --name <name>");
    expect(command.kind === "help" && command.text).toContain("one of: edl, aaf; default: edl");
    // --help wins over missing arguments, so it always works.
    expect(parse("session", "create", "--help").kind).toBe("help");
  });

  it("accepts --version only without a command", () => {
    expect(parse("--version")).toEqual({ kind: "version" });
    expect(parse("-V")).toEqual({ kind: "version" });
    expect(usageError(["echo", "x", "--version"]).message).toBe("unknown option '--version'");
  });

  it.each([
    [["frob"], 'unknown command "frob". Commands: bad-data, check, echo, fail, lazy, session', "dubstage --help"],
    [["ecko"], 'unknown command "ecko". Did you mean "echo"? Commands: bad-data, check, echo, fail, lazy, session', "dubstage --help"],
    [["session", "delete"], 'unknown command "session delete". Commands: create, show', "dubstage session --help"],
    [["session"], '"session" needs a subcommand: create, show', "dubstage session --help"],
    [["echo", "x", "--bogus"], "unknown option '--bogus'", "dubstage echo --help"],
    [["--bogus"], "unknown option '--bogus'", "dubstage --help"],
    [["echo"], "missing argument <first>", "dubstage echo --help"],
    [["echo", "x", "--name"], "option '-n, --name <value>' argument missing", "dubstage echo --help"],
    [["echo", "x", "--loud=yes"], "option '--loud' does not take an argument", "dubstage echo --help"],
    [["session", "create"], "missing required option --title", "dubstage session create --help"],
    [["session", "show", "a", "b"], 'unexpected argument "b"', "dubstage session show --help"],
  ])("rejects %j with a usage error", (argv, message, hint) => {
    const error = usageError(argv);
    expect(error.message).toBe(message);
    expect(error.helpHint).toBe(hint);
  });

  it("says a command is needed when given nothing", () => {
    expect(usageError([]).message).toMatch(/^no command given\n\nUsage: dubstage <command>/);
  });
});
