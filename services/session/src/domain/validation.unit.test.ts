import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { createFilm, film } from "./test-fixtures.ts";

// Names and comments reach terminals, logs and UIs of every client: control and direction-override
// characters are refused at the domain, whatever client sent them.

describe("names and comments", () => {
  it.each([
    ["an escape sequence", "Reel \u001b[31m1"],
    ["a NUL", "Reel\u00001"],
    ["a C1 control", "Reel \u009b1"],
    ["a right-to-left override", "Reel \u202e1"],
    ["a line break", "Reel\n1"],
  ])("refuse %s in a session name, naming the character and where", (_, name) => {
    expect(() => decide(undefined, { ...createFilm, name })).toThrow(
      /name: must not contain control or direction-override characters \(U\+[0-9A-F]{4} at index \d+\)/,
    );
  });

  it("refuses a control character in a track name", () => {
    expect(() => decide(film(), { type: "AddTrack", trackId: "x", name: "DX\u0007", trackType: "DX", channelFormat: "MONO" })).toThrow(
      /U\+0007/,
    );
  });

  it("lets a marker comment hold line breaks and tabs, but not an escape sequence", () => {
    const marker = { type: "AddMarker" as const, markerId: "m1", position: 0, name: "Note", comment: "line 1\n\tline 2" };
    expect(decide(film(), marker)).toHaveLength(1);
    expect(() => decide(film(), { ...marker, comment: "bad \u001b]0;title\u0007" })).toThrow(/comment: must not contain/);
  });

  it("keeps accents, CJK and emoji", () => {
    expect(decide(undefined, { ...createFilm, name: "Bobine 1 — Café 東京 🎬" })[0]?.data).toMatchObject({
      name: "Bobine 1 — Café 東京 🎬",
    });
  });
});
