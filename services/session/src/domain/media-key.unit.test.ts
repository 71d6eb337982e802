import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { mediaKeyProblem } from "./media-key.ts";
import { expectError, film, mediaKeyFor, place, SECOND, TEST_MEDIA_KEY } from "./test-fixtures.ts";

const digest = TEST_MEDIA_KEY.slice(-64);

describe("media keys on clips", () => {
  it("accepts the media store's content-addressed and id-based keys", () => {
    for (const key of [
      TEST_MEDIA_KEY,
      mediaKeyFor("other.wav"),
      "renders/3f2b8c1e-7d4a-4b6e-9a1f-0c2d3e4f5a6b",
      "uploads/3f2b8c1e-7d4a-4b6e-9a1f-0c2d3e4f5a6b",
    ]) {
      expect(mediaKeyProblem(key), key).toBeUndefined();
      expect(decide(film(), place({ source: { mediaKey: key, sourceOffset: 0, sourceLength: SECOND, channel: 1 } }))).toHaveLength(1);
    }
  });

  it("refuses made-up keys, naming the field and what is wrong", () => {
    const cases: Array<[string, RegExp]> = [
      ["media/sc12-t3.wav", /media\/sha256\/<ab>\/<cd>/],
      [`media/sha256/00/00/${digest}`, /fan-out/],
      [`media/sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest.toUpperCase()}`, /64 lowercase hex/],
      ["m", /expected media\/sha256/],
      ["m/c1", /not a lowercase UUID/],
      ["staging/3f2b8c1e-7d4a-4b6e-9a1f-0c2d3e4f5a6b", /reserved/],
      ["Renders/3f2b8c1e-7d4a-4b6e-9a1f-0c2d3e4f5a6b", /prefix "Renders"/],
      ["renders/../../etc/passwd", /not a lowercase UUID/],
      [`${TEST_MEDIA_KEY} `, /64 lowercase hex/],
    ];
    for (const [key, message] of cases) {
      expectError(() => decide(film(), place({ source: { mediaKey: key, sourceOffset: 0, sourceLength: SECOND, channel: 1 } })), {
        kind: "validation",
        reason: "invalid-media-key",
        field: "clip.source.mediaKey",
        message,
      });
    }
    expectError(() => decide(film(), place({ source: { mediaKey: 7, sourceOffset: 0, sourceLength: SECOND, channel: 1 } as never })), {
      kind: "validation",
      reason: "invalid-value",
      field: "clip.source.mediaKey",
    });
  });
});
