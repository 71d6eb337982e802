import { describe, expect, it } from "vitest";
import { PLATFORM_USAGE, PlatformUsageError, parsePlatformArgs } from "./main-args.ts";

describe("platform command line", () => {
  it("takes a fixed --port, --help, and the log level from DUBSTAGE_LOG_LEVEL (default warn)", () => {
    expect(parsePlatformArgs(["--port", "50051"], {})).toEqual({ kind: "run", port: 50_051, logLevel: "warn" });
    expect(parsePlatformArgs([], { DUBSTAGE_LOG_LEVEL: "debug" })).toEqual({ kind: "run", port: undefined, logLevel: "debug" });
    expect(parsePlatformArgs(["--help"], {})).toEqual({ kind: "help" });
    expect(parsePlatformArgs(["-h"], {})).toEqual({ kind: "help" });
    expect(PLATFORM_USAGE).toContain("--port <port>");
  });

  it("refuses a bad port, an unknown option and a bad log level in one line, without echoing the level", () => {
    expect(() => parsePlatformArgs(["--port", "99999"], {})).toThrow(
      new PlatformUsageError('--port must be a TCP port, 1-65535 (got "99999")'),
    );
    expect(() => parsePlatformArgs(["--port", "x"], {})).toThrow(PlatformUsageError);
    expect(() => parsePlatformArgs(["--prot", "1"], {})).toThrow(/Unknown option '--prot'/);
    expect(() => parsePlatformArgs([], { DUBSTAGE_LOG_LEVEL: "s3cr3t" })).toThrow(
      new PlatformUsageError("DUBSTAGE_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent"),
    );
  });
});
