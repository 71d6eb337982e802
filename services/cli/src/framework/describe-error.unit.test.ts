import { ConfigError } from "@dubstage/config";
import { DubstageError } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { EnvironmentError, ServerUnavailableError } from "./cli-errors.ts";
import { describeError, EXIT } from "./describe-error.ts";
import { UsageError } from "./usage-error.ts";

class Remote extends DubstageError {
  override readonly name = "RemoteError";
  readonly kind;
  constructor(kind: "unauthenticated" | "not-found" | "deadline", message: string) {
    super(message);
    this.kind = kind;
  }
}

const fsError = (code: string, path: string) =>
  Object.assign(new Error(`${code}: something, open '${path}'`), { code, path, syscall: "open" });

describe("describeError: one line and the right exit code for each failure", () => {
  it("a read-only data directory is an environment error naming the path, with no stack", () => {
    const report = describeError(fsError("EROFS", "/mnt/ro/platform.lock"));
    expect(report).toEqual({
      exitCode: EXIT.environment,
      kind: "environment",
      name: "FileSystemError",
      message: "/mnt/ro/platform.lock: the file system is read-only (EROFS)",
    });
    // also when a library wraps it
    expect(describeError(new Error("PGlite failed", { cause: fsError("EACCES", "/d/pglite") })).message).toBe(
      "/d/pglite: permission denied (EACCES)",
    );
  });

  it("an invalid environment variable is named with what is wrong, on one line", () => {
    const report = describeError(new ConfigError([{ name: "DUBSTAGE_LOG_LEVEL", problem: "must be one of debug, info" }]));
    expect(report).toMatchObject({ exitCode: EXIT.environment, kind: "environment" });
    expect(report.message).toBe("invalid environment: DUBSTAGE_LOG_LEVEL must be one of debug, info");
  });

  it("maps kinds: unavailable and deadline 3, refused tokens 5, other domain errors 1, usage 2", () => {
    expect(describeError(new ServerUnavailableError("cannot reach SessionService at h:1: connection refused", "h:1")).exitCode).toBe(
      EXIT.unavailable,
    );
    expect(describeError(new Remote("deadline", "x")).exitCode).toBe(EXIT.unavailable);
    expect(describeError(new Remote("unauthenticated", "token expired")).exitCode).toBe(EXIT.denied);
    expect(describeError(new Remote("not-found", "no session")).exitCode).toBe(EXIT.failure);
    expect(describeError(new UsageError("bad", "dubstage --help")).exitCode).toBe(EXIT.usage);
    expect(describeError(new EnvironmentError("no data directory at /x")).exitCode).toBe(EXIT.environment);
  });

  it("keeps the stack of an unexpected error (printed only under DUBSTAGE_DEBUG) and a one-line message", () => {
    const report = describeError(new TypeError("line one\nline two"));
    expect(report).toMatchObject({ exitCode: EXIT.failure, kind: "internal", name: "TypeError", message: "line one; line two" });
    expect(report.stack).toContain("TypeError");
  });
});
