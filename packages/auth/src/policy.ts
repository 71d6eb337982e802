import { ForbiddenError } from "./errors.ts";
import { type Actor, isTrackType, type Role, type TrackType } from "./roles.ts";

/**
 * What an edit changes: `content` is anything structural (add/move/trim/delete clips, swap takes, add tracks);
 * `gain-fade` is only clip gain and fade shapes/lengths, the mixer's territory.
 */
export type EditScope = "content" | "gain-fade";

/** An action to authorize. Edits name every track type they touch; none means a session-level edit. */
export type Action =
  | { readonly type: "session.create" }
  | { readonly type: "session.read" }
  | { readonly type: "session.watch" }
  | { readonly type: "session.edit"; readonly tracks: readonly TrackType[]; readonly scope?: EditScope }
  | { readonly type: "render.request" };

export type ActionType = Action["type"];

const ALL_POWERFUL: ReadonlySet<Role> = new Set(["admin", "supervising_sound_editor"]);

/** Track types whose content each editor role owns. */
const CONTENT_OWNERSHIP: Readonly<Partial<Record<Role, readonly TrackType[]>>> = {
  dialogue_editor: ["DX"],
  sound_effects_editor: ["FX", "BG"],
  foley_editor: ["FOLEY"],
};

/**
 * Throws a {@link ForbiddenError} naming role, action and track type unless `actor` may perform `action`.
 * The rules are the table in this package's README; every rule has a unit test.
 */
export function authorize(actor: Actor, action: Action): void {
  const denial = check(actor.role, action);
  if (denial) throw new ForbiddenError(actor.role, denial.action, denial.trackType, denial.why);
}

/** The boolean form of {@link authorize}, e.g. to hide UI affordances. */
export function isAllowed(actor: Actor, action: Action): boolean {
  return check(actor.role, action) === undefined;
}

interface Denial {
  readonly action: string;
  readonly trackType?: string;
  readonly why: string;
}

function check(role: Role, action: Action): Denial | undefined {
  if (ALL_POWERFUL.has(role)) return undefined;
  switch (action.type) {
    case "session.read":
    case "session.watch":
      return undefined;
    case "session.create":
      return { action: action.type, why: "only a supervising sound editor or admin creates sessions" };
    case "render.request":
      return role === "re_recording_mixer"
        ? undefined
        : { action: action.type, why: "renders are requested by the re-recording mixer or supervisor" };
    case "session.edit":
      return checkEdit(role, action.tracks, action.scope ?? "content");
  }
}

function checkEdit(role: Role, tracks: readonly TrackType[], scope: EditScope): Denial | undefined {
  const action = `session.edit (${scope})`;
  if (role === "integration") return { action, why: "integrations are read-only" };
  if (tracks.length === 0) return { action, why: "session-level edits are reserved to the supervising sound editor" };
  const owned = CONTENT_OWNERSHIP[role] ?? [];
  for (const track of tracks) {
    if (!isTrackType(track)) return { action, trackType: String(track), why: "unknown track type" };
    if (owned.includes(track)) continue;
    if (scope === "gain-fade" && role === "re_recording_mixer") continue;
    const why =
      role === "re_recording_mixer"
        ? "the mixer may change only clip gain and fades"
        : `${role} edits only ${owned.join(", ") || "no"} tracks`;
    return { action, trackType: track, why };
  }
  return undefined;
}
