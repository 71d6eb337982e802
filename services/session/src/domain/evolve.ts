import { automationWindow } from "./automation.ts";
import { SessionEventApplyError } from "./errors.ts";
import {
  clipFromData,
  copyPoints,
  copyTrackPoints,
  crossfadeFromData,
  deliverableFromData,
  fadeFromData,
  mediaFromData,
  mixFromData,
  summaryFromData,
} from "./event-data.ts";
import type { SessionEvent } from "./events.ts";
import {
  type AutomationPoint,
  type Clip,
  DEFAULT_TRACK_MIX,
  type IngestJob,
  type RenderJob,
  type Session,
  type SessionState,
  type Track,
} from "./model.ts";
import { SessionDraft } from "./session-draft.ts";
import { findClip } from "./timeline.ts";
import { withTrackLane } from "./track-automation.ts";
import {
  automationLaneWire,
  channelFormatWire,
  frameRateWire,
  ingestFormatWire,
  sessionTemplateWire,
  trackTypeWire,
} from "./wire-enums.ts";

// evolve applies one recorded event. It trusts that decide validated the change, but refuses events that
// cannot apply (unknown ids), since that means a corrupt or misordered stream.

function fail(event: SessionEvent, message: string): never {
  throw new SessionEventApplyError(event.type, message);
}

function trackOf(session: Session, trackId: string, event: SessionEvent): Track {
  return session.tracks.get(trackId) ?? fail(event, `unknown track "${trackId}"`);
}

function clipOf(session: Session, clipId: string, event: SessionEvent): Clip {
  return findClip(session, clipId) ?? fail(event, `unknown clip "${clipId}"`);
}

function ingestOf(session: Session, jobId: string, event: SessionEvent): IngestJob {
  return session.ingests.get(jobId) ?? fail(event, `unknown ingest job "${jobId}"`);
}

function renderOf(session: Session, renderId: string, event: SessionEvent): RenderJob {
  return session.renders.get(renderId) ?? fail(event, `unknown render "${renderId}"`);
}

function createSession(event: SessionEvent & { type: "SessionCreated" }): Session {
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
          mix: DEFAULT_TRACK_MIX,
          clips: new Map(),
        },
      ]),
    ),
    crossfades: new Map(),
    markers: new Map(),
    media: new Map(),
    ingests: new Map(),
    renders: new Map(),
  };
}

/** A clip with the automation of the window [from, to] of its old automation (see automation.ts). */
function withVolume<C extends Clip>(clip: C, volume: readonly AutomationPoint[] | undefined, from: number, to: number): C {
  const { volume: _old, ...rest } = clip;
  const windowed = volume === undefined ? undefined : automationWindow(volume, from, to);
  return (windowed === undefined ? rest : { ...rest, volume: windowed }) as C;
}

/** Applies one event to a draft. */
export function applyEvent(draft: SessionDraft, event: SessionEvent): void {
  const state = draft.current;
  if (event.type === "SessionCreated") {
    if (state !== undefined) fail(event, "the session already exists");
    draft.create(createSession(event));
    return;
  }
  if (state === undefined) fail(event, "the session has not been created");
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
        mix: mixFromData(d.mix),
        clips: new Map(),
      };
      if (d.index >= session.tracks.size) {
        draft.setTrack(track);
      } else {
        const entries = [...session.tracks.entries()];
        entries.splice(d.index, 0, [track.trackId, track]);
        draft.setTrackOrder(entries);
      }
      return;
    }
    case "TrackRenamed": {
      draft.setTrack({ ...trackOf(session, event.data.trackId, event), name: event.data.name });
      return;
    }
    case "TrackRemoved": {
      trackOf(session, event.data.trackId, event);
      draft.deleteTrack(event.data.trackId);
      return;
    }
    case "ClipPlaced": {
      const clip = clipFromData(event.data.clip);
      // decide guarantees session-wide unique ids; checking the target track keeps bulk imports fast.
      if (trackOf(session, clip.trackId, event).clips.has(clip.clipId)) fail(event, `clip "${clip.clipId}" exists`);
      draft.setClip(clip);
      return;
    }
    case "ClipMoved": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      trackOf(session, d.trackId, event);
      draft.deleteClip(clip.trackId, clip.clipId);
      draft.setClip({ ...clip, trackId: d.trackId, position: d.position });
      return;
    }
    case "ClipTrimmed": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      // Automation follows the audio: the window of the new edges, in old-clip offsets.
      const from = d.position - clip.position;
      const trimmed = { ...clip, position: d.position, length: d.length, source: { ...clip.source, sourceOffset: d.sourceOffset } };
      draft.setClip(withVolume(trimmed, clip.volume, from, from + d.length));
      return;
    }
    case "ClipSplit": {
      const d = event.data;
      const clip = clipOf(session, d.clipId, event);
      const leftLength = d.splitPosition - clip.position;
      if (leftLength <= 0 || leftLength >= clip.length)
        fail(event, `split position ${d.splitPosition} is not inside clip "${clip.clipId}"`);
      const { fadeOut: _fadeOut, ...left } = clip;
      const { fadeIn: _fadeIn, ...right } = clip;
      draft.setClip(withVolume({ ...left, length: leftLength }, clip.volume, 0, leftLength));
      draft.setClip(
        withVolume(
          {
            ...right,
            clipId: d.newClipId,
            position: d.splitPosition,
            length: clip.length - leftLength,
            source: { ...clip.source, sourceOffset: clip.source.sourceOffset + leftLength },
          },
          clip.volume,
          leftLength,
          clip.length,
        ),
      );
      const tail = session.crossfades.get(clip.clipId);
      if (tail !== undefined) {
        // The right part now owns the original clip's end, and with it the crossfade leaving it.
        draft.deleteCrossfade(clip.clipId);
        draft.setCrossfade({ ...tail, outgoingClipId: d.newClipId });
      }
      return;
    }
    case "ClipRemoved": {
      const track = trackOf(session, event.data.trackId, event);
      if (!track.clips.has(event.data.clipId)) fail(event, `unknown clip "${event.data.clipId}"`);
      draft.deleteClip(track.trackId, event.data.clipId);
      return;
    }
    case "FadeSet": {
      const d = event.data;
      const { fadeIn: _in, fadeOut: _out, ...clip } = clipOf(session, d.clipId, event);
      draft.setClip({
        ...clip,
        ...(d.fadeIn !== undefined && { fadeIn: fadeFromData(d.fadeIn) }),
        ...(d.fadeOut !== undefined && { fadeOut: fadeFromData(d.fadeOut) }),
      });
      return;
    }
    case "CrossfadeSet": {
      if (event.data.length === 0) draft.deleteCrossfade(event.data.outgoingClipId);
      else draft.setCrossfade(crossfadeFromData(event.data));
      return;
    }
    case "ClipGainSet": {
      draft.setClip({ ...clipOf(session, event.data.clipId, event), gainDb: event.data.gainDb });
      return;
    }
    case "MarkerAdded": {
      const d = event.data;
      draft.setMarker({
        markerId: d.markerId,
        position: d.position,
        name: d.name,
        comment: d.comment,
        ...(d.color !== undefined && d.color !== "" && { color: d.color }),
        length: d.length ?? 0,
      });
      return;
    }
    case "ClipAutomationSet": {
      const { volume: _old, ...clip } = clipOf(session, event.data.clipId, event);
      const volume = event.data.volume ?? [];
      draft.setClip(volume.length === 0 ? clip : { ...clip, volume: copyPoints(volume) });
      return;
    }
    case "TrackMixSet": {
      const { trackId: _id, ...mix } = event.data;
      draft.setTrack({ ...trackOf(session, event.data.trackId, event), mix: mixFromData(mix) });
      return;
    }
    case "TrackAutomationSet": {
      const d = event.data;
      const lane = automationLaneWire.fromWire(d.lane, "automation lane");
      draft.setTrack(withTrackLane(trackOf(session, d.trackId, event), lane, copyTrackPoints(d.points ?? [])));
      return;
    }
    case "MediaRegistered": {
      draft.setMedia(mediaFromData(event.data));
      return;
    }
    case "IngestStarted": {
      const d = event.data;
      if (session.ingests.has(d.jobId)) fail(event, `ingest job "${d.jobId}" exists`);
      draft.setIngest({
        jobId: d.jobId,
        fileName: d.fileName,
        format: ingestFormatWire.fromWire(d.format, "ingest format"),
        sourceKey: d.sourceKey,
        status: "running",
      });
      return;
    }
    case "IngestProgressed": {
      // Progress is on the stream for watchers; the state keeps only the job's status.
      ingestOf(session, event.data.jobId, event);
      return;
    }
    case "IngestCompleted": {
      const job = ingestOf(session, event.data.jobId, event);
      draft.setIngest({ ...job, status: "completed", summary: summaryFromData(event.data.summary) });
      return;
    }
    case "IngestFailed": {
      const d = event.data;
      draft.setIngest({ ...ingestOf(session, d.jobId, event), status: "failed", failedPhase: d.phase, reason: d.reason });
      return;
    }
    case "RenderStarted": {
      const d = event.data;
      if (session.renders.has(d.renderId)) fail(event, `render "${d.renderId}" exists`);
      draft.setRender({
        renderId: d.renderId,
        sessionVersion: d.sessionVersion,
        profileId: d.profileId,
        planHash: d.planHash,
        deliverables: [...(d.deliverables ?? [])],
        chunks: d.chunks ?? 0,
        status: "running",
      });
      return;
    }
    case "RenderProgress": {
      const d = event.data;
      const render = renderOf(session, d.renderId, event);
      // The stem last reported stays when a report names none.
      const stem = d.stem ?? render.progress?.stem;
      draft.setRender({ ...render, progress: { done: d.done ?? 0, total: d.total ?? 0, ...(stem !== undefined && { stem }) } });
      return;
    }
    case "RenderCompleted": {
      const d = event.data;
      const render = renderOf(session, d.renderId, event);
      const result = {
        deliverables: (d.deliverables ?? []).map(deliverableFromData),
        chunksRendered: d.chunksRendered ?? 0,
        chunksReused: d.chunksReused ?? 0,
      };
      draft.setRender({ ...render, status: "completed", result });
      return;
    }
    case "RenderFailed": {
      const d = event.data;
      draft.setRender({ ...renderOf(session, d.renderId, event), status: "failed", reason: d.reason });
      return;
    }
  }
}

/** The state after one event. Pure: the input state is not changed, untouched parts are shared. */
export function evolve(state: SessionState, event: SessionEvent): SessionState {
  const draft = new SessionDraft(state);
  applyEvent(draft, event);
  return draft.finish();
}

/** Folds events over a state (initially no session); equal to evolving one event at a time, but faster. */
export function replay(events: Iterable<SessionEvent>, state: SessionState = undefined): SessionState {
  const draft = new SessionDraft(state);
  for (const event of events) applyEvent(draft, event);
  return draft.finish();
}
