import { describe, expect, it } from "vitest";
import {
  escapeSubjectToken,
  MAX_FILTER_SUBJECTS,
  parseSessionEventSubject,
  sessionEventFilterSubjects,
  sessionEventSubject,
  unescapeSubjectToken,
  validateSubjectPrefix,
} from "./subjects.ts";

describe("subject tokens", () => {
  it("leaves UUIDs and plain type names unchanged", () => {
    expect(escapeSubjectToken("0b6f5a2e-8c1d-4f3a-9e7b-2d4c6a8e0f12")).toBe("0b6f5a2e-8c1d-4f3a-9e7b-2d4c6a8e0f12");
    expect(sessionEventSubject("reel_2", "TrackAdded")).toBe("dubstage.session.reel_2.TrackAdded");
  });

  it("escapes every character NATS treats specially, and the escape character itself", () => {
    expect(escapeSubjectToken("a.b")).toBe("a~2Eb");
    expect(escapeSubjectToken("*")).toBe("~2A");
    expect(escapeSubjectToken(">")).toBe("~3E");
    expect(escapeSubjectToken("a b\t")).toBe("a~20b~09");
    expect(escapeSubjectToken("~")).toBe("~7E");
    expect(escapeSubjectToken("é")).toBe("~C3~A9");
    expect(sessionEventSubject("film.reel 1", "v2.ClipAdded")).toBe("dubstage.session.film~2Ereel~201.v2~2EClipAdded");
  });

  it("round-trips, so distinct ids never share a token", () => {
    const samples = ["a.b", "a~2Eb", "~", "x>y*z", "Bühne 3 — Mix", "😀", "plain-id_1"];
    const tokens = samples.map(escapeSubjectToken);
    expect(new Set(tokens).size).toBe(samples.length);
    for (const [i, token] of tokens.entries()) {
      expect(token).toMatch(/^[A-Za-z0-9_~-]+$/);
      expect(unescapeSubjectToken(token)).toBe(samples[i]);
    }
  });

  it("rejects empty tokens and tokens the escaping cannot produce", () => {
    expect(() => escapeSubjectToken("")).toThrow(/must not be empty/);
    expect(() => unescapeSubjectToken("a.b")).toThrow(/not an escaped token/);
    expect(() => unescapeSubjectToken("~2")).toThrow(/not an escaped token/);
    expect(() => unescapeSubjectToken("~2e")).toThrow(/not an escaped token/);
  });

  it("parses a subject back into session id and type", () => {
    expect(parseSessionEventSubject("dubstage.session.film~2Ereel.ClipAdded")).toEqual({ sessionId: "film.reel", eventType: "ClipAdded" });
    expect(parseSessionEventSubject("dubstage.session.only-one")).toBeUndefined();
    expect(parseSessionEventSubject("other.session.a.B")).toBeUndefined();
  });

  it("validates prefixes", () => {
    expect(() => validateSubjectPrefix("dubstage.session")).not.toThrow();
    for (const bad of ["", "a..b", "a.*", "a.>", ".a", "a b"]) expect(() => validateSubjectPrefix(bad), bad).toThrow(/subjectPrefix/);
  });
});

describe("filter subjects", () => {
  it("covers everything, sessions, types, or their product, never overlapping", () => {
    expect(sessionEventFilterSubjects({})).toEqual(["dubstage.session.>"]);
    expect(sessionEventFilterSubjects({ sessionIds: ["s1", "s.2"] })).toEqual(["dubstage.session.s1.*", "dubstage.session.s~2E2.*"]);
    expect(sessionEventFilterSubjects({ eventTypes: ["TrackAdded"] }, "t.x")).toEqual(["t.x.*.TrackAdded"]);
    expect(sessionEventFilterSubjects({ sessionIds: ["a", "b"], eventTypes: ["X", "Y", "X"] })).toEqual([
      "dubstage.session.a.X",
      "dubstage.session.a.Y",
      "dubstage.session.b.X",
      "dubstage.session.b.Y",
    ]);
  });

  it("refuses more filter subjects than a consumer may carry", () => {
    const sessionIds = Array.from({ length: 17 }, (_, i) => `s${i}`);
    const eventTypes = Array.from({ length: 16 }, (_, i) => `T${i}`);
    expect(() => sessionEventFilterSubjects({ sessionIds, eventTypes })).toThrow(new RegExp(`at most ${MAX_FILTER_SUBJECTS}`));
  });
});
