import type { CurveKind, Fade, InspectDocument, Track, TrackAutomationPoint, TrackItem } from "@dubstage/interchange";
import type { LibaafDump, LibaafFade, LibaafItem, LibaafPoint, LibaafTrack } from "../test-support/libaaf-raw-dump.ts";

/** One field where our document and LibAAF's dump disagree. `path` names where, e.g. "audio[2].item[3].start". */
export interface Difference {
  readonly path: string;
  readonly ours: unknown;
  readonly libaaf: unknown;
}

/** LibAAF prints dB with one decimal: our value may differ by half a print step plus float noise. */
const DB_TOLERANCE = 0.05 + 1e-9;
const TIME_TOLERANCE = 1e-6 + 1e-9;
/** LibAAF prints automation values (linear) with 6 decimals: below about -80 dB that is coarser than 0.05 dB. */
const LINEAR_PRINT_TOLERANCE = 5e-7 + 1e-12;
/** LibAAF prints a constant pan (0..1) with 2 decimals, automation values with 6; ours are -1..+1 (twice the step). */
const PAN_CONSTANT_TOLERANCE = 2 * 0.005 + 1e-9;
const PAN_POINT_TOLERANCE = 2 * 5e-7 + 1e-9;
/** LibAAF prints silence (gain 0, or any dB at or below it) as -99.0 dB. */
const SILENCE_DB = -99;

const CHANNELS_BY_FORMAT: Readonly<Record<string, number>> = { MONO: 1, STEREO: 2, "5.1": 6, "7.1": 8 };

export function libaafCurve(curve: string): CurveKind {
  if (curve === "CURV_LIN") return "linear";
  if (curve === "CURV_PWR") return "power";
  return "other";
}

/** LibAAF prints 8- or 16-bit colour components; we keep the high byte of each, as "#rrggbb". */
export function libaafColor(color: string | null): string | null {
  if (color === null) return null;
  const hex = color.replace(/^#/, "").toLowerCase();
  if (hex.length === 6) return `#${hex}`;
  if (hex.length === 12) return `#${hex.slice(0, 2)}${hex.slice(4, 6)}${hex.slice(8, 10)}`;
  return color;
}

function linearToDb(value: number): number {
  return value <= 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(value);
}

function sameDb(ours: number, theirs: number): boolean {
  if (theirs <= SILENCE_DB || ours <= SILENCE_DB) return ours <= SILENCE_DB + DB_TOLERANCE && theirs <= SILENCE_DB + DB_TOLERANCE;
  return Math.abs(ours - theirs) <= DB_TOLERANCE;
}

/**
 * Compares the parts of an InspectDocument that LibAAF's `aaftool --pos-format raw` dump shows: the
 * composition, audio tracks (with their pan and pan/volume automation) and their items in order, and markers.
 * Video tracks are left out (LibAAF keeps only one video clip). Returns the differences; an empty list means
 * LibAAF read the file as we did.
 */
export function compareWithLibaaf(doc: InspectDocument, dump: LibaafDump): Difference[] {
  const out: Difference[] = [];
  const differ = (path: string, ours: unknown, libaaf: unknown): void => {
    out.push({ path, ours, libaaf });
  };
  const check = (path: string, ours: unknown, libaaf: unknown): void => {
    if (ours !== libaaf) differ(path, ours, libaaf);
  };

  if (dump.compositionStart !== null) check("composition.start", doc.composition.start, dump.compositionStart);
  if (dump.tcEditRate !== null) check("composition.editRate", doc.composition.editRate, dump.tcEditRate);
  if (dump.tcFps !== null) check("composition.fps", doc.composition.fps, dump.tcFps);
  if (dump.dropFrame !== null) check("composition.dropFrame", doc.composition.dropFrame, dump.dropFrame);

  const ourAudio = doc.tracks.filter((t) => t.kind === "audio");
  const theirAudio = dump.tracks.filter((t) => t.kind === "audio");
  check("audio.count", ourAudio.length, theirAudio.length);
  const count = Math.min(ourAudio.length, theirAudio.length);
  for (let i = 0; i < count; i++) {
    const path = `audio[${i + 1}]`;
    compareTrack(path, ourAudio[i]!, theirAudio[i]!, check, differ);
    compareTrackCurves(path, doc, ourAudio[i]!, theirAudio[i]!, check, differ);
  }

  check("markers.count", doc.markers.length, dump.markers.length);
  const markers = Math.min(doc.markers.length, dump.markers.length);
  for (let i = 0; i < markers; i++) {
    const ours = doc.markers[i]!;
    const theirs = dump.markers[i]!;
    const path = `marker[${i}]`;
    // LibAAF gives a marker in its slot's edit rate; ours are in the composition's.
    const rate = theirs.editRate === doc.composition.editRate ? undefined : ratio(theirs.editRate, doc.composition.editRate);
    check(`${path}.start`, ours.start, rate === undefined ? theirs.start : Math.round(theirs.start * rate));
    check(`${path}.length`, ours.length, rate === undefined ? theirs.length : Math.round(theirs.length * rate));
    check(`${path}.name`, ours.name, theirs.label);
    check(`${path}.comment`, ours.comment, theirs.comment);
    check(`${path}.color`, ours.color, libaafColor(theirs.color));
  }
  return out;
}

/** How many `to` units one `from` unit lasts, both "n/d" edit rates. */
function ratio(from: string, to: string): number {
  const [fn = 1, fd = 1] = from.split("/").map(Number);
  const [tn = 1, td = 1] = to.split("/").map(Number);
  return (tn * fd) / (td * fn);
}

type Check = (path: string, ours: unknown, libaaf: unknown) => void;

function compareTrack(path: string, ours: Track, theirs: LibaafTrack, check: Check, differ: Check): void {
  check(`${path}.editRate`, ours.editRate, theirs.editRate);
  const channels = theirs.format === null ? undefined : CHANNELS_BY_FORMAT[theirs.format];
  // "Unknwn": LibAAF could not tell (e.g. a track without clips); nothing to compare.
  if (channels !== undefined) check(`${path}.channels`, ours.channels, channels);
  check(`${path}.name`, ours.name, theirs.name);
  check(`${path}.mute`, ours.mute, theirs.mute);
  check(`${path}.solo`, ours.solo, theirs.solo);
  check(`${path}.items.count`, ours.items.length, theirs.items.length);
  const count = Math.min(ours.items.length, theirs.items.length);
  for (let i = 0; i < count; i++) compareItem(`${path}.item[${i + 1}]`, ours.items[i]!, theirs.items[i]!, check, differ);
}

/**
 * Track pan (constant, and automation) and track volume automation. LibAAF prints a control point's time as
 * the fraction of its group; ours is a position from 00:00:00:00. A track-level group wraps the slot's whole
 * segment, so it starts at the composition's start and lasts the composition's length (both in the track's
 * units, the start rounded as items' are): that turns our position back into LibAAF's fraction. LibAAF keeps
 * the file's order of points, we sort them by time: its points are compared sorted the same (stable) way.
 */
function compareTrackCurves(path: string, doc: InspectDocument, ours: Track, theirs: LibaafTrack, check: Check, differ: Check): void {
  const pan = ours.pan ?? null;
  if (pan === null || theirs.pan === null) check(`${path}.pan`, pan, theirs.pan === null ? null : 2 * theirs.pan - 1);
  else if (Math.abs(pan - (2 * theirs.pan - 1)) > PAN_CONSTANT_TOLERANCE) differ(`${path}.pan`, pan, 2 * theirs.pan - 1);

  const perUnit = ratio(doc.composition.editRate, ours.editRate);
  const start = Math.round(doc.composition.start * perUnit);
  const span = doc.composition.length * perUnit;
  const fraction = (p: TrackAutomationPoint) => (span === 0 ? 0 : (p.position - start) / span);
  const curve = (
    name: string,
    mine: readonly TrackAutomationPoint[] | null,
    libaaf: readonly LibaafPoint[] | null,
    same: (o: number, t: number) => boolean,
  ) => {
    if (mine === null || libaaf === null) {
      check(`${path}.${name}`, mine === null ? null : "points", libaaf === null ? null : "points");
      return;
    }
    check(`${path}.${name}.count`, mine.length, libaaf.length);
    const sorted = libaaf.map((point, i) => ({ point, i })).sort((a, b) => a.point.time - b.point.time || a.i - b.i);
    for (let p = 0; p < Math.min(mine.length, sorted.length); p++) {
      const o = mine[p]!;
      const t = sorted[p]!.point;
      if (Math.abs(fraction(o) - t.time) > TIME_TOLERANCE) differ(`${path}.${name}[${p}].time`, fraction(o), t.time);
      if (!same(o.value, t.value)) differ(`${path}.${name}[${p}].value`, o.value, t.value);
    }
  };
  curve("panAutomation", ours.panAutomation ?? null, theirs.panAutomation, (o, t) => Math.abs(o - (2 * t - 1)) <= PAN_POINT_TOLERANCE);
  curve(
    "volumeAutomation",
    ours.volumeAutomation ?? null,
    theirs.volumeAutomation,
    (o, t) => sameDb(o, linearToDb(t)) || Math.abs(10 ** (o / 20) - t) <= LINEAR_PRINT_TOLERANCE,
  );
}

function compareFade(path: string, ours: Fade | null, theirs: LibaafFade | null, check: Check): void {
  if (ours === null || theirs === null) {
    check(path, ours === null ? null : "fade", theirs === null ? null : "fade");
    return;
  }
  check(`${path}.curve`, ours.curve, libaafCurve(theirs.curve));
  check(`${path}.length`, ours.length, theirs.length);
}

function compareItem(path: string, ours: TrackItem, theirs: LibaafItem, check: Check, differ: Check): void {
  if (ours.type !== theirs.type) {
    differ(`${path}.type`, ours.type, theirs.type);
    return;
  }
  if (ours.type === "crossfade" && theirs.type === "crossfade") {
    check(`${path}.curve`, ours.curve, libaafCurve(theirs.curve));
    check(`${path}.length`, ours.length, theirs.length);
    check(`${path}.cutPoint`, ours.cutPoint, theirs.cutPoint);
    return;
  }
  if (ours.type !== "clip" || theirs.type !== "clip") return;
  check(`${path}.start`, ours.start, theirs.start);
  check(`${path}.length`, ours.length, theirs.length);
  check(`${path}.sourceOffset`, ours.sourceOffset, theirs.sourceOffset);
  check(`${path}.channels`, ours.channels, theirs.channels);
  check(`${path}.mute`, ours.mute, theirs.mute);
  compareFade(`${path}.fadeIn`, ours.fadeIn, theirs.fadeIn, check);
  compareFade(`${path}.fadeOut`, ours.fadeOut, theirs.fadeOut, check);
  if (ours.gainDb === null || theirs.gainDb === null) check(`${path}.gainDb`, ours.gainDb, theirs.gainDb);
  else if (!sameDb(ours.gainDb, theirs.gainDb)) differ(`${path}.gainDb`, ours.gainDb, theirs.gainDb);

  const ourPoints = ours.volumeAutomation;
  const theirPoints = theirs.volumeAutomation;
  if (ourPoints === null || theirPoints === null) {
    check(`${path}.volumeAutomation`, ourPoints === null ? null : "points", theirPoints === null ? null : "points");
    return;
  }
  check(`${path}.volumeAutomation.count`, ourPoints.length, theirPoints.length);
  const points = Math.min(ourPoints.length, theirPoints.length);
  for (let p = 0; p < points; p++) {
    const o = ourPoints[p]!;
    const t = theirPoints[p]!;
    if (Math.abs(o.time - t.time) > TIME_TOLERANCE) differ(`${path}.volumeAutomation[${p}].time`, o.time, t.time);
    const theirDb = linearToDb(t.value);
    const sameLinear = Math.abs(10 ** (o.valueDb / 20) - t.value) <= LINEAR_PRINT_TOLERANCE;
    if (!sameDb(o.valueDb, theirDb) && !sameLinear) differ(`${path}.volumeAutomation[${p}].valueDb`, o.valueDb, theirDb);
  }
}

/**
 * The document with every audio position and length in samples at `sampleRate`, as aaftool prints them with
 * `--pos-format samples` (its --pt-true-fades / --pt-remove-sae dumps), so they compare with
 * compareWithLibaaf. Edit rates are kept (aaftool still prints each track's). Track automation positions
 * are left as they are: they are compared as fractions of the composition (no Pro Tools file carries pan).
 */
export function documentInSamples(doc: InspectDocument, sampleRate: number): InspectDocument {
  const tracks = doc.tracks.map((track) => {
    const [num = 1, den = 1] = track.editRate.split("/").map(Number);
    // aaftool truncates the converted value (a cast to int64).
    const s = (units: number) => Math.trunc((units * sampleRate * den) / num);
    const fade = (f: Fade | null): Fade | null => (f === null ? null : { ...f, length: s(f.length) });
    const items = track.items.map((item) =>
      item.type === "crossfade"
        ? { ...item, length: s(item.length), cutPoint: s(item.cutPoint) }
        : {
            ...item,
            start: s(item.start),
            length: s(item.length),
            sourceOffset: s(item.sourceOffset),
            fadeIn: fade(item.fadeIn),
            fadeOut: fade(item.fadeOut),
          },
    );
    return { ...track, items };
  });
  return { ...doc, tracks };
}
