// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose and Dockerfile variables are written ${...} in plain strings.
import { describe, expect, it } from "vitest";
import { interpolate } from "./interpolate.ts";

describe("interpolate (compose variable syntax)", () => {
  const env = { SET: "value", EMPTY: "" };

  it.each([
    ["${SET}", "value"],
    ["$SET/x", "value/x"],
    ["${UNSET}", ""],
    ["${UNSET:-fallback}", "fallback"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${EMPTY-fallback}", ""],
    ["${UNSET-fallback}", "fallback"],
    ["${SET:+alt}", "alt"],
    ["${UNSET:+alt}", ""],
    ["$$SET", "$SET"],
    ["a $$ b", "a $ b"],
  ])("%s -> %j", (input, expected) => {
    expect(interpolate({ x: [input] }, env)).toEqual({ x: [expected] });
  });

  it("fails on a missing required variable, naming where", () => {
    expect(() => interpolate({ services: { a: { environment: { K: "${K:?set K}" } } } }, env)).toThrow(
      "/services/a/environment/K: required variable K is missing: set K",
    );
    expect(() => interpolate({ k: "${EMPTY?needed}" }, env)).not.toThrow();
    expect(() => interpolate({ k: "${EMPTY:?needed}" }, env)).toThrow(/EMPTY is missing/);
  });

  it("leaves non-strings alone", () => {
    expect(interpolate({ n: 1, b: true, z: null }, env)).toEqual({ n: 1, b: true, z: null });
  });
});
