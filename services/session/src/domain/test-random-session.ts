// Random sessions for the property tests (the domain's and the snapshot codec's); not exported from the
// domain index. `randomCommand` draws from the state so cuts, crossfades, moves and refusals all happen,
// and `checkInvariants` is an independent checker of the timeline invariants and of the indexes kept
// beside the state.
import { clipIndexOf } from "./clip-index.ts";
import type { SessionCommand } from "./commands.ts";
import {
  type AutomationPoint,
  CHANNEL_FORMATS,
  type Clip,
  FADE_SHAPES,
  MAX_GAIN_DB,
  MAX_TRACK_VOLUME_DB,
  MIN_GAIN_DB,
  MIN_TRACK_VOLUME_DB,
  type Session,
  TRACK_TYPES,
  type TrackAutomationPoint,
} from "./model.ts";
import { mediaKeyFor, TEST_MEDIA_KEY } from "./test-fixtures.ts";
import { clipsInOrder, incomingCrossfade } from "./timeline.ts";

export function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}

export function allClips(session: Session): Clip[] {
  return [...session.tracks.values()].flatMap((t) => [...t.clips.values()]);
}

// Plain checks (not expect) so thousands of steps stay fast; a failure names the broken invariant.
function check(condition: unknown, message: string): void {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}

export function checkInvariants(session: Session): void {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const track of session.tracks.values()) {
    check(!names.has(track.name), `duplicate track name ${track.name}`);
    names.add(track.name);
    for (const [lane, points, min, max] of [
      ["volume", track.volumeAutomation, MIN_TRACK_VOLUME_DB, MAX_TRACK_VOLUME_DB],
      ["pan", track.panAutomation, -1, 1],
    ] as const) {
      check(points === undefined || points.length > 0, `${track.trackId} holds an empty ${lane} lane`);
      points?.forEach((p, j) => {
        check(Number.isSafeInteger(p.position) && p.position >= 0, `${track.trackId} ${lane} point ${j} at ${p.position}`);
        check(j === 0 || p.position > (points[j - 1]?.position ?? -1), `${track.trackId} ${lane} positions not increasing at ${j}`);
        check(Number.isFinite(p.value) && p.value >= min && p.value <= max, `${track.trackId} ${lane} value ${p.value}`);
      });
    }
    const clips = [...track.clips.values()].sort((a, b) => a.position - b.position);
    clips.forEach((clip, i) => {
      const c = clip.clipId;
      check(!ids.has(c), `duplicate clip id ${c}`);
      ids.add(c);
      check(clip.trackId === track.trackId, `${c} is on ${track.trackId} but says ${clip.trackId}`);
      check(Number.isSafeInteger(clip.position) && clip.position >= 0, `${c} position ${clip.position}`);
      check(Number.isSafeInteger(clip.length) && clip.length >= 1, `${c} length ${clip.length}`);
      check(clip.source.sourceOffset >= 0, `${c} reads before its source`);
      check(clip.source.sourceOffset + clip.length <= clip.source.sourceLength, `${c} reads past its source`);
      check(clip.gainDb >= MIN_GAIN_DB && clip.gainDb <= MAX_GAIN_DB, `${c} gain ${clip.gainDb}`);
      check(clip.volume === undefined || clip.volume.length > 0, `${c} holds an empty automation list`);
      clip.volume?.forEach((p, j) => {
        check(p.offset >= 0 && p.offset <= clip.length, `${c} automation point ${j} at ${p.offset} outside the clip`);
        check(j === 0 || p.offset > (clip.volume?.[j - 1]?.offset ?? -1), `${c} automation offsets not increasing at ${j}`);
        check(p.gainDb >= MIN_GAIN_DB && p.gainDb <= MAX_GAIN_DB, `${c} automation gain ${p.gainDb}`);
      });
      const next = clips[i + 1];
      check(next === undefined || clip.position + clip.length <= next.position, `${c} overlaps ${next?.clipId}`);
    });
    // The timeline index beside the state lists exactly the track's clips in position order.
    const indexed = clipsInOrder(track);
    check(indexed.length === clips.length, `timeline index of ${track.trackId} holds ${indexed.length} of ${clips.length} clips`);
    indexed.forEach((clip, i) => {
      check(clip === clips[i], `timeline index of ${track.trackId} out of order at ${i}`);
    });
  }
  const index = clipIndexOf(session).toMap();
  check(index.size === ids.size, `clip index holds ${index.size} clips, tracks hold ${ids.size}`);
  for (const [clipId, trackId] of index) check(session.tracks.get(trackId)?.clips.has(clipId), `clip index: ${clipId} not on ${trackId}`);
  const head = new Map<string, number>();
  const tail = new Map<string, number>();
  for (const [key, x] of session.crossfades) {
    check(key === x.outgoingClipId, `crossfade keyed ${key} leaves ${x.outgoingClipId}`);
    const out = session.tracks.get(x.trackId)?.clips.get(x.outgoingClipId);
    const inc = session.tracks.get(x.trackId)?.clips.get(x.incomingClipId);
    if (!out || !inc) throw new Error(`invariant broken: crossfade ${key} refers to missing clips`);
    check(out.position + out.length === inc.position, `crossfade ${key} is not on a cut`);
    const pre = x.alignment === "PRE_CUT" ? x.length : x.alignment === "POST_CUT" ? 0 : Math.floor(x.length / 2);
    const post = x.length - pre;
    check(post <= out.source.sourceLength - out.source.sourceOffset - out.length, `crossfade ${key} exceeds the tail handle`);
    check(pre <= inc.source.sourceOffset, `crossfade ${key} exceeds the head handle`);
    check(out.fadeOut === undefined && inc.fadeIn === undefined, `crossfade ${key} shares an edge with a fade`);
    check(!head.has(inc.clipId), `two crossfades into ${inc.clipId}`);
    check(incomingCrossfade(session, inc.clipId) === x, `incoming-crossfade index misses ${key}`);
    tail.set(out.clipId, pre);
    head.set(inc.clipId, post);
  }
  for (const clip of allClips(session)) {
    if (!head.has(clip.clipId)) check(incomingCrossfade(session, clip.clipId) === undefined, `stale incoming crossfade for ${clip.clipId}`);
    const used = (head.get(clip.clipId) ?? clip.fadeIn?.length ?? 0) + (tail.get(clip.clipId) ?? clip.fadeOut?.length ?? 0);
    check(used <= clip.length, `fades overflow clip ${clip.clipId}`);
  }
}

const MULTI_MONO_KEYS = [mediaKeyFor("l.wav"), mediaKeyFor("r.wav"), mediaKeyFor("c.wav")];

function randomVolume(r: ReturnType<typeof prng>, length: number): AutomationPoint[] {
  const points: AutomationPoint[] = [];
  let offset = r.int(0, 2) * 250;
  while (offset <= length && points.length < 5) {
    points.push({ offset, gainDb: r.int(-40, 6) + r.pick([0, 0.5, 0.25]) });
    offset += r.int(1, 8) * 250;
  }
  return points;
}

/** A lane of up to 5 points; now and then one out of order, out of range or not finite (refused). */
function randomTrackLane(r: ReturnType<typeof prng>, pan: boolean): TrackAutomationPoint[] {
  const points: TrackAutomationPoint[] = [];
  let position = r.int(0, 2) * 1000;
  const count = r.next() < 0.15 ? 0 : r.int(1, 5);
  while (points.length < count) {
    points.push({ position, value: pan ? r.int(-10, 10) / 10 : r.int(-150, 14) / 2 });
    position += r.int(r.next() < 0.05 ? -1 : 1, 8) * 1000;
  }
  if (points.length > 0 && r.next() < 0.05) points[0] = { position: points[0]!.position, value: Number.NaN };
  return points;
}

/** Commands on the ingest-facing model: automation, track mix, marker colour and length, media. */
function randomMixCommand(r: ReturnType<typeof prng>, session: Session, counter: () => number): SessionCommand {
  const clips = allClips(session);
  const clip = clips.length > 0 ? r.pick(clips) : undefined;
  const tracks = [...session.tracks.values()];
  const roll = r.int(0, 99);
  if (roll < 30 && clip !== undefined) {
    const volume = r.next() < 0.15 ? [] : randomVolume(r, clip.length + (r.next() < 0.1 ? 1000 : 0));
    return { type: "SetClipAutomation", clipId: clip.clipId, volume };
  }
  if (roll < 40) {
    const track = r.pick(tracks);
    const pan = r.next() < 0.5;
    return { type: "SetTrackAutomation", trackId: track.trackId, lane: pan ? "PAN" : "VOLUME", points: randomTrackLane(r, pan) };
  }
  if (roll < 55) {
    const track = r.pick(tracks);
    return {
      type: "SetTrackMix",
      trackId: track.trackId,
      ...(r.next() < 0.6 && { volumeDb: r.int(-150, 14) }),
      ...(r.next() < 0.5 && { pan: r.int(-12, 12) / 10 }),
      ...(r.next() < 0.3 && { muted: r.next() < 0.5 }),
      ...(r.next() < 0.3 && { solo: r.next() < 0.5 }),
    };
  }
  if (roll < 75) {
    const mediaKey = r.pick(MULTI_MONO_KEYS);
    return {
      type: "RegisterMedia",
      mediaKey,
      fileName: `${mediaKey.slice(-6)}.wav`,
      channels: r.pick([1, 1, 2]),
      sampleRate: 48_000,
      bitDepth: 24,
      lengthSamples: r.pick([400_000, 400_000, 1000]),
      origin: r.pick(["embedded", "linked"] as const),
      ...(r.next() < 0.5 && { identity: { tapeName: "SR004", sourceTimecode: "10:00:00:00" } }),
    };
  }
  if (roll < 88) {
    const track = r.pick(tracks.filter((t) => t.channelFormat === "STEREO" || t.channelFormat === "MONO"));
    const channels = track.channelFormat === "STEREO" ? 2 : 1;
    const length = r.int(1, 20) * 1000;
    const neighbour = [...track.clips.values()].at(-1);
    const position = neighbour !== undefined && r.next() < 0.5 ? neighbour.position + neighbour.length : r.int(0, 200) * 1000;
    const [left, right] = r.next() < 0.5 ? [MULTI_MONO_KEYS[0]!, MULTI_MONO_KEYS[1]!] : [MULTI_MONO_KEYS[1]!, MULTI_MONO_KEYS[2]!];
    return {
      type: "PlaceClip",
      clip: {
        clipId: `c${counter()}`,
        trackId: track.trackId,
        name: "multi-mono",
        position,
        length,
        source: {
          mediaKey: left,
          sourceOffset: 2000,
          sourceLength: 2000 + length + 3000,
          channel: 1,
          channelSources: [
            { mediaKey: left, channel: 1 },
            { mediaKey: right, channel: 1 },
          ].slice(0, r.next() < 0.9 ? channels : 2),
        },
        ...(r.next() < 0.7 && { volume: randomVolume(r, length) }),
      },
    };
  }
  return {
    type: "AddMarker",
    markerId: `m${counter()}`,
    position: r.int(0, 200) * 1000,
    name: "marker",
    ...(r.next() < 0.7 && { color: r.pick(["#ff0000", "#00FF7f", "red"]) }),
    ...(r.next() < 0.5 && { length: r.int(-1, 20) * 1000 }),
  };
}

/** The ingest lifecycle over three job ids: restarts (same or other facts), progress, endings, refusals. */
export function randomIngestCommand(r: ReturnType<typeof prng>): SessionCommand {
  const jobId = r.pick(["job-1", "job-2", "job-3"]);
  const roll = r.int(0, 99);
  if (roll < 35) {
    return {
      type: "RecordIngestStarted",
      jobId,
      fileName: r.pick(["R1.aaf", "R1.aaf", "R2.omf"]),
      format: "aaf",
      sourceKey: `staging/${jobId}`,
    };
  }
  if (roll < 60) {
    const total = r.int(0, 10);
    return { type: "RecordIngestProgress", jobId, phase: r.pick(["parse", "media", "apply"]), done: r.int(0, total + 1), total };
  }
  if (roll < 80) {
    const n = () => r.int(0, 5);
    const summary = {
      tracks: n(),
      clips: n(),
      crossfades: n(),
      markers: n(),
      mediaEmbedded: n(),
      mediaLinked: n(),
      mediaMissing: n(),
      warnings: n(),
    };
    return { type: "RecordIngestCompleted", jobId, summary };
  }
  return { type: "RecordIngestFailed", jobId, phase: "media", reason: r.pick(["A001.wav not found", "bad header\nat byte 512"]) };
}

/**
 * The render lifecycle over three render ids, for a session at `version`: restarts (same or other facts),
 * versions up to two past the current one (refused), progress with and without a stem, endings, refusals.
 */
export function randomRenderCommand(r: ReturnType<typeof prng>, version: number): SessionCommand {
  const renderId = r.pick(["render-1", "render-2", "render-3"]);
  const names = ["printmaster 5.1", "DX 5.1", "M&E 5.1"];
  const roll = r.int(0, 99);
  if (roll < 35) {
    return {
      type: "RecordRenderStarted",
      renderId,
      sessionVersion: r.next() < 0.8 ? 1 : r.int(1, version + 2),
      profileId: r.pick(["netflix", "netflix", "ebu-r128"]),
      planHash: "sha256:00ff",
      deliverables: names,
      chunks: 8,
    };
  }
  if (roll < 60) {
    const total = r.int(0, 10);
    return {
      type: "RecordRenderProgress",
      renderId,
      done: r.int(0, total + 1),
      total,
      ...(r.next() < 0.5 && { stem: r.pick(["DX", "MX"]) }),
    };
  }
  if (roll < 80) {
    const delivered = r.next() < 0.9 ? names : names.slice(1);
    return {
      type: "RecordRenderCompleted",
      renderId,
      deliverables: delivered.map((name, i) => ({
        name,
        mediaKey: `renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4${i}`,
        qcReportKey: `renders/1b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4${i}`,
        layout: "5.1",
        integratedLufs: -27 + r.int(-3, 3),
        truePeakDbtp: -2.5,
        qcPass: r.next() < 0.8,
      })),
      chunksRendered: r.int(0, 8),
      chunksReused: r.int(0, 8),
    };
  }
  return { type: "RecordRenderFailed", renderId, reason: r.pick(["out of memory", "disk full\nat chunk 3"]) };
}

export function randomCommand(r: ReturnType<typeof prng>, session: Session, counter: () => number): SessionCommand {
  if (r.next() < 0.15) return randomMixCommand(r, session, counter);
  const tracks = [...session.tracks.values()].slice(0, 4).concat([...session.tracks.values()].slice(-2));
  const clips = allClips(session);
  const clip = clips.length > 0 ? r.pick(clips) : undefined;
  const unit = 1000;
  const roll = r.int(0, 99);
  const clipId = clip?.clipId ?? "missing";
  if (roll < 30 || clip === undefined) {
    const track = r.pick(tracks);
    const length = r.int(1, 20) * unit;
    const offset = r.int(0, 5) * unit;
    // Often place right after an existing clip, so cuts (and crossfades) happen.
    const neighbour = [...track.clips.values()].at(-1);
    const position = neighbour !== undefined && r.next() < 0.5 ? neighbour.position + neighbour.length : r.int(0, 200) * unit;
    return {
      type: "PlaceClip",
      clip: {
        clipId: `c${counter()}`,
        trackId: track.trackId,
        name: "clip",
        position,
        length,
        source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: offset, sourceLength: offset + length + r.int(0, 5) * unit, channel: 1 },
        ...(r.next() < 0.2 && { fadeIn: { length: r.int(1, 8) * 500, shape: r.pick(FADE_SHAPES) } }),
      },
    };
  }
  if (roll < 38)
    return { type: "MoveClip", clipId, position: r.int(0, 200) * unit, ...(r.next() < 0.4 && { trackId: r.pick(tracks).trackId }) };
  if (roll < 48) {
    const start = clip.position + r.int(-3, 3) * 500;
    const end = clip.position + clip.length + r.int(-3, 3) * 500;
    const which = r.int(0, 2);
    return { type: "TrimClip", clipId, ...(which !== 1 && { start }), ...(which !== 0 && { end }) };
  }
  if (roll < 56)
    return { type: "SplitClip", clipId, position: clip.position + r.int(-1, clip.length / 500 + 1) * 500, newClipId: `c${counter()}` };
  if (roll < 61) return { type: "RemoveClip", clipId };
  if (roll < 70) {
    const fade = () => (r.next() < 0.5 ? undefined : { length: r.int(0, 6) * 500, shape: r.pick(FADE_SHAPES) });
    return { type: "SetFades", clipId, ...{ fadeIn: fade(), fadeOut: fade() } } as SessionCommand;
  }
  if (roll < 82) {
    const track = session.tracks.get(clip.trackId)!;
    const after = [...track.clips.values()].find((c) => c.position === clip.position + clip.length);
    return {
      type: "SetCrossfade",
      outgoingClipId: clipId,
      incomingClipId: after?.clipId ?? r.pick(clips).clipId,
      length: r.int(0, 6) * 400,
      shape: r.pick(FADE_SHAPES),
      alignment: r.pick(["CENTERED", "PRE_CUT", "POST_CUT"] as const),
    };
  }
  if (roll < 88) return { type: "SetClipGain", clipId, gainDb: r.int(-150, 30) };
  if (roll < 92)
    return { type: "RenameTrack", trackId: r.pick(tracks).trackId, name: r.pick(["DX 1", "DX 2", "Dialogue", "FX A", "Spare"]) };
  if (roll < 95) {
    return {
      type: "AddTrack",
      trackId: `t${counter()}`,
      name: `Track ${r.int(0, 5)}`,
      trackType: r.pick(TRACK_TYPES),
      channelFormat: r.pick(CHANNEL_FORMATS),
    };
  }
  if (roll < 97) return { type: "RemoveTrack", trackId: r.pick(tracks).trackId };
  return { type: "AddMarker", markerId: `m${counter()}`, position: r.int(-1, 200) * unit, name: "marker" };
}
