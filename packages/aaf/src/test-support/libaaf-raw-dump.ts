/**
 * Reads LibAAF `aaftool --pos-format raw` dumps (`../shared/corpus/aaf/reference/*.aaftool.raw.txt`) into
 * plain data, so tests can compare our reading of each corpus file with LibAAF's, field by field. Only the
 * parts we compare are read: summary, audio/video tracks (with their pan and pan/volume automation), clips,
 * crossfades and markers. Positions are in each track's edit units, as in the dump.
 */

export interface LibaafDump {
  /** aaftool's exit status (255: it could not open the file). */
  readonly exit: number;
  readonly compositionName: string | null;
  readonly tcEditRate: string | null;
  readonly tcFps: number | null;
  readonly dropFrame: boolean | null;
  readonly compositionStart: number | null;
  readonly compositionEnd: number | null;
  readonly tracks: readonly LibaafTrack[];
  readonly markers: readonly LibaafMarker[];
}

export interface LibaafTrack {
  readonly kind: "audio" | "video";
  /** 1-based, as printed. */
  readonly index: number;
  readonly editRate: string;
  /** "MONO", "STEREO", "5.1", "7.1", "Unknwn" (LibAAF's spelling) for audio; null for video. */
  readonly format: string | null;
  readonly name: string | null;
  readonly mute: boolean;
  readonly solo: boolean;
  /** Constant track pan as printed, 0..1 (0.5 centre, two decimals); null when none or automated ("Pan: (A)"). */
  readonly pan: number | null;
  /** The "Track Pan Automation" points (time 0..1 of the group, value 0..1, six decimals); null unless "Pan: (A)". */
  readonly panAutomation: readonly LibaafPoint[] | null;
  /** The "Track Volume Automation" points (linear values); null unless the track's "Gain: (A)". */
  readonly volumeAutomation: readonly LibaafPoint[] | null;
  readonly items: readonly LibaafItem[];
}

export interface LibaafPoint {
  readonly time: number;
  readonly value: number;
}

export type LibaafItem = LibaafClip | LibaafCrossfade;

export interface LibaafFade {
  /** LibAAF's curve names: "CURV_LIN", "CURV_PWR", ... */
  readonly curve: string;
  readonly length: number;
}

export interface LibaafClip {
  readonly type: "clip";
  readonly index: number;
  readonly start: number;
  readonly length: number;
  readonly sourceOffset: number;
  /** 0 for video clips (LibAAF prints none). */
  readonly channels: number;
  readonly gainDb: number | null;
  readonly fadeIn: LibaafFade | null;
  readonly fadeOut: LibaafFade | null;
  readonly mute: boolean;
  readonly clipName: string | null;
  readonly volumeAutomation: readonly { time: number; value: number }[] | null;
  /** Essence names, one per channel line. */
  readonly sourceFiles: readonly string[];
}

export interface LibaafCrossfade {
  readonly type: "crossfade";
  readonly curve: string;
  readonly length: number;
  readonly cutPoint: number;
}

export interface LibaafMarker {
  readonly editRate: string;
  readonly start: number;
  readonly length: number;
  readonly color: string | null;
  readonly label: string | null;
  readonly comment: string | null;
}

const TRACK = /^ (Audio|Video)Track\[(\d+)\] ::\s+EditRate: (\d+\/\d+) \([^)]*\)(.*)$/;
// Video clips are printed with single spaces and no channel count.
const CLIP = /Clip \((\d+)\):\s+Start: (-?\d+)\s+Len: (\d+)\s+End: -?\d+\s+SourceOffset: (-?\d+)(?:\s+Channels: (\d+))?(.*)$/;
const XFADE = /X-FADE: (\S+)\s+Length: (\d+)\s+CutPoint: (\d+)/;
const SOURCE_FILE = /SourceFile \[ch \d+\]: "(.*)"\s*$/;
const AUTOMATION_POINT = /_time: (-?[\d.]+)\s+_value: (-?[\d.]+)/;
const MARKER = /^ Marker\[\d+\]:\s+EditRate: (\d+\/\d+) \([^)]*\)\s+Start: (-?\d+)\s+Length: (\d+)(.*)$/;

function quoted(rest: string, field: string): string | null {
  const match = new RegExp(`${field}: "((?:[^"]|"(?!\\s+\\w+:|\\s*$))*)"`).exec(rest);
  return match ? (match[1] ?? null) : null;
}

function fade(rest: string, field: string): LibaafFade | null {
  const match = new RegExp(`${field}: (\\S+) \\((\\d+)\\)`).exec(rest);
  return match ? { curve: match[1]!, length: Number(match[2]) } : null;
}

function summaryValue(text: string, label: string): string | null {
  const match = new RegExp(`^ ${label.replace(/[()]/g, "\\$&")}\\s*: (.*)$`, "m").exec(text);
  return match ? match[1]!.trim() : null;
}

export function parseLibaafRawDump(text: string): LibaafDump {
  const exitMatch = /^exit=(\d+)\s*$/m.exec(text);
  const fps = summaryValue(text, "TC FPS");
  const start = summaryValue(text, "Composition Start (EU)");
  const end = summaryValue(text, "Composition End (EU)");
  const tracks: {
    kind: "audio" | "video";
    index: number;
    editRate: string;
    format: string | null;
    name: string | null;
    mute: boolean;
    solo: boolean;
    pan: number | null;
    panAutomation: LibaafPoint[] | null;
    volumeAutomation: LibaafPoint[] | null;
    items: LibaafItem[];
  }[] = [];
  const markers: LibaafMarker[] = [];
  let clip:
    | (Omit<LibaafClip, "sourceFiles" | "volumeAutomation"> & {
        sourceFiles: string[];
        volumeAutomation: { time: number; value: number }[] | null;
      })
    | undefined;
  let inClipAutomation = false;
  // Which track curve the `_time:` lines below a "Track ... Automation" heading belong to.
  let trackCurve: LibaafPoint[] | null = null;

  for (const line of text.split("\n")) {
    const track = TRACK.exec(line);
    if (track) {
      const rest = track[4] ?? "";
      const pan = /Pan: (?:(\(A\))|([\d.]+))/.exec(rest);
      tracks.push({
        kind: track[1] === "Audio" ? "audio" : "video",
        index: Number(track[2]),
        editRate: track[3]!,
        format: /Format: (\S+)/.exec(rest)?.[1] ?? null,
        name: quoted(rest, "Name"),
        mute: /Mute: MUTE/.test(rest),
        solo: /Solo: SOLO/.test(rest),
        pan: pan?.[2] === undefined ? null : Number(pan[2]),
        panAutomation: pan?.[1] === undefined ? null : [],
        volumeAutomation: /Gain: \(A\)/.test(rest) ? [] : null,
        items: [],
      });
      clip = undefined;
      inClipAutomation = false;
      trackCurve = null;
      continue;
    }
    const current = tracks.at(-1);
    if (current && /Track (Pan|Volume) Automation/.test(line)) {
      trackCurve = line.includes("Pan") ? current.panAutomation : current.volumeAutomation;
      inClipAutomation = false;
      continue;
    }
    if (trackCurve !== null) {
      // Printed after the track's last clip, so it is read before the clip lines are.
      const point = AUTOMATION_POINT.exec(line);
      if (point) trackCurve.push({ time: Number(point[1]), value: Number(point[2]) });
      if (point) continue;
      trackCurve = null;
    }
    const clipMatch = CLIP.exec(line);
    if (clipMatch && current) {
      const rest = clipMatch[6] ?? "";
      const gain = /Gain: ([+-]?[\d.]+) dB/.exec(rest);
      clip = {
        type: "clip",
        index: Number(clipMatch[1]),
        start: Number(clipMatch[2]),
        length: Number(clipMatch[3]),
        sourceOffset: Number(clipMatch[4]),
        channels: clipMatch[5] === undefined ? 0 : Number(clipMatch[5]),
        gainDb: gain ? Number(gain[1]) : null,
        fadeIn: fade(rest, "FadeIn"),
        fadeOut: fade(rest, "FadeOut"),
        mute: /Mute: MUTE/.test(rest),
        clipName: quoted(rest, "ClipName"),
        volumeAutomation: /VolumeAutomation: YES/.test(rest) ? [] : null,
        sourceFiles: [],
      };
      current.items.push(clip);
      inClipAutomation = false;
      continue;
    }
    const xfade = XFADE.exec(line);
    if (xfade && current) {
      current.items.push({ type: "crossfade", curve: xfade[1]!, length: Number(xfade[2]), cutPoint: Number(xfade[3]) });
      clip = undefined;
      continue;
    }
    if (clip) {
      const source = SOURCE_FILE.exec(line);
      if (source) clip.sourceFiles.push(source[1]!);
      else if (line.includes("Clip Volume Automation")) inClipAutomation = true;
      else if (line.includes("Automation") && !line.includes("Clip Volume")) inClipAutomation = false;
      else if (inClipAutomation) {
        const point = AUTOMATION_POINT.exec(line);
        if (point) clip.volumeAutomation?.push({ time: Number(point[1]), value: Number(point[2]) });
      }
    }
    const marker = MARKER.exec(line);
    if (marker) {
      const rest = marker[4] ?? "";
      markers.push({
        editRate: marker[1]!,
        start: Number(marker[2]),
        length: Number(marker[3]),
        color: /Color: (#[0-9a-f]+)/i.exec(rest)?.[1] ?? null,
        label: quoted(rest, "Label"),
        comment: quoted(rest, "Comment"),
      });
    }
  }

  return {
    exit: exitMatch ? Number(exitMatch[1]) : 0,
    compositionName: summaryValue(text, "Composition Name"),
    tcEditRate: summaryValue(text, "TC EditRrate"),
    tcFps: fps ? Number(fps.split(" ")[0]) : null,
    dropFrame: fps ? fps.endsWith(" DF") : null,
    compositionStart: start ? Number(start) : null,
    compositionEnd: end ? Number(end.split(" ")[0]) : null,
    tracks,
    markers,
  };
}
