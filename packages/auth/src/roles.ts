import type { ActorRole } from "@dubstage/event-log";

/** Dubstage roles, as carried in the `role` claim of a token. `admin` is the embedded local administrator. */
export const ROLES = [
  "supervising_sound_editor",
  "dialogue_editor",
  "sound_effects_editor",
  "foley_editor",
  "re_recording_mixer",
  "integration",
  "admin",
] as const;

export type Role = (typeof ROLES)[number];

// Every token role is recorded as the actor role of the events it causes: the event log must know them all
// (it adds only `system`). Compile-time half of the check; roles.unit.test.ts checks the lists are equal.
const _rolesAreActorRoles: readonly ActorRole[] = ROLES;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The track groups of a tracklay; edit permissions are granted per group. */
export const TRACK_TYPES = ["DX", "MX", "FX", "BG", "FOLEY"] as const;

export type TrackType = (typeof TRACK_TYPES)[number];

export function isTrackType(value: unknown): value is TrackType {
  return typeof value === "string" && (TRACK_TYPES as readonly string[]).includes(value);
}

/** Who is calling: the authenticated subject of a token. Field names match event-log's `Actor`. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}
