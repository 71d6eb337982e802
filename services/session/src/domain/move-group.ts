import { atCommand, SessionIllegalStateError } from "./errors.ts";
import type { Session } from "./model.ts";
import { clipEnd, findClip, overlappingNeighbour } from "./timeline.ts";

// Consecutive MoveClip commands in a batch form a group decided as a whole: each move is decided (and
// authorised) against the state left by the ones before it, but the overlap check runs once on the
// positions after the group's last move. So a ripple listed in any order, or two clips swapping places,
// is accepted although an intermediate state would overlap. Only moves join a group: they change no
// fade, trim or crossfade length, so no other check depends on the intermediate positions.

/** Moved clip id -> index of the last command in the group that moved it. */
export type MoveGroup = Map<string, number>;

/**
 * Refuses the group if a clip it moved ends up overlapping a neighbour on its final track, naming that
 * clip's last move (`commandIndex`, field `position`). Clips the group did not move were already apart,
 * so checking each moved clip's two neighbours in timeline order covers every pair: O(k log n) for k moves.
 */
export function requireGroupApart(session: Session, group: MoveGroup): void {
  const inOrder = [...group].sort((a, b) => a[1] - b[1]);
  const first = inOrder[0]?.[1] ?? 0;
  let last = first;
  for (const [, index] of inOrder) last = Math.max(last, index);
  for (const [clipId, index] of inOrder) {
    const clip = findClip(session, clipId);
    if (clip === undefined) continue;
    const track = session.tracks.get(clip.trackId);
    const other = track === undefined ? undefined : overlappingNeighbour(track, clip);
    if (track === undefined || other === undefined) continue;
    const after = first === last ? "" : ` after the moves of commands ${first} to ${last}`;
    throw atCommand(
      new SessionIllegalStateError(
        `position: clip "${clipId}" at [${clip.position}, ${clipEnd(clip)}) would overlap clip "${other.clipId}" ` +
          `at [${other.position}, ${clipEnd(other)}) on track "${track.name}"${after}`,
        "clip-overlap",
        "position",
      ),
      index,
    );
  }
}
