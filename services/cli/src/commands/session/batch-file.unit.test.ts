import { sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { BatchFileError, parseBatchFile } from "./batch-file.ts";

const parse = (document: unknown) => parseBatchFile(JSON.stringify(document), "edits.json");
const refused = (document: unknown) => {
  try {
    parse(document);
  } catch (error) {
    expect(error).toBeInstanceOf(BatchFileError);
    return (error as Error).message;
  }
  throw new Error("the batch was accepted");
};

describe("session apply batch files", () => {
  it("reads a bare array or an object with expectedVersion and idempotencyKey, commands in the proto JSON mapping", () => {
    const commands = [
      { moveClip: { clipId: "c-1", position: "172800000" } },
      { set_fades: { clip_id: "c-1", fade_in: { length: 2002, shape: "FADE_SHAPE_EQUAL_POWER" } } },
      { addTrack: { name: "DX Alts", trackType: "TRACK_TYPE_DX", channelFormat: "CHANNEL_FORMAT_MONO" } },
    ];
    const bare = parse(commands);
    expect(bare).toMatchObject({ expectedVersion: undefined, idempotencyKey: undefined });
    expect(bare.commands[0]?.moveClip).toEqual({ clipId: "c-1", trackId: "", position: 172_800_000 });
    expect(bare.commands[1]?.setFades?.fadeIn).toEqual({ length: 2002, shape: sessionTimeline.FadeShape.FADE_SHAPE_EQUAL_POWER });
    expect(bare.commands[2]?.addTrack?.trackType).toBe(sessionTimeline.TrackType.TRACK_TYPE_DX);
    const wrapped = parse({ expectedVersion: 16, idempotencyKey: "conform-v3", commands });
    expect(wrapped).toMatchObject({ expectedVersion: 16, idempotencyKey: "conform-v3" });
    expect(wrapped.commands).toHaveLength(3);
  });

  it("names the file and the path of what is wrong, instead of ignoring it", () => {
    expect(() => parseBatchFile("{ nope", "edits.json")).toThrow(/^edits\.json: not valid JSON/);
    expect(refused({ commands: [] })).toBe("edits.json: commands must be a non-empty array of commands");
    expect(refused({ comands: [] })).toBe('edits.json: unknown field "comands" (expected expectedVersion, idempotencyKey, commands)');
    expect(refused([{ moveClp: { clipId: "c" } }])).toMatch(/^edits\.json: commands\[0\]: unknown command "moveClp" \(one of addTrack, /);
    expect(refused([{ moveClip: { clipId: "c" }, removeClip: { clipId: "c" } }])).toBe(
      "edits.json: commands[0] must hold exactly one command (got moveClip, removeClip)",
    );
    expect(refused([{ moveClip: { clipId: "c", postion: 5 } }])).toBe('edits.json: commands[0].moveClip: unknown field "postion"');
    expect(refused([{ moveClip: { clipId: "c", position: "soon" } }])).toBe("edits.json: commands[0].moveClip.position must be a number");
    expect(refused([{ setClipGain: { clipId: 7, gainDb: -3 } }])).toBe("edits.json: commands[0].setClipGain.clipId must be a string");
    expect(refused([{ setFades: { clipId: "c", fadeIn: { length: 1, shape: "LINEAR" } } }])).toBe(
      "edits.json: commands[0]: Unrecognized enum value LINEAR for enum FadeShape",
    );
    expect(refused([{ addMarker: { position: 1, name: "Door \u001b[31mslam" } }])).toBe(
      "edits.json: commands[0].addMarker.name must not contain control characters or escape codes (found \\u{1b})",
    );
    expect(refused({ expectedVersion: -1, commands: [{ removeClip: { clipId: "c" } }] })).toMatch(/expectedVersion must be a whole number/);
    expect(refused({ idempotencyKey: "", commands: [{ removeClip: { clipId: "c" } }] })).toBe(
      "edits.json: idempotencyKey must be 1-200 printable ASCII characters",
    );
  });
});
