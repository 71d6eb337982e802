import { SessionEventApplyError } from "./errors.ts";
import { clipFromData, crossfadeFromData, fadeFromData } from "./event-data.ts";
import type { SessionEvent } from "./events.ts";
import type { Clip, Session, SessionState, Track } from "./model.ts";
import { findClip } from "./timeline.ts";
import { channelFormatWire, frameRateWire, sessionTemplateWire, trackTypeWire } from "./wire-enums.ts";

// evolve applies one recorded event. It trusts that decide validated the change, but refuses events that
// cannot apply (unknown ids), since that means a corrupt or misordered stream. Only the touched track's
// clip map is copied, so replaying a reel of 50,000 clips stays linear in practice.

function fail(event: SessionEvent, message: string): never {
  throw new SessionEventApplyError(event.type, message);
}

function trackOf(session: Session, trackId: string, event: SessionEvent): Track {
  return session.tracks.get(trackId) ?? fail(event, `unknown track "${trackId}"`);
}

function clipOf(session: Session, clipId: string, event: SessionEvent): Clip {
  return findClip(session, clipId) ?? fail(event, `unknown clip "${clipId}"`);
}

function withTrack(session: Session, track: Track): Session {
  const tracks = new Map(session.tracks);
  tracks.set(track.trackId, track);
  return { ...session, tracks };
}

function withClips(track: Track, change: (clips: Map<string, Clip>) => void): Track {
  const clips = new Map(track.clips);
  change(clips);
  return { ...track, clips };
}

function replaceClip(session: Session, clip: Clip, event: SessionEvent): Session {
  const track = trackOf(session, clip.trackId, event);
  return withTrack(
    session,
    withClips(track, (clips) => clips.set(clip.clipId, clip)),
  );
}

export function evolve(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === "SessionCreated") {
    if (state !== undefined) fail(event, "the session already exists");
    const d = event.data;
    return {
      sessionId: d.sessionId,
      name: d.name,
      template: sessionTemplateWire.fromWire(d.template, "session template"),
      frameRate: frameRateWire.fromWire(d.frameRate, "frame rate"),
      sampleRate: d.sampleRate,
      startTimecode: d.startTimecode,
      tracks: new Map(
        d.tracks.map((t) => [
          t.trackId,
          {
            trackId: t.trackId,
            name: t.name,
            trackType: trackTypeWire.fromWire(t.trackType, "track type"),
            channelFormat: channelFormatWire.fromWire(t.channelFormat, "channel format"),
            clips: new Map(),
          },
        ]),
      ),
      crossfades: new Map(),
      markers: new Map(),
    };
  }
  if (state === undefined) return fail(event, "the session has not been created");
  const session = state;

  switch (event.type) {
    case "TrackAdded": {
      const d = event.data;
      if (session.tracks.has(d.trackId)) fail(event, `track "${d.trackId}" exists`);
      const track: Track = {
        trackId: d.trackId,
        name: d.name,
        trackType: trackTypeWire.fromWire(d.trackType, "track type"),
        channelFormat: channelFormatWire.fromWire(d.channelFormat, "channel format"),
        clips: new Map(),
      };
      const entries = [...session.tracks.entries()];
      entries.splice(Math.min(d.index, entries.length), 0, [track.trackId, track]);
      return { ...session, tracks: new Map(entries) };
    }
    case "TrackRenamed": {
      const track = trackOf(session, event.data.trackId, event);
      return withTrack(session, { ...track, name: event.data.name });
    }
    case "TrackRemoved": {
      trackOf(session, event.data.trackId, event);
      const tracks = new Map(session.tracks);
      tracks.delete(event.data.trackId);
      return { ...session, tracks };
    }
    case "ClipPlaced": {
      const clip = clipFromData(event.data.clip);
      if (findClip(session, clip.clipId) !== undefined) fail(event, `clip "${clip.clipId}" exists`);
      return replaceClip(session, clip, event);
    }
    case "ClipMoved": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      const from = trackOf(session, clip.trackId, event);
      const removed = withTrack(
        session,
        withClips(from, (clips) => clips.delete(clip.clipId)),
      );
      return replaceClip(removed, { ...clip, trackId: d.trackId, position: d.position }, event);
    }
    case "ClipTrimmed": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      return replaceClip(
        session,
        { ...clip, position: d.position, length: d.length, source: { ...clip.source, sourceOffset: d.sourceOffset } },
        event,
      );
    }
    case "ClipSplit": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      const leftLength = d.splitPosition - clip.position;
      if (leftLength <= 0 || leftLength >= clip.length)
        fail(event, `split position ${d.splitPosition} is not inside clip "${clip.clipId}"`);
      const { fadeOut: _fadeOut, ...rest } = clip;
      const left: Clip = { ...rest, length: leftLength };
      const { fadeIn: _fadeIn, ...rightBase } = clip;
      const right: Clip = {
        ...rightBase,
        clipId: d.newClipId,
        position: d.splitPosition,
        length: clip.length - leftLength,
        source: { ...clip.source, sourceOffset: clip.source.sourceOffset + leftLength },
      };
      let next = replaceClip(session, left, event);
      next = replaceClip(next, right, event);
      const tail = session.crossfades.get(clip.clipId);
      if (tail !== undefined) {
        // The right part now owns the original clip's end, and with it the crossfade leaving it.
        const crossfades = new Map(next.crossfades);
        crossfades.delete(clip.clipId);
        crossfades.set(d.newClipId, { ...tail, outgoingClipId: d.newClipId });
        next = { ...next, crossfades };
      }
      return next;
    }
    case "ClipRemoved": {
      const track = trackOf(session, event.data.trackId, event);
      if (!track.clips.has(event.data.clipId)) fail(event, `unknown clip "${event.data.clipId}"`);
      return withTrack(
        session,
        withClips(track, (clips) => clips.delete(event.data.clipId)),
      );
    }
    case "FadeSet": {
      const d = event.data;
      const { fadeIn: _in, fadeOut: _out, ...clip } = clipOf(session, d.clipId, event);
      const updated: Clip = {
        ...clip,
        ...(d.fadeIn !== undefined && { fadeIn: fadeFromData(d.fadeIn) }),
        ...(d.fadeOut !== undefined && { fadeOut: fadeFromData(d.fadeOut) }),
      };
      return replaceClip(session, updated, event);
    }
    case "CrossfadeSet": {
      const crossfades = new Map(session.crossfades);
      if (event.data.length === 0) crossfades.delete(event.data.outgoingClipId);
      else crossfades.set(event.data.outgoingClipId, crossfadeFromData(event.data));
      return { ...session, crossfades };
    }
    case "ClipGainSet": {
      const clip = clipOf(session, event.data.clipId, event);
      return replaceClip(session, { ...clip, gainDb: event.data.gainDb }, event);
    }
    case "MarkerAdded": {
      const d = event.data;
      const markers = new Map(session.markers);
      markers.set(d.markerId, { markerId: d.markerId, position: d.position, name: d.name, comment: d.comment });
      return { ...session, markers };
    }
  }
}

/** Folds events over a state (initially no session). */
export function replay(events: Iterable<SessionEvent>, state: SessionState = undefined): SessionState {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}
