import { printable } from "../shared/printable.ts";
import type { ClipView, SessionView, TrackView } from "./session-view.ts";

/**
 * The tracklay for people: a header, then each track that has clips with its clips in timeline order
 * (timecode range, samples, gain, fades, crossfades), the empty tracks on one line, then the markers.
 */
export function formatTracklay(session: SessionView): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [
    `${session.name}  (session ${session.sessionId}, version ${session.version})`,
    `${session.template} template, ${session.frameRate} fps, ${session.sampleRate} Hz, starts ${session.startTimecode}`,
    `${plural(session.trackCount, "track")}, ${plural(session.clipCount, "clip")}, ${plural(session.crossfades.length, "crossfade")}, ${plural(session.markers.length, "marker")}`,
  ];
  const clipNames = new Map(session.tracks.flatMap((t) => t.clips.map((c) => [c.clipId, c.name] as const)));
  const withClips = session.tracks.filter((t) => t.clips.length > 0);
  for (const track of withClips) {
    lines.push("", trackHeading(track));
    for (const clip of track.clips) lines.push(...clipLines(clip, session, clipNames));
  }
  const empty = session.tracks.filter((t) => t.clips.length === 0);
  if (empty.length > 0) lines.push("", `Empty tracks (${empty.length}): ${empty.map((t) => t.name).join(", ")}`);
  if (session.markers.length > 0) {
    lines.push("", "Markers");
    for (const marker of session.markers) {
      lines.push(
        `  ${marker.position.timecode}  @${marker.position.samples}  ${marker.name}${marker.comment ? ` (${marker.comment})` : ""}` +
          `${marker.length > 0 ? `  len ${marker.length}` : ""}${marker.color ? `  ${marker.color}` : ""}`,
      );
    }
  }
  if (session.media.length > 0) {
    lines.push("", `Media (${session.media.length})`);
    for (const m of session.media) {
      const tape = m.identity?.tapeName ? `, tape ${m.identity.tapeName}` : "";
      const tc = m.identity?.sourceTimecode ? ` ${m.identity.sourceTimecode}` : "";
      lines.push(
        `  ${m.fileName}  ${m.channels} ch, ${m.sampleRate} Hz, ${m.bitDepth} bit, ${m.lengthSamples} samples, ${m.origin}${tape}${tc}`,
      );
    }
  }
  // Names come from any client: a control character in one must not reach the terminal or split a line.
  return lines.map(printable).join("\n");
}

/**
 * The mix is shown only when it is not the default (0 dB, centre, not muted or soloed). A lane with points
 * overrides its constant, so it is shown instead of it, by its point count.
 */
function trackHeading(track: TrackView): string {
  const mix: string[] = [];
  const points = (n: number) => `${n} point${n === 1 ? "" : "s"}`;
  if (track.volumeAutomation.length > 0) mix.push(`vol automation ${points(track.volumeAutomation.length)}`);
  else if (track.mix.volumeDb !== 0) mix.push(`vol ${formatGain(track.mix.volumeDb)}`);
  if (track.panAutomation.length > 0) mix.push(`pan automation ${points(track.panAutomation.length)}`);
  else if (track.mix.pan !== 0) mix.push(`pan ${track.mix.pan > 0 ? "R" : "L"}${Math.abs(track.mix.pan).toFixed(2)}`);
  if (track.mix.muted) mix.push("muted");
  if (track.mix.solo) mix.push("solo");
  return `${track.name}  [${track.type}, ${track.channelFormat}]${mix.length > 0 ? `  ${mix.join(", ")}` : ""}`;
}

function clipLines(clip: ClipView, session: SessionView, clipNames: ReadonlyMap<string, string>): string[] {
  const details = [`@${clip.start.samples}`, `len ${clip.length}`, `gain ${formatGain(clip.gainDb)}`];
  if (clip.muted) details.push("muted");
  if (clip.fadeIn) details.push(`fade in ${clip.fadeIn.length} ${clip.fadeIn.shape}`);
  if (clip.fadeOut) details.push(`fade out ${clip.fadeOut.length} ${clip.fadeOut.shape}`);
  if (clip.volume.length > 0) details.push(`automation ${clip.volume.length} point${clip.volume.length === 1 ? "" : "s"}`);
  if (clip.source && clip.source.channelSources.length > 0) details.push(`multi-mono ${clip.source.channelSources.length} files`);
  for (const x of session.crossfades) {
    if (x.outgoingClipId === clip.clipId) {
      details.push(`crossfade ${x.length} ${x.shape} ${x.alignment} into "${clipNames.get(x.incomingClipId) ?? x.incomingClipId}"`);
    }
  }
  return [`  ${clip.start.timecode} - ${clip.end.timecode}  ${clip.name}`, `      ${details.join(", ")}`];
}

/** +0.0 dB, -3.5 dB. */
export function formatGain(gainDb: number): string {
  return `${gainDb >= 0 ? "+" : ""}${gainDb.toFixed(1)} dB`;
}
