import type { Clip, Crossfade, Marker, MediaRegistration, Session, SessionState, Track } from "../domain/index.ts";

/**
 * The session state as plain JSON for the snapshot store (the domain state holds Maps). Bump
 * SESSION_SNAPSHOT_SCHEMA_VERSION whenever the state shape or `evolve` changes: older snapshots are then
 * ignored and the state is folded from the events.
 */
// 2: track mix, marker colour and length, clip automation and channel sources, registered media.
export const SESSION_SNAPSHOT_SCHEMA_VERSION = 2;

export interface SessionSnapshotState {
  readonly session: SessionJson | null;
}

interface TrackJson extends Omit<Track, "clips"> {
  readonly clips: readonly Clip[];
}

interface SessionJson extends Omit<Session, "tracks" | "crossfades" | "markers" | "media"> {
  readonly tracks: readonly TrackJson[];
  readonly crossfades: readonly Crossfade[];
  readonly markers: readonly Marker[];
  readonly media: readonly MediaRegistration[];
}

export function sessionToSnapshot(state: SessionState): SessionSnapshotState {
  if (state === undefined) return { session: null };
  return {
    session: {
      ...state,
      tracks: [...state.tracks.values()].map((track) => ({ ...track, clips: [...track.clips.values()] })),
      crossfades: [...state.crossfades.values()],
      markers: [...state.markers.values()],
      media: [...state.media.values()],
    },
  };
}

export function sessionFromSnapshot(snapshot: SessionSnapshotState): SessionState {
  const json = snapshot.session;
  if (json === null) return undefined;
  return {
    ...json,
    tracks: new Map(
      json.tracks.map((track) => [track.trackId, { ...track, clips: new Map(track.clips.map((clip) => [clip.clipId, clip])) }]),
    ),
    crossfades: new Map(json.crossfades.map((crossfade) => [crossfade.outgoingClipId, crossfade])),
    markers: new Map(json.markers.map((marker) => [marker.markerId, marker])),
    media: new Map(json.media.map((media) => [media.mediaKey, media])),
  };
}
