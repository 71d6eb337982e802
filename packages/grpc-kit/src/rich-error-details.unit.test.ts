import { DubstageError, EventLogUnavailableError } from "@dubstage/event-log";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ServerShuttingDownError } from "./call-errors.ts";
import { decodeRichStatus, ERROR_INFO_TYPE_URL, encodeRichStatus, STATUS_DETAILS_KEY } from "./rich-error-details.ts";
import { errorToStatus } from "./status-mapping.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("google.rpc.Status / ErrorInfo wire codec", () => {
  it("encodes exactly the protobuf bytes (hand-computed golden)", () => {
    const bytes = encodeRichStatus({ code: 5, message: "x", errorInfos: [{ reason: "R", domain: "d", metadata: { k: "v" } }] });
    const errorInfo = "0a0152" + "120164" + "1a06" + "0a016b" + "120176"; // reason, domain, map entry {k: v}
    const typeUrl = Buffer.from(ERROR_INFO_TYPE_URL).toString("hex");
    const any = `0a${ERROR_INFO_TYPE_URL.length.toString(16)}${typeUrl}12${(errorInfo.length / 2).toString(16).padStart(2, "0")}${errorInfo}`;
    // code 5, message "x", then the Any as field 3.
    const expected = `08051201781a${(any.length / 2).toString(16)}${any}`;
    expect(hex(bytes)).toBe(expected);
  });

  it("round-trips and skips unknown detail types and fields", () => {
    const encoded = encodeRichStatus({
      code: 9,
      message: "nope",
      errorInfos: [{ reason: "ILLEGAL_STATE", domain: "dubstage", metadata: { a: "1", b: "two" } }],
    });
    // Append a detail of another type (google.rpc.RetryInfo) and an unknown varint field 7.
    const fixedOther = Buffer.concat([Buffer.from([0x1a, 2 + 12]), Buffer.from([0x0a, 12]), Buffer.from("type/other/X")]);
    const withExtras = Buffer.concat([Buffer.from(encoded), fixedOther, Buffer.from([0x38, 0x01])]);
    expect(decodeRichStatus(withExtras)).toEqual({
      code: 9,
      message: "nope",
      errorInfos: [{ reason: "ILLEGAL_STATE", domain: "dubstage", metadata: { a: "1", b: "two" } }],
    });
  });
});

class ReelLockedError extends DubstageError {
  override readonly name = "ReelLockedError";
  readonly kind = "illegal-state" as const;
  readonly reel = 2;
  readonly lockedAt = { version: 17 };
  constructor() {
    super("reel 2 is picture-locked");
  }
}

describe("errorToStatus", () => {
  it("puts kind, name and the error's own fields into ErrorInfo", () => {
    const mapped = errorToStatus(new ReelLockedError(), "abc");
    expect(mapped).toMatchObject({ code: status.FAILED_PRECONDITION, details: "reel 2 is picture-locked", known: true });
    const rich = decodeRichStatus(mapped.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(rich.errorInfos).toEqual([
      {
        reason: "ILLEGAL_STATE",
        domain: "dubstage",
        metadata: { kind: "illegal-state", name: "ReelLockedError", reel: "2", lockedAt: '{"version":17}' },
      },
    ]);
  });

  it("hides everything about an unknown error but a fresh error id and the trace id, and treats an unknown kind as a bug", () => {
    const bug = errorToStatus(new TypeError("cannot read properties of undefined (reading 'clips')"), "0af7651916cd43dd8448eb211c80319c");
    expect(bug.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bug).toMatchObject({
      code: status.INTERNAL,
      details: `internal error (error id ${bug.errorId}, trace 0af7651916cd43dd8448eb211c80319c)`,
      known: false,
    });
    const rich = decodeRichStatus(bug.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(rich.errorInfos[0]?.metadata).toEqual({ error_id: bug.errorId, trace_id: "0af7651916cd43dd8448eb211c80319c" });
    expect(JSON.stringify(rich)).not.toContain("clips");

    const odd = Object.assign(new Error("odd"), { kind: "teapot" });
    const oddStatus = errorToStatus(odd, undefined);
    expect(oddStatus).toMatchObject({ code: status.INTERNAL, details: `internal error (error id ${oddStatus.errorId})`, known: false });
    expect(errorToStatus(odd, undefined).errorId).not.toBe(oddStatus.errorId);
  });

  it("names no trace when tracing is off (an all-zero trace id), only the error id", () => {
    const bug = errorToStatus(new Error("select * from secrets"), "00000000000000000000000000000000");
    expect(bug.details).toBe(`internal error (error id ${bug.errorId})`);
  });

  it("never echoes a dependency's own message (driver text with hosts and users): UNAVAILABLE names the error and an id", () => {
    const outage = new EventLogUnavailableError(
      'event log append failed: the database is unavailable (password authentication failed for user "dubstage" at 10.0.0.5:5432)',
    );
    const mapped = errorToStatus(outage, undefined);
    expect(mapped.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mapped).toMatchObject({
      code: status.UNAVAILABLE,
      known: true,
      details: `EventLogUnavailableError: a service this server depends on is unavailable; retry later (error id ${mapped.errorId})`,
    });
    const rich = decodeRichStatus(mapped.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(rich.errorInfos[0]?.metadata).toEqual({
      kind: "dependency-unavailable",
      name: "EventLogUnavailableError",
      error_id: mapped.errorId,
    });
    expect(JSON.stringify(rich)).not.toMatch(/10\.0\.0\.5|password|user "dubstage"/);
  });

  it("keeps the server's own shutdown message, which is safe and tells the client what to do", () => {
    expect(errorToStatus(new ServerShuttingDownError(), undefined)).toMatchObject({
      code: status.UNAVAILABLE,
      details: "server is shutting down; retry against another instance",
    });
  });
});
