import { describe, expect, it } from "vitest";
import type { RecordRenderCompleted, RecordRenderFailed, RecordRenderProgress, RecordRenderStarted, SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch } from "./decide-batch.ts";
import { MAX_RENDER_DELIVERABLES } from "./decide-render.ts";
import { SessionEventApplyError } from "./errors.ts";
import { evolve, replay } from "./evolve.ts";
import type { RenderDeliverable, Session } from "./model.ts";
import { createFilm, expectError, mediaKeyFor } from "./test-fixtures.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

const NAMES = ["printmaster 5.1", "DX 5.1", "M&E 5.1"];
const PLAN = `sha256:${"3c".repeat(32)}`;
const renderKey = (n: number) => `renders/${n.toString(16).padStart(8, "0")}-3f4d-4a6b-8c7d-9e0f1a2b3c4d`;

/** The film session after `commands`, decided with its version known (SessionCreated is version 1). */
function session(...commands: SessionCommand[]): Session {
  const state = decideBatch(undefined, [createFilm, ...commands], { version: 0 }).state;
  if (state === undefined) throw new Error("no session");
  return state;
}
/** decide at `version` (the film session is at 1 plus the events since). */
const decideAt = (s: Session, command: SessionCommand, version = 1) => decide(s, command, { version });

function started(overrides: Partial<RecordRenderStarted> = {}): RecordRenderStarted {
  return {
    type: "RecordRenderStarted",
    renderId: "render-1",
    sessionVersion: 1,
    profileId: "netflix",
    planHash: PLAN,
    deliverables: NAMES,
    chunks: 40,
    ...overrides,
  };
}
function progress(overrides: Partial<RecordRenderProgress> = {}): RecordRenderProgress {
  return { type: "RecordRenderProgress", renderId: "render-1", done: 10, total: 40, ...overrides };
}
function deliverable(name: string, n: number, overrides: Partial<RenderDeliverable> = {}): RenderDeliverable {
  return {
    name,
    mediaKey: renderKey(2 * n),
    qcReportKey: renderKey(2 * n + 1),
    layout: "5.1",
    integratedLufs: -27,
    truePeakDbtp: -2,
    qcPass: true,
    ...overrides,
  };
}
function completed(overrides: Partial<RecordRenderCompleted> = {}): RecordRenderCompleted {
  return {
    type: "RecordRenderCompleted",
    renderId: "render-1",
    deliverables: NAMES.map((name, i) => deliverable(name, i)),
    chunksRendered: 30,
    chunksReused: 10,
    ...overrides,
  };
}
function failed(overrides: Partial<RecordRenderFailed> = {}): RecordRenderFailed {
  return { type: "RecordRenderFailed", renderId: "render-1", reason: "chunk 12: out of memory", ...overrides };
}

describe("RecordRenderStarted", () => {
  it("records RenderStarted and a running render", () => {
    expect(decideAt(session(), started())).toEqual([
      {
        type: "RenderStarted",
        data: { renderId: "render-1", sessionVersion: 1, profileId: "netflix", planHash: PLAN, deliverables: NAMES, chunks: 40 },
      },
    ]);
    expect(session(started()).renders.get("render-1")).toEqual({
      renderId: "render-1",
      sessionVersion: 1,
      profileId: "netflix",
      planHash: PLAN,
      deliverables: NAMES,
      chunks: 40,
      status: "running",
    });
  });

  it("keeps renders in the order they started", () => {
    const s = session(started({ renderId: "b" }), started({ renderId: "a" }), started({ renderId: "c" }));
    expect([...s.renders.keys()]).toEqual(["b", "a", "c"]);
  });

  it("accepts any version from 1 to the one it is decided at, and refuses a later one", () => {
    const s = session();
    expect(decideAt(s, started({ sessionVersion: 7 }), 7)).toHaveLength(1);
    expect(decideAt(s, started({ sessionVersion: 1 }), 7)).toHaveLength(1);
    expectError(() => decideAt(s, started({ sessionVersion: 8 }), 7), {
      kind: "not-found",
      reason: "session-version-not-found",
      field: "sessionVersion",
      message: /the session is at version 7; version 8 does not exist yet/,
    });
    for (const sessionVersion of [0, -1, 1.5, Number.NaN, "3" as unknown as number]) {
      expectError(() => decideAt(s, started({ sessionVersion })), { kind: "validation", reason: "invalid-value", field: "sessionVersion" });
    }
  });

  it("counts the batch's own earlier events in the version it is decided at", () => {
    const marker = (markerId: string): SessionCommand => ({ type: "AddMarker", markerId, position: 0, name: markerId, comment: "" });
    // Version 1 after SessionCreated, then two markers: the render at version 3 is the state it sees.
    const { events } = decideBatch(undefined, [createFilm, marker("m1"), marker("m2"), started({ sessionVersion: 3 })], { version: 0 });
    expect(events.at(-1)?.type).toBe("RenderStarted");
    expectError(() => decideBatch(undefined, [createFilm, marker("m1"), started({ sessionVersion: 3 })], { version: 0 }), {
      kind: "not-found",
      reason: "session-version-not-found",
      field: "commands[2].sessionVersion",
    });
    // A batch decided on a session already at version 10.
    expect(decideBatch(session(), [started({ sessionVersion: 10 })], { version: 10 }).events).toHaveLength(1);
  });

  it("is refused, not accepted unchecked, when decide is not told the version", () => {
    expectError(() => decide(session(), started()), {
      kind: "validation",
      reason: "invalid-value",
      field: "sessionVersion",
      message: /current version was not given/,
    });
    expectError(() => decideBatch(session(), [started()]), {
      kind: "validation",
      reason: "invalid-value",
      field: "commands[0].sessionVersion",
    });
  });

  it("changes nothing when started again with the same facts, even once the render has ended", () => {
    expect(decideAt(session(started()), started())).toEqual([]);
    expect(decideAt(session(started(), completed()), started())).toEqual([]);
    expect(decideAt(session(started(), failed()), started())).toEqual([]);
  });

  it("refuses other facts for a known render, naming both", () => {
    const others: Partial<RecordRenderStarted>[] = [
      { sessionVersion: 2 },
      { profileId: "ebu-r128" },
      { planHash: "sha256:00" },
      { deliverables: ["printmaster 5.1", "DX 5.1"] },
      { deliverables: ["DX 5.1", "printmaster 5.1", "M&E 5.1"] },
      { chunks: 41 },
    ];
    for (const other of others) {
      expectError(() => decideAt(session(started()), started(other), 5), {
        kind: "illegal-state",
        reason: "render-conflict",
        field: "renderId",
        message: /render "render-1" was already started with other facts \(version 1, profile netflix, plan sha256:3c3c.*, 40 chunks; now /,
      });
    }
  });

  it("checks the render id, profile id and plan hash", () => {
    const s = session();
    for (const renderId of ["", "  ", " r", "r".repeat(201)]) {
      expectError(() => decideAt(s, started({ renderId })), { kind: "validation", reason: "invalid-value", field: "renderId" });
    }
    for (const profileId of ["", "  ", "p ", "p".repeat(201), 3 as unknown as string]) {
      expectError(() => decideAt(s, started({ profileId })), { kind: "validation", reason: "invalid-value", field: "profileId" });
    }
    for (const planHash of ["", "sha256 abc", "sha256:\u00e9", "sha256:\n", `sha256:${"a".repeat(200)}`, undefined as unknown as string]) {
      expectError(() => decideAt(s, started({ planHash })), { kind: "validation", reason: "invalid-value", field: "planHash" });
    }
    expect(decideAt(s, started({ planHash: `blake3:${"f".repeat(64)}` }))).toHaveLength(1);
  });

  it("needs 1 to 64 distinct non-empty deliverable names", () => {
    const s = session();
    expectError(() => decideAt(s, started({ deliverables: [] })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables",
      message: /at least one/,
    });
    expectError(() => decideAt(s, started({ deliverables: "DX" as unknown as string[] })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables",
    });
    const many = Array.from({ length: MAX_RENDER_DELIVERABLES + 1 }, (_, i) => `stem ${i}`);
    expect(decideAt(s, started({ deliverables: many.slice(0, MAX_RENDER_DELIVERABLES) }))).toHaveLength(1);
    expectError(() => decideAt(s, started({ deliverables: many })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables",
      message: /at most 64 entries, got 65/,
    });
    for (const name of ["", "   ", "DX\u0007", 5 as unknown as string]) {
      expectError(() => decideAt(s, started({ deliverables: ["printmaster 5.1", name] })), {
        kind: "validation",
        reason: "invalid-value",
        field: "deliverables[1]",
      });
    }
    expectError(() => decideAt(s, started({ deliverables: ["DX 5.1", "M&E 5.1", " DX 5.1 "] })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables[2]",
      message: /"DX 5.1" is already deliverable 0/,
    });
  });

  it("needs a whole chunk count from 0 to 2^32-1", () => {
    const s = session();
    expect(decideAt(s, started({ chunks: 0 }))).toHaveLength(1);
    expect(decideAt(s, started({ chunks: 0xffff_ffff }))).toHaveLength(1);
    for (const chunks of [-1, 2.5, 2 ** 32, Number.POSITIVE_INFINITY]) {
      expectError(() => decideAt(s, started({ chunks })), { kind: "validation", reason: "invalid-value", field: "chunks" });
    }
  });

  it("needs the session", () => {
    expectError(() => decide(undefined, started(), { version: 0 }), { kind: "not-found", reason: "session-not-found" });
  });
});

describe("RecordRenderProgress", () => {
  it("records RenderProgress and keeps the latest done/total and the stem last reported", () => {
    const s = session(started());
    expect(decide(s, progress({ stem: "DX" }))).toEqual([
      { type: "RenderProgress", data: { renderId: "render-1", done: 10, total: 40, stem: "DX" } },
    ]);
    // Without a stem the field is absent from the event.
    expect(decide(s, progress())).toEqual([{ type: "RenderProgress", data: { renderId: "render-1", done: 10, total: 40 } }]);
    expect(session(started(), progress()).renders.get("render-1")?.progress).toEqual({ done: 10, total: 40 });
    const later = session(started(), progress({ stem: "DX" }), progress({ done: 20, stem: "MX" }), progress({ done: 30 }));
    expect(later.renders.get("render-1")).toMatchObject({ status: "running", progress: { done: 30, total: 40, stem: "MX" } });
  });

  it("refuses done above total, counts that are not whole non-negative numbers, and an empty stem", () => {
    const s = session(started());
    expect(decide(s, progress({ done: 40, total: 40 }))).toHaveLength(1);
    expect(decide(s, progress({ done: 0, total: 0 }))).toHaveLength(1);
    expectError(() => decide(s, progress({ done: 41 })), {
      kind: "validation",
      reason: "invalid-value",
      field: "done",
      message: /41 is more than total 40/,
    });
    for (const done of [-1, 0.5, Number.NaN]) {
      expectError(() => decide(s, progress({ done })), { kind: "validation", reason: "invalid-value", field: "done" });
    }
    for (const total of [-1, 1.5, Number.POSITIVE_INFINITY]) {
      expectError(() => decide(s, progress({ total })), { kind: "validation", reason: "invalid-value", field: "total" });
    }
    for (const stem of ["", "  ", "DX\u001b[2J"]) {
      expectError(() => decide(s, progress({ stem })), { kind: "validation", reason: "invalid-value", field: "stem" });
    }
  });

  it("refuses an unknown render and one that has ended", () => {
    expectError(() => decide(session(), progress()), {
      kind: "not-found",
      reason: "render-not-found",
      field: "renderId",
      message: /render "render-1" is unknown \(RecordRenderStarted first\)/,
    });
    expectError(() => decide(session(started(), completed()), progress()), {
      kind: "illegal-state",
      reason: "render-not-running",
      field: "renderId",
      message: /render "render-1" already completed/,
    });
    expectError(() => decide(session(started(), failed()), progress()), {
      kind: "illegal-state",
      reason: "render-not-running",
      message: /already failed/,
    });
  });
});

describe("RecordRenderCompleted", () => {
  it("records the deliverables and counts, and marks the render completed", () => {
    const command = completed();
    expect(decide(session(started()), command)).toEqual([
      {
        type: "RenderCompleted",
        data: { renderId: "render-1", deliverables: command.deliverables, chunksRendered: 30, chunksReused: 10 },
      },
    ]);
    const s = session(started(), progress({ stem: "DX" }), command);
    expect(s.renders.get("render-1")).toEqual({
      renderId: "render-1",
      sessionVersion: 1,
      profileId: "netflix",
      planHash: PLAN,
      deliverables: NAMES,
      chunks: 40,
      status: "completed",
      progress: { done: 10, total: 40, stem: "DX" },
      result: { deliverables: command.deliverables, chunksRendered: 30, chunksReused: 10 },
    });
  });

  it("accepts the started names in any order, with failed QC and levels at the ends of the range", () => {
    const deliverables = [
      deliverable("M&E 5.1", 0, { integratedLufs: -200, truePeakDbtp: 30, qcPass: false }),
      deliverable("printmaster 5.1", 1, { integratedLufs: 30, truePeakDbtp: -200 }),
      deliverable("DX 5.1", 2, { layout: "5.1 (L R C LFE Ls Rs)" }),
    ];
    const s = session(started(), completed({ deliverables }));
    expect(s.renders.get("render-1")?.result?.deliverables).toEqual(deliverables);
  });

  it("refuses a deliverable the render did not start with, naming it", () => {
    const deliverables = [...completed().deliverables, deliverable("stereo 2.0", 5)];
    expectError(() => decide(session(started()), completed({ deliverables })), {
      kind: "validation",
      reason: "render-deliverables-mismatch",
      field: "deliverables[3].name",
      message: /"stereo 2.0" is not a deliverable of render "render-1" \(started with "printmaster 5.1", "DX 5.1", "M&E 5.1"\)/,
    });
  });

  it("refuses a completion missing started deliverables, naming them", () => {
    expectError(() => decide(session(started()), completed({ deliverables: [deliverable("DX 5.1", 0)] })), {
      kind: "validation",
      reason: "render-deliverables-mismatch",
      field: "deliverables",
      message: /missing "printmaster 5.1", "M&E 5.1"$/,
    });
  });

  it("refuses a deliverable named twice", () => {
    const deliverables = [deliverable("DX 5.1", 0), deliverable("printmaster 5.1", 1), deliverable("DX 5.1", 2)];
    expectError(() => decide(session(started()), completed({ deliverables })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables[2].name",
      message: /"DX 5.1" is already deliverable 0/,
    });
  });

  it("checks every field of every deliverable, naming it", () => {
    const s = session(started());
    const bad = (overrides: Record<string, unknown>) =>
      completed({ deliverables: [deliverable("printmaster 5.1", 0), deliverable("DX 5.1", 1, overrides as Partial<RenderDeliverable>)] });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: "" }, "name", "invalid-value"],
      [{ name: "DX\u202e" }, "name", "invalid-value"],
      [{ mediaKey: "" }, "mediaKey", "invalid-value"],
      [{ mediaKey: "renders/not-a-uuid" }, "mediaKey", "invalid-media-key"],
      [{ mediaKey: "staging/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d" }, "mediaKey", "invalid-media-key"],
      [{ qcReportKey: "../qc.json" }, "qcReportKey", "invalid-media-key"],
      [{ qcReportKey: undefined }, "qcReportKey", "invalid-value"],
      [{ layout: " " }, "layout", "invalid-value"],
      [{ integratedLufs: Number.NEGATIVE_INFINITY }, "integratedLufs", "invalid-value"],
      [{ integratedLufs: Number.NaN }, "integratedLufs", "invalid-value"],
      [{ integratedLufs: -200.5 }, "integratedLufs", "invalid-value"],
      [{ integratedLufs: "-23" }, "integratedLufs", "invalid-value"],
      [{ truePeakDbtp: 30.01 }, "truePeakDbtp", "invalid-value"],
      [{ truePeakDbtp: Number.POSITIVE_INFINITY }, "truePeakDbtp", "invalid-value"],
      [{ qcPass: "yes" }, "qcPass", "invalid-value"],
      [{ qcPass: undefined }, "qcPass", "invalid-value"],
    ];
    for (const [overrides, field, reason] of cases) {
      expectError(() => decide(s, bad(overrides)), {
        kind: "validation",
        reason: reason as "invalid-value",
        field: `deliverables[1].${field}`,
      });
    }
    expectError(() => decide(s, completed({ deliverables: [null as unknown as RenderDeliverable] })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables[0]",
    });
    // The media store's content-addressed keys are keys too.
    const content = deliverable("DX 5.1", 1, { mediaKey: mediaKeyFor("dx.wav") });
    expect(decide(s, completed({ deliverables: [deliverable("printmaster 5.1", 0), content, deliverable("M&E 5.1", 2)] }))).toHaveLength(1);
  });

  it("checks the deliverable list and the chunk counts", () => {
    const s = session(started());
    expectError(() => decide(s, completed({ deliverables: [] })), { kind: "validation", reason: "invalid-value", field: "deliverables" });
    const many = Array.from({ length: 65 }, (_, i) => deliverable(`stem ${i}`, i));
    expectError(() => decide(s, completed({ deliverables: many })), {
      kind: "validation",
      reason: "invalid-value",
      field: "deliverables",
      message: /at most 64/,
    });
    for (const [field, value] of [
      ["chunksRendered", -1],
      ["chunksRendered", 1.5],
      ["chunksReused", 2 ** 32],
      ["chunksReused", Number.NaN],
    ] as const) {
      expectError(() => decide(s, completed({ [field]: value })), { kind: "validation", reason: "invalid-value", field });
    }
  });

  it("refuses an unknown render, a completed one and a failed one", () => {
    expectError(() => decide(session(), completed()), { kind: "not-found", reason: "render-not-found", field: "renderId" });
    expectError(() => decide(session(started(), completed()), completed()), {
      kind: "illegal-state",
      reason: "render-not-running",
      message: /already completed/,
    });
    expectError(() => decide(session(started(), failed()), completed()), {
      kind: "illegal-state",
      reason: "render-not-running",
      message: /already failed/,
    });
  });
});

describe("RecordRenderFailed", () => {
  it("records the reason and marks the render failed", () => {
    expect(decide(session(started()), failed())).toEqual([
      { type: "RenderFailed", data: { renderId: "render-1", reason: "chunk 12: out of memory" } },
    ]);
    expect(session(started(), failed()).renders.get("render-1")).toMatchObject({ status: "failed", reason: "chunk 12: out of memory" });
    expect(session(started(), failed()).renders.get("render-1")).not.toHaveProperty("result");
  });

  it("needs a reason of 1 to 4000 characters (line breaks allowed)", () => {
    const s = session(started());
    for (const reason of ["", " \n ", "r".repeat(4001), "bad\u0000byte"]) {
      expectError(() => decide(s, failed({ reason })), { kind: "validation", reason: "invalid-value", field: "reason" });
    }
    expect(decide(s, failed({ reason: `${"r".repeat(3990)}\nline 2` }))).toHaveLength(1);
  });

  it("refuses an unknown render and one that already ended", () => {
    expectError(() => decide(session(), failed()), { kind: "not-found", reason: "render-not-found", field: "renderId" });
    expectError(() => decide(session(started(), completed()), failed()), {
      kind: "illegal-state",
      reason: "render-not-running",
      field: "renderId",
      message: /render "render-1" already completed/,
    });
    expectError(() => decide(session(started(), failed()), failed()), { kind: "illegal-state", reason: "render-not-running" });
  });
});

describe("the render lifecycle in a batch", () => {
  it("refuses the whole batch when one step is refused, naming the command", () => {
    const s = session(started());
    const error = expectError(() => decideBatch(s, [progress(), completed(), progress()], { version: 2 }), {
      kind: "illegal-state",
      reason: "render-not-running",
      field: "commands[2].renderId",
    });
    expect(error.commandIndex).toBe(2);
  });

  it("touches no track type, so only session-level roles may record it", () => {
    const s = session(started());
    for (const command of [started(), progress(), completed(), failed()]) expect(trackTypesTouchedBy(command, s)).toEqual([]);
  });
});

describe("evolve", () => {
  it("refuses render events of a render the stream never started, and a second start", () => {
    for (const event of [
      { type: "RenderProgress", data: { renderId: "x", done: 0, total: 1 } },
      { type: "RenderCompleted", data: { renderId: "x", deliverables: [], chunksRendered: 0, chunksReused: 0 } },
      { type: "RenderFailed", data: { renderId: "x", reason: "r" } },
    ] as const) {
      expect(() => evolve(session(), event)).toThrow(SessionEventApplyError);
    }
    const start = {
      type: "RenderStarted",
      data: { renderId: "x", sessionVersion: 1, profileId: "p", planHash: "h", deliverables: ["a"], chunks: 1 },
    } as const;
    expect(() => evolve(evolve(session(), start), start)).toThrow(/render "x" exists/);
  });

  it("reads what proto JSON leaves out (zeros, false, empty lists) as the defaults", () => {
    const s = replay(
      [
        { type: "RenderStarted", data: { renderId: "r", sessionVersion: 1, profileId: "p", planHash: "h" } as never },
        { type: "RenderProgress", data: { renderId: "r" } as never },
        {
          type: "RenderCompleted",
          data: {
            renderId: "r",
            deliverables: [{ name: "DX", mediaKey: renderKey(1), qcReportKey: renderKey(2), layout: "2.0" }],
          } as never,
        },
      ],
      session(),
    );
    expect(s?.renders.get("r")).toEqual({
      renderId: "r",
      sessionVersion: 1,
      profileId: "p",
      planHash: "h",
      deliverables: [],
      chunks: 0,
      status: "completed",
      progress: { done: 0, total: 0 },
      result: {
        deliverables: [
          {
            name: "DX",
            mediaKey: renderKey(1),
            qcReportKey: renderKey(2),
            layout: "2.0",
            integratedLufs: 0,
            truePeakDbtp: 0,
            qcPass: false,
          },
        ],
        chunksRendered: 0,
        chunksReused: 0,
      },
    });
  });

  it("leaves the state it is given untouched", () => {
    const before = session(started());
    const after = evolve(before, { type: "RenderFailed", data: { renderId: "render-1", reason: "r" } });
    expect(before.renders.get("render-1")?.status).toBe("running");
    expect(after?.renders.get("render-1")?.status).toBe("failed");
    expect(after?.tracks).toBe(before.tracks);
  });
});
