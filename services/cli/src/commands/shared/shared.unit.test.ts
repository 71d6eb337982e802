import { describe, expect, it } from "vitest";
import { callerCwd, resolveFromCaller } from "./caller-cwd.ts";
import { chooseDataDir } from "./data-dir.ts";
import { requireSessionId } from "./ids.ts";
import { firstUnprintable, printable } from "./printable.ts";

describe("printable text", () => {
  it("finds and escapes control characters, escape sequences, C1 controls and bidi overrides", () => {
    expect(firstUnprintable("Reel 1 'Where were you?' — é")).toBeUndefined();
    expect(firstUnprintable("Reel\u001b[2J1")).toBe("\\u{1b}");
    expect(firstUnprintable("tab\there")).toBe("\\u{9}");
    expect(firstUnprintable("csi\u009b31m")).toBe("\\u{9b}");
    expect(firstUnprintable("evil\u202etxt.wav")).toBe("\\u{202e}");
    expect(printable("a\u001b[31mb\nc")).toBe("a\\u{1b}[31mb\\u{a}c");
  });
});

describe("session ids", () => {
  it("accepts a UUID and names a malformed id in the usage error", () => {
    expect(requireSessionId("3F0C2B1E-8D4A-4C6E-9F10-2A7B5C9D0E11", "session id", "h")).toBe("3F0C2B1E-8D4A-4C6E-9F10-2A7B5C9D0E11");
    expect(() => requireSessionId("not-a-uuid", "--id", "h")).toThrow('--id "not-a-uuid" is not a session id: expected a UUID');
  });
});

describe("paths from the caller's directory", () => {
  it("uses INIT_CWD only under our own pnpm script, else the working directory", () => {
    expect(callerCwd({}, "/repo")).toBe("/repo");
    expect(callerCwd({ INIT_CWD: "/home/ana/reels", npm_lifecycle_event: "dubstage" }, "/repo")).toBe("/home/ana/reels");
    // inherited from some other script (a test runner started by `pnpm test`): not ours
    expect(callerCwd({ INIT_CWD: "/elsewhere", npm_lifecycle_event: "test" }, "/repo")).toBe("/repo");
    expect(resolveFromCaller("data", { INIT_CWD: "/home/ana", npm_lifecycle_event: "dubstage" }, "/repo")).toBe("/home/ana/data");
    expect(resolveFromCaller("/abs/data", {}, "/repo")).toBe("/abs/data");
  });

  it("chooses --data-dir, then DUBSTAGE_DATA_DIR, then ./.dubstage/data, each from the caller's directory", () => {
    const env = { INIT_CWD: "/home/ana", npm_lifecycle_event: "dubstage", DUBSTAGE_DATA_DIR: "env-dir" };
    expect(chooseDataDir({ options: { "data-dir": "opt" }, env })).toEqual({ path: "/home/ana/opt", from: "--data-dir" });
    expect(chooseDataDir({ options: {}, env })).toEqual({ path: "/home/ana/env-dir", from: "DUBSTAGE_DATA_DIR" });
    expect(chooseDataDir({ options: {}, env: { INIT_CWD: "/home/ana", npm_lifecycle_event: "dubstage" } })).toEqual({
      path: "/home/ana/.dubstage/data",
      from: "the default",
    });
  });
});
