import type { Clip, Crossfade, IngestJob, Marker, MediaRegistration, RenderJob, Session, SessionState, Track } from "../domain/index.ts";

/**
 * The session state as plain JSON for the snapshot store (the domain state holds Maps). Bump
 * SESSION_SNAPSHOT_SCHEMA_VERSION whenever the state shape or `evolve` changes: older snapshots are then
 * ignored and the state is folded from the events, unless listed in SESSION_SNAPSHOT_READABLE_VERSIONS
 * (a shape this codec still reads).
 */
// 2: track mix, marker colour and length, clip automation and channel sources, registered media.
// 3: ingest jobs.
// 4: track automation lanes (Track.volumeAutomation, Track.panAutomation).
// 5: renders (Session.renders).
export const SESSION_SNAPSHOT_SCHEMA_VERSION = 5;

/**
 * Snapshot versions loaded when there is none of the current one, newest first. A version-4 snapshot is a
 * version-5 state without renders, a version-3 one also without track automation, and a version-2 one also
 * without ingests: no stream could hold a RenderStarted (a TrackAutomationSet, an ingest event) before
 * version 5 (4, 3) existed. All decode as they are: a missing `renders`/`ingests` is an empty map, and a
 * track without lanes simply has no `volumeAutomation`/`panAutomation`.
 */
export const SESSION_SNAPSHOT_READABLE_VERSIONS: readonly number[] = Object.freeze([SESSION_SNAPSHOT_SCHEMA_VERSION, 4, 3, 2]);

export interface SessionSnapshotState {
  readonly session: SessionJson | null;
}

interface TrackJson extends Omit<Track, "clips"> {
  readonly clips: readonly Clip[];
}

interface SessionJson extends Omit<Session, "tracks" | "crossfades" | "markers" | "media" | "ingests" | "renders"> {
  readonly tracks: readonly TrackJson[];
  readonly crossfades: readonly Crossfade[];
  readonly markers: readonly Marker[];
  readonly media: readonly MediaRegistration[];
  /** Absent in version-2 snapshots. */
  readonly ingests?: readonly IngestJob[];
  /** Absent in snapshots before version 5. */
  readonly renders?: readonly RenderJob[];
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
      ingests: [...state.ingests.values()],
      renders: [...state.renders.values()],
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
    ingests: new Map((json.ingests ?? []).map((job) => [job.jobId, job])),
    renders: new Map((json.renders ?? []).map((render) => [render.renderId, render])),
  };
}
