import { describe, expect, it } from "vitest";
import { InvalidByteRangeError } from "./errors.ts";
import { presignExpirySeconds, resolveByteRange, validateContentType, validateMetadata } from "./validation.ts";

describe("resolveByteRange", () => {
  it("resolves the three forms to inclusive offsets", () => {
    expect(resolveByteRange({ start: 0, end: 9 }, 100)).toEqual({ start: 0, end: 9 });
    expect(resolveByteRange({ start: 90, length: 10 }, 100)).toEqual({ start: 90, end: 99 });
    expect(resolveByteRange({ start: 42 }, 100)).toEqual({ start: 42, end: 99 });
  });

  it("rejects ranges outside a zero-length object", () => {
    expect(() => resolveByteRange({ start: 0 }, 0)).toThrow(InvalidByteRangeError);
  });

  it("rejects giving both end and length", () => {
    expect(() => resolveByteRange({ start: 0, end: 3, length: 4 } as never, 100)).toThrow(/either end or length/);
  });
});

describe("content type and metadata", () => {
  it("accepts MIME types with parameters", () => {
    expect(validateContentType("audio/wav")).toBe("audio/wav");
    expect(validateContentType('audio/L24; rate=48000; channels="6"')).toBe('audio/L24; rate=48000; channels="6"');
  });

  it("rejects header injection and non-types", () => {
    for (const bad of ["audio/wav\r\nx-evil: 1", "audio", "", "audio/"]) expect(() => validateContentType(bad)).toThrow(/not a MIME type/);
  });

  it("copies and freezes metadata", () => {
    const input = { reel: "2", scene: "14" };
    const output = validateMetadata(input);
    expect(output).toEqual(input);
    expect(Object.isFrozen(output)).toBe(true);
  });

  it("rejects values with surrounding spaces or control characters", () => {
    expect(() => validateMetadata({ note: " padded" })).toThrow(/printable ASCII/);
    expect(() => validateMetadata({ note: "line\nbreak" })).toThrow(/printable ASCII/);
  });
});

describe("presignExpirySeconds", () => {
  it("defaults to 15 minutes and bounds at one hour", () => {
    expect(presignExpirySeconds(undefined)).toBe(900);
    expect(presignExpirySeconds({ expiresInSeconds: 3600 })).toBe(3600);
    expect(() => presignExpirySeconds({ expiresInSeconds: 3601 })).toThrow(/1 to 3600/);
  });
});
