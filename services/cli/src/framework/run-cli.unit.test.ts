import { describe, expect, it } from "vitest";
import { EXIT } from "./run-cli.ts";
import { lazyLoads, run } from "./test-fixtures.ts";

/** Under --json stdout must be one JSON document and nothing else: parse the whole of it. */
function onlyJsonDocument(stdout: string): unknown {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  return JSON.parse(stdout);
}

describe("runCli", () => {
  it("prints the command's text and sends its logs to stderr", async () => {
    const result = await run(["echo", "reel"]);
    expect(result).toEqual({ code: EXIT.ok, stdout: "echo reel\n", stderr: "echoing\n" });
  });

  it("under --json prints exactly the command's data as one document, logs still on stderr", async () => {
    const result = await run(["echo", "reel", "--json", "--tag", "x"]);
    expect(result.code).toBe(EXIT.ok);
    expect(onlyJsonDocument(result.stdout)).toEqual({
      options: { format: "edl", tag: ["x"] },
      args: { first: "reel", rest: [] },
      json: true,
    });
    expect(result.stderr).toBe("echoing\n");
  });

  it("exits 2 on usage errors, with the message and a help hint on stderr and nothing on stdout", async () => {
    const result = await run(["echo", "x", "--bogus"]);
    expect(result).toEqual({
      code: EXIT.usage,
      stdout: "",
      stderr: "dubstage: unknown option '--bogus'\nRun 'dubstage echo --help' for usage.\n",
    });
  });

  it("under --json reports a usage error as one error document", async () => {
    const result = await run(["--json", "nope"]);
    expect(result.code).toBe(EXIT.usage);
    expect(onlyJsonDocument(result.stdout)).toEqual({
      error: { kind: "usage", name: "UsageError", message: 'unknown command "nope". Commands: bad-data, check, echo, fail, lazy, session' },
    });
    expect(result.stderr).toContain('unknown command "nope"');
  });

  it("exits 1 when a command throws, reporting it on stderr (and as a document under --json)", async () => {
    const human = await run(["fail"]);
    expect(human.code).toBe(EXIT.failure);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(/^dubstage: the thing broke\n/);
    const json = await run(["fail", "--json"]);
    expect(json.code).toBe(EXIT.failure);
    expect(onlyJsonDocument(json.stdout)).toEqual({ error: { kind: "internal", name: "Error", message: "the thing broke" } });
  });

  it("exits 1 when the command reports a failure in its result", async () => {
    const result = await run(["check", "--json"]);
    expect(result.code).toBe(EXIT.failure);
    expect(onlyJsonDocument(result.stdout)).toEqual({ ok: false });
  });

  it("turns data JSON cannot hold into an error document, never a partial line", async () => {
    const result = await run(["bad-data", "--json"]);
    expect(result.code).toBe(EXIT.failure);
    expect(onlyJsonDocument(result.stdout)).toMatchObject({ error: { kind: "internal", name: "TypeError" } });
    expect((await run(["bad-data"])).stdout).toBe("fine as text\n");
  });

  it("prints help and version on stdout with exit 0, as JSON under --json", async () => {
    const help = await run(["session", "--help"]);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain("session create");
    const helpJson = await run(["session", "--help", "--json"]);
    expect((onlyJsonDocument(helpJson.stdout) as { help: string }).help).toBe(help.stdout.trimEnd());
    expect(await run(["--version"])).toEqual({ code: EXIT.ok, stdout: "dubstage 9.9.9\n", stderr: "" });
    expect(onlyJsonDocument((await run(["--version", "--json"])).stdout)).toEqual({ name: "dubstage", version: "9.9.9" });
  });

  it("with no arguments prints the usage on stderr and exits 2", async () => {
    const result = await run([]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: dubstage <command>");
  });

  it("imports a lazy command's module only when the command runs, not for help or a usage error", async () => {
    lazyLoads.count = 0;
    expect((await run(["lazy", "--help"])).stdout).toContain("Usage: dubstage lazy");
    expect((await run(["--help"])).stdout).toContain("lazy");
    expect((await run(["lazy", "--bogus"])).code).toBe(EXIT.usage);
    expect(lazyLoads.count).toBe(0);
    expect(await run(["lazy"])).toEqual({ code: EXIT.ok, stdout: "lazy ran\n", stderr: "" });
    expect(lazyLoads.count).toBe(1);
  });

  it("prints one line for an unexpected error, and its stack only when DUBSTAGE_DEBUG is set", async () => {
    const quiet = await run(["fail"]);
    expect(quiet.stderr).toBe("dubstage: the thing broke\n(an unexpected error: set DUBSTAGE_DEBUG=1 to print its stack)\n");
  });
});
