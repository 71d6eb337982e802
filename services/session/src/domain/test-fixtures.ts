// Helpers for the domain's unit tests (not exported from the domain index).
import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { ClipSpec, CreateSession, SessionCommand } from "./commands.ts";
import { decideBatch } from "./decide-batch.ts";
import { SessionDomainError } from "./errors.ts";
import type { Session, SessionState } from "./model.ts";

/** One second at 48 kHz, and 01:00:00:00 at 24 fps. */
export const SECOND = 48_000;
export const HOUR_ONE = 3600 * SECOND;

/** A content-addressed media store key (`media/sha256/<ab>/<cd>/<sha256>`) standing for the file `name`. */
export function mediaKeyFor(name: string): string {
  const sha256 = createHash("sha256").update(name).digest("hex");
  return `media/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The media key the test clips use. */
export const TEST_MEDIA_KEY = mediaKeyFor("sc12-t3.wav");

export const createFilm: CreateSession = {
  type: "CreateSession",
  sessionId: "reel-1",
  name: "Reel 1",
  template: "FILM",
  frameRate: "24",
  sampleRate: 48_000,
  startTimecode: "01:00:00:00",
};

export function run(state: SessionState, ...commands: SessionCommand[]): Session {
  const result = decideBatch(state, commands).state;
  if (result === undefined) throw new Error("no session after the batch");
  return result;
}

export function film(...commands: SessionCommand[]): Session {
  return run(undefined, createFilm, ...commands);
}

/** A one-second DX clip at 01:00:00:00 with a one-second head handle and a two-second tail handle. */
export function clipSpec(overrides: Partial<ClipSpec> = {}): ClipSpec {
  return {
    clipId: "c1",
    trackId: "dx-1",
    name: "Line 1",
    position: HOUR_ONE,
    length: SECOND,
    source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: SECOND, sourceLength: 4 * SECOND, channel: 1 },
    ...overrides,
  };
}

export function place(overrides: Partial<ClipSpec> = {}): SessionCommand {
  return { type: "PlaceClip", clip: clipSpec(overrides) };
}

export function expectError(
  fn: () => unknown,
  expected: { kind: SessionDomainError["kind"]; reason: SessionDomainError["reason"]; field?: string; message?: RegExp },
): SessionDomainError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a SessionDomainError").toBeInstanceOf(SessionDomainError);
  const error = caught as SessionDomainError;
  expect({ kind: error.kind, reason: error.reason }).toEqual({ kind: expected.kind, reason: expected.reason });
  if (expected.field !== undefined) expect(error.field).toBe(expected.field);
  if (expected.message !== undefined) expect(error.message).toMatch(expected.message);
  return error;
}
