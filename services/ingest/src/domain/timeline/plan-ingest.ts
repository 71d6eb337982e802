import type { CurveKind, Marker as DocumentMarker, Track as DocumentTrack } from "@dubstage/interchange";
import type {
  AddTrack,
  AutomationPoint,
  ChannelFormat,
  CrossfadeAlignment,
  EditCommand,
  Fade,
  FadeShape,
  SetTrackAutomation,
  SourceMedia,
  TakeInfo,
  TrackMixSpec,
  TrackType,
} from "@dubstage/session/domain";
import { FRAME_RATES, isFrameRateId } from "@dubstage/timecode";
import { MAX_CLIP_GAIN_DB, MIN_CLIP_GAIN_DB, sessionAutomation } from "./automation.ts";
import { type Feed, resolveFeeds, sessionTrackLayout, sourceOfFeeds } from "./channels.ts";
import { alignmentFor, fitLength, spanOf } from "./crossfade-fit.ts";
import { type EditRate, parseEditRate, RoundingTally, SampleConverter } from "./edit-units.ts";
import { IngestPlanInputError } from "./errors.ts";
import { cleanComment, cleanName, UniqueNames } from "./names.ts";
import { sessionTrackAutomation } from "./track-automation.ts";
import { clipLabel, type LaidClip, layOutTrack } from "./track-layout.ts";
import { trackTypeForName } from "./track-types.ts";
import type { IngestPlan, PlanInput, SkippedClip, SkippedTrack } from "./types.ts";
import { PlanWarnings } from "./warnings.ts";

const MIN_TRACK_VOLUME_DB = -144;
const MAX_TRACK_VOLUME_DB = 12;
const MAX_CHANNELS = 64;
const COLOR = /^#[0-9a-f]{6}$/i;
/**
 * Samples a clip may overrun its media by and still be placed (shortened by them): the source offset and
 * the clip's two edges are each rounded (up to 1.5 samples together) and a file's length may be truncated
 * by a sample, so a clip that plays to the very end of its file can need 2 samples more than it has
 * (Resolve 18.5's 29.97 DF reel does).
 */
const SOURCE_END_TOLERANCE = 2;
/** The session keeps at most this much of `provenance.imported.fileName`. */
const MAX_PROVENANCE_FILE_NAME = 1000;

/** A clip about to be placed on one session track, in session samples. */
interface PlannedClip {
  readonly clipId: string;
  readonly name: string;
  readonly position: number;
  length: number;
  readonly source: SourceMedia;
  fadeIn: Fade | undefined;
  fadeOut: Fade | undefined;
  readonly gainDb: number | undefined;
  readonly muted: boolean;
  volume: AutomationPoint[] | undefined;
  readonly take: TakeInfo | undefined;
  /** Samples of a crossfade inside the clip at its start (after the cut) and at its end (before the cut). */
  incomingPost: number;
  outgoingPre: number;
}

interface PlannedCrossfade {
  readonly outgoingClipId: string;
  readonly incomingClipId: string;
  readonly length: number;
  readonly shape: FadeShape;
  readonly alignment: CrossfadeAlignment;
}

/**
 * Turns an interchange timeline into the session commands that lay it out: per audio track AddTrack,
 * SetTrackMix when the file sets one, PlaceClip for each clip whose media is known, SetCrossfade for each
 * transition; then AddMarker for the markers. Media registration is the caller's (before these commands).
 * Pure and total over file content: whatever a file holds that cannot be placed is skipped and reported.
 * Throws IngestPlanInputError only for bad caller input (session rate, frame rate id, ids, provenance).
 */
export function planIngest(input: PlanInput): IngestPlan {
  checkInput(input);
  return new Planner(input).run();
}

function checkInput(input: PlanInput): void {
  const { sampleRate, frameRate } = input.session;
  if (!Number.isSafeInteger(sampleRate) || sampleRate <= 0 || sampleRate > 768_000) {
    throw new IngestPlanInputError("session.sampleRate", `${sampleRate} is not a sample rate in Hz (1 to 768000)`);
  }
  if (!isFrameRateId(frameRate)) throw new IngestPlanInputError("session.frameRate", `unknown frame rate id ${JSON.stringify(frameRate)}`);
  const { jobId, sourceFile } = input.provenance;
  if (typeof jobId !== "string" || jobId.trim() === "" || jobId !== jobId.trim()) {
    throw new IngestPlanInputError("provenance.jobId", "must be a non-empty id without surrounding spaces");
  }
  if (typeof sourceFile !== "string") throw new IngestPlanInputError("provenance.sourceFile", "must be a string");
}

function shapeOf(curve: CurveKind, where: string, warnings: PlanWarnings): FadeShape {
  if (curve === "linear") return "LINEAR";
  if (curve === "power") return "EQUAL_POWER";
  warnings.add("curve-other", `${where}: a fade curve the session has no shape for was made LINEAR`);
  return "LINEAR";
}

function clampGain(value: number, min: number, max: number, where: string, warnings: PlanWarnings): number | undefined {
  if (Number.isNaN(value)) {
    warnings.add("gain-nan", `${where}: a gain that is not a number was ignored`);
    return undefined;
  }
  const clamped = Math.min(Math.max(value, min), max);
  if (clamped !== value && Number.isFinite(value))
    warnings.add(`gain-range-${min}-${max}`, `${where}: gain ${value} dB is outside ${min}..+${max} dB and was clamped`);
  return clamped;
}

class Planner {
  readonly #input: PlanInput;
  readonly #sampleRate: number;
  readonly #tally = new RoundingTally();
  readonly #warnings = new PlanWarnings();
  readonly #names: UniqueNames;
  readonly #commands: EditCommand[] = [];
  readonly #skippedTracks: SkippedTrack[] = [];
  readonly #skippedClips: SkippedClip[] = [];
  /** Essences already named in a sample-rate warning (one line per rate, counting essences, not clips). */
  readonly #rateWarned = new Set<string>();
  #tracks = 0;
  #clips = 0;
  #crossfades = 0;
  #markers = 0;

  constructor(input: PlanInput) {
    this.#input = input;
    this.#sampleRate = input.session.sampleRate;
    this.#names = new UniqueNames(input.session.trackNames);
  }

  run(): IngestPlan {
    const { document } = this.#input;
    for (const warning of document.warnings) this.#warnings.add(`document:${warning}`, `file: ${warning}`);
    this.#checkCompositionRate();
    let audioOrdinal = 0;
    for (const track of document.tracks) {
      if (track.kind === "audio") this.#planTrack(track, ++audioOrdinal);
      else {
        const name = cleanName(track.name) ?? `${track.kind} track`;
        this.#skippedTracks.push({ name, reason: `${track.kind} track: only audio tracks become session tracks` });
      }
    }
    this.#planMarkers(document.markers);
    return {
      commands: this.#commands,
      report: {
        tracks: this.#tracks,
        clips: this.#clips,
        crossfades: this.#crossfades,
        markers: this.#markers,
        skippedTracks: this.#skippedTracks,
        skippedClips: this.#skippedClips,
        rounded: { count: this.#tally.count, maxErrorSamples: this.#tally.maxErrorSamples },
        warnings: this.#warnings.list(),
      },
    };
  }

  #id(kind: "track" | "clip" | "marker", index: number): string {
    const id = this.#input.newId(kind, index);
    if (typeof id !== "string" || id.trim() === "" || id !== id.trim()) {
      throw new IngestPlanInputError(
        "newId",
        `returned ${JSON.stringify(id)} for ${kind} ${index}: ids are non-empty, without surrounding spaces`,
      );
    }
    return id;
  }

  #checkCompositionRate(): void {
    const { composition } = this.#input.document;
    const session = FRAME_RATES[this.#input.session.frameRate as keyof typeof FRAME_RATES];
    const rate = parseEditRate(composition.editRate);
    if (rate === undefined) return;
    const sameRate = rate.numerator * session.rate.denominator === session.rate.numerator * rate.denominator;
    if (!sameRate || composition.dropFrame !== session.dropFrame) {
      this.#warnings.add(
        "composition-rate",
        `the composition's timecode runs at ${composition.editRate}${composition.dropFrame ? " drop-frame" : ""}, the session at ${session.id}: ` +
          "positions are exact in samples, but frame-based edits will not fall on the session's frames",
      );
    }
  }

  #planTrack(track: DocumentTrack, audioOrdinal: number): void {
    const baseName = cleanName(track.name) ?? `Audio ${audioOrdinal}`;
    const rate = parseEditRate(track.editRate);
    if (rate === undefined) {
      this.#skippedTracks.push({ name: baseName, reason: `edit rate ${JSON.stringify(track.editRate)} is not a positive rational` });
      return;
    }
    const channels = Number.isSafeInteger(track.channels) && track.channels >= 1 ? track.channels : 1;
    if (channels > MAX_CHANNELS) {
      this.#skippedTracks.push({ name: baseName, reason: `${channels} channels: more than the ${MAX_CHANNELS} a session track can read` });
      return;
    }
    const layout = sessionTrackLayout(channels);
    if (layout.split) {
      this.#warnings.add(
        "split-track",
        `track "${baseName}" has ${channels} channels, a format the session lacks: split into ${channels} mono tracks`,
      );
    }
    const trackType = trackTypeForName(baseName, this.#input.trackTypeRules);
    const names = layout.split ? Array.from({ length: layout.count }, (_, i) => `${baseName} ${i + 1}`) : [baseName];
    const sessionTracks = names.map((name) => ({ trackId: this.#id("track", this.#tracks++), name: this.#names.take(name) }));
    const mix = this.#mixOf(track, baseName);
    const lanes = this.#lanesOf(track, rate, baseName);
    const panned = track.items.filter((item) => item.type === "clip" && (item.pan != null || item.panAutomation != null)).length;
    if (panned > 0) {
      this.#warnings.add(
        "clip-pan",
        `track "${baseName}": the pan of ${panned} clip(s) was not imported (the session pans tracks, not clips)`,
      );
    }
    const planned = this.#planClips(
      track,
      rate,
      channels,
      layout.split,
      sessionTracks.map((t) => t.name),
      baseName,
    );
    sessionTracks.forEach(({ trackId, name }, k) => {
      const clips = planned.perTrack[k] as (PlannedClip | undefined)[];
      const crossfades = this.#planCrossfades(clips, planned.transitions, planned.converter, name);
      this.#fitFades(clips, name);
      this.#emitTrack({ trackId, name, trackType, channelFormat: layout.format }, mix, lanes, clips, crossfades);
    });
  }

  #mixOf(track: DocumentTrack, name: string): TrackMixSpec | undefined {
    const volumeDb =
      track.gainDb === null
        ? undefined
        : clampGain(track.gainDb, MIN_TRACK_VOLUME_DB, MAX_TRACK_VOLUME_DB, `track "${name}"`, this.#warnings);
    const pan = track.pan == null || !Number.isFinite(track.pan) ? undefined : Math.min(Math.max(track.pan, -1), 1);
    if (pan !== undefined && pan !== track.pan)
      this.#warnings.add("track-pan", `track "${name}": pan ${track.pan} is outside -1..+1 and was clamped`);
    const mix: TrackMixSpec = {
      ...(volumeDb !== undefined && volumeDb !== 0 && { volumeDb }),
      ...(pan !== undefined && pan !== 0 && { pan }),
      ...(track.mute && { muted: true }),
      ...(track.solo && { solo: true }),
    };
    return Object.keys(mix).length === 0 ? undefined : mix;
  }

  /** The track's pan and volume automation as session lanes (a lane overrides the constant pan or fader). */
  #lanesOf(track: DocumentTrack, rate: EditRate, name: string): SetTrackAutomation[] {
    const where = `track "${name}"`;
    const lanes: SetTrackAutomation[] = [];
    for (const [lane, points] of [
      ["VOLUME", track.volumeAutomation],
      ["PAN", track.panAutomation],
    ] as const) {
      if (points == null || points.length === 0) continue;
      const converted = sessionTrackAutomation(points, lane, rate, this.#sampleRate, where, this.#warnings);
      if (converted !== undefined) lanes.push({ type: "SetTrackAutomation", trackId: "", lane, points: converted });
    }
    return lanes;
  }

  #skipClip(track: string, clip: string, reason: string): void {
    this.#skippedClips.push({ track, clip, reason });
  }

  /** The track's clips in samples, per session track (index k), with holes where a clip was skipped. */
  #planClips(track: DocumentTrack, rate: EditRate, channels: number, split: boolean, trackNames: readonly string[], docName: string) {
    const converter = new SampleConverter(rate, this.#sampleRate, this.#tally);
    const { clips, transitions } = layOutTrack(track.items, docName, this.#warnings);
    const perTrack: (PlannedClip | undefined)[][] = trackNames.map(() => []);
    const lastEnd = trackNames.map(() => Number.NEGATIVE_INFINITY);
    // A skipped clip leaves a hole, so the laid clips' indexes (which transitions refer to) stay valid.
    const skipAll = (label: string, reason: string) => {
      this.#skipClip(split ? docName : (trackNames[0] as string), label, reason);
      for (const clips of perTrack) clips.push(undefined);
    };
    for (const laid of clips) {
      const label = clipLabel(laid.item, laid.ordinal);
      const geometry = this.#geometry(laid, converter);
      if (typeof geometry === "string") {
        skipAll(label, geometry);
        continue;
      }
      const feeds = resolveFeeds(laid.item, this.#input.media, channels, this.#sampleRate);
      if (!feeds.ok) {
        skipAll(label, feeds.reason);
        continue;
      }
      if (feeds.guessedChannel) {
        this.#warnings.add(
          "guessed-channel",
          `track "${docName}", clip "${label}": a multichannel file feeds fewer channels than it has; its first channels are used`,
        );
      }
      const where = `track "${docName}", clip "${label}"`;
      const name = cleanName(laid.item.name) ?? cleanName(laid.item.essences[0]) ?? `Clip ${laid.ordinal + 1}`;
      const gainDb =
        laid.item.gainDb === null ? undefined : clampGain(laid.item.gainDb, MIN_CLIP_GAIN_DB, MAX_CLIP_GAIN_DB, where, this.#warnings);
      for (const essenceName of new Set(laid.item.essences)) {
        const file = this.#input.media.get(essenceName);
        if (file !== undefined && file.sampleRate !== this.#sampleRate && !this.#rateWarned.has(essenceName)) {
          this.#rateWarned.add(essenceName);
          this.#warnings.add(
            `media-rate:${file.sampleRate}`,
            `essence "${essenceName}" is at ${file.sampleRate} Hz, the session at ${this.#sampleRate} Hz: its source offset and length are in session samples, so it plays resampled`,
          );
        }
      }
      // The take of the first of its files that names one (a multi-mono clip's files share their take).
      const take = laid.item.essences.map((e) => this.#input.media.get(e)?.take).find((t) => t !== undefined);
      const automation = laid.item.volumeAutomation;
      // Computed for the final length: a clip shortened by a sample at its media's end keeps its points inside.
      const volumeFor = (length: number) =>
        automation === null || automation.length === 0
          ? undefined
          : sessionAutomation(
              automation,
              geometry.originalLength,
              geometry.position - geometry.originalPosition,
              length,
              where,
              this.#warnings,
            );
      trackNames.forEach((trackName, k) => {
        const source = sourceOfFeeds(split ? [feeds.feeds[k] as Feed] : feeds.feeds);
        let length = geometry.length;
        const excess = geometry.sourceOffset + length - source.sourceLength;
        if (excess > 0) {
          if (excess > SOURCE_END_TOLERANCE || length <= excess) {
            this.#skipClip(
              trackName,
              label,
              `the clip needs ${geometry.sourceOffset + length} samples of source but its media has ${source.sourceLength}`,
            );
            perTrack[k]?.push(undefined);
            return;
          }
          length -= excess; // lost to rounding at the media's end
          this.#tally.note(excess);
        }
        if (geometry.position < (lastEnd[k] as number)) {
          this.#skipClip(
            trackName,
            label,
            `it overlaps the clip before it on the track (starts at sample ${geometry.position}, the previous ends at ${lastEnd[k]})`,
          );
          perTrack[k]?.push(undefined);
          return;
        }
        lastEnd[k] = geometry.position + length;
        const clip: PlannedClip = {
          clipId: this.#id("clip", this.#clips++),
          name,
          position: geometry.position,
          length,
          source: { ...source, sourceOffset: geometry.sourceOffset },
          fadeIn: this.#fade(laid.item.fadeIn, geometry.fadeInLength, where),
          fadeOut: this.#fade(laid.item.fadeOut, geometry.fadeOutLength, where),
          gainDb,
          muted: laid.item.mute,
          volume: volumeFor(length),
          take,
          incomingPost: 0,
          outgoingPre: 0,
        };
        perTrack[k]?.push(clip);
      });
    }
    return { perTrack, transitions, converter };
  }

  #fade(fade: { curve: CurveKind } | null, length: number, where: string): Fade | undefined {
    if (fade === null || length <= 0) return undefined;
    return { length, shape: shapeOf(fade.curve, where, this.#warnings) };
  }

  /** Position, length and source offset in samples, or why the clip cannot be placed. */
  #geometry(laid: LaidClip, converter: SampleConverter) {
    const { item } = laid;
    const position = converter.samples(laid.start);
    const end = converter.samples(laid.start + laid.length);
    const sourceOffset = converter.samples(laid.sourceOffset);
    const originalPosition = converter.samples(item.start);
    const originalEnd = converter.samples(item.start + item.length);
    if (
      position === undefined ||
      end === undefined ||
      sourceOffset === undefined ||
      originalPosition === undefined ||
      originalEnd === undefined
    ) {
      return "its position or source offset is beyond the range of exact integers";
    }
    if (end - position <= 0) return "it is shorter than one sample";
    if (position < 0) return `it starts before 00:00:00:00 (sample ${position})`;
    if (sourceOffset < 0) return `it starts ${-sourceOffset} samples before the start of its source`;
    const fadeLength = (units: number | undefined, fromEnd: boolean): number => {
      if (units === undefined || !Number.isSafeInteger(units) || units <= 0) return 0;
      const edge = fromEnd ? converter.samples(laid.start + laid.length - units) : converter.samples(laid.start + units);
      return edge === undefined ? 0 : Math.min(end - position, fromEnd ? end - edge : edge - position);
    };
    return {
      position,
      length: end - position,
      sourceOffset,
      originalPosition,
      originalLength: originalEnd - originalPosition,
      fadeInLength: fadeLength(item.fadeIn?.length, false),
      fadeOutLength: fadeLength(item.fadeOut?.length, true),
    };
  }

  #planCrossfades(
    clips: readonly (PlannedClip | undefined)[],
    transitions: ReturnType<typeof layOutTrack>["transitions"],
    converter: SampleConverter,
    trackName: string,
  ): PlannedCrossfade[] {
    const planned: PlannedCrossfade[] = [];
    for (const transition of transitions) {
      const outgoing = clips[transition.outgoing];
      const incoming = clips[transition.incoming];
      const where = `track "${trackName}", crossfade at unit ${transition.cut}`;
      if (outgoing === undefined || incoming === undefined) {
        this.#warnings.add("crossfade-skipped-clip", `${where}: dropped with a clip it joins`);
        continue;
      }
      if (outgoing.position + outgoing.length !== incoming.position) {
        this.#warnings.add("crossfade-not-abutting", `${where}: dropped, the clips no longer meet at the cut`);
        continue;
      }
      const start = converter.samples(transition.start) as number;
      const end = converter.samples(transition.end) as number;
      const length = end - start;
      if (length <= 0) continue; // shorter than a sample at the session rate: a plain cut
      // Chosen in samples: a 5-frame transition cut after 2 frames is not centred, whatever the frame count says.
      const cutAt = incoming.position - start;
      const { alignment, distance } = alignmentFor(length, cutAt);
      if (distance === 1 && !converter.exact) this.#tally.note(1);
      else if (distance > 0) {
        this.#warnings.add(
          "crossfade-alignment",
          `${where}: the cut lies ${cutAt} of ${length} samples into the transition, which no session alignment reproduces; ` +
            `${alignment} used (its cut is ${distance} samples away)`,
        );
      }
      const maxPre = Math.min(incoming.source.sourceOffset, outgoing.length - (outgoing.incomingPost || (outgoing.fadeIn?.length ?? 0)));
      const tailHandle = outgoing.source.sourceLength - outgoing.source.sourceOffset - outgoing.length;
      const maxPost = Math.min(tailHandle, incoming.length - (incoming.fadeOut?.length ?? 0));
      const fitted = fitLength(length, alignment, maxPre, maxPost);
      if (fitted < length) {
        if (length - fitted <= 1) this.#tally.note(length - fitted);
        else
          this.#warnings.add("crossfade-shortened", `${where}: shortened from ${length} to ${fitted} samples to fit the handles and clips`);
      }
      if (fitted === 0) continue;
      const { pre, post } = spanOf(fitted, alignment);
      outgoing.outgoingPre = pre;
      incoming.incomingPost = post;
      if (outgoing.fadeOut !== undefined || incoming.fadeIn !== undefined) {
        this.#warnings.add("fade-at-crossfade", `${where}: a fade on a crossfaded edge was dropped (an edge has one or the other)`);
        outgoing.fadeOut = undefined;
        incoming.fadeIn = undefined;
      }
      planned.push({
        outgoingClipId: outgoing.clipId,
        incomingClipId: incoming.clipId,
        length: fitted,
        shape: shapeOf(transition.curve, where, this.#warnings),
        alignment,
      });
    }
    return planned;
  }

  /** Fades share the clip with crossfade parts; when they do not fit, both fades shrink in proportion. */
  #fitFades(clips: readonly (PlannedClip | undefined)[], trackName: string): void {
    for (const clip of clips) {
      if (clip === undefined) continue;
      const budget = clip.length - clip.incomingPost - clip.outgoingPre;
      const fadeIn = clip.fadeIn?.length ?? 0;
      const fadeOut = clip.fadeOut?.length ?? 0;
      if (fadeIn + fadeOut <= budget) continue;
      const newIn = Math.floor((fadeIn * Math.max(0, budget)) / (fadeIn + fadeOut));
      const newOut = Math.min(fadeOut, Math.max(0, budget) - newIn);
      this.#warnings.add(
        "fades-shortened",
        `track "${trackName}", clip "${clip.name}": fades of ${fadeIn} + ${fadeOut} samples shortened to fit the clip`,
      );
      clip.fadeIn = clip.fadeIn !== undefined && newIn > 0 ? { ...clip.fadeIn, length: newIn } : undefined;
      clip.fadeOut = clip.fadeOut !== undefined && newOut > 0 ? { ...clip.fadeOut, length: newOut } : undefined;
    }
  }

  #emitTrack(
    track: { trackId: string; name: string; trackType: TrackType; channelFormat: ChannelFormat },
    mix: TrackMixSpec | undefined,
    lanes: readonly SetTrackAutomation[],
    clips: readonly (PlannedClip | undefined)[],
    crossfades: readonly PlannedCrossfade[],
  ): void {
    const add: AddTrack = { type: "AddTrack", ...track };
    this.#commands.push(add);
    if (mix !== undefined) this.#commands.push({ type: "SetTrackMix", trackId: track.trackId, ...mix });
    for (const lane of lanes) this.#commands.push({ ...lane, trackId: track.trackId });
    const { jobId } = this.#input.provenance;
    const sourceFile = cleanComment(this.#input.provenance.sourceFile, MAX_PROVENANCE_FILE_NAME);
    for (const clip of clips) {
      if (clip === undefined) continue;
      this.#commands.push({
        type: "PlaceClip",
        clip: {
          clipId: clip.clipId,
          trackId: track.trackId,
          name: clip.name,
          position: clip.position,
          length: clip.length,
          source: clip.source,
          ...(clip.gainDb !== undefined && clip.gainDb !== 0 && { gainDb: clip.gainDb }),
          ...(clip.muted && { muted: true }),
          ...(clip.fadeIn !== undefined && { fadeIn: clip.fadeIn }),
          ...(clip.fadeOut !== undefined && { fadeOut: clip.fadeOut }),
          provenance: { imported: { importId: jobId, fileName: sourceFile, mobId: "" } },
          ...(clip.volume !== undefined && { volume: clip.volume }),
          ...(clip.take !== undefined && { take: clip.take }),
        },
      });
    }
    for (const crossfade of crossfades) this.#commands.push({ type: "SetCrossfade", ...crossfade });
    this.#crossfades += crossfades.length;
  }

  #planMarkers(markers: readonly DocumentMarker[]): void {
    if (markers.length === 0) return;
    const { composition } = this.#input.document;
    const rate = parseEditRate(composition.editRate);
    if (rate === undefined) {
      this.#warnings.add(
        "marker-rate",
        `${markers.length} marker(s) dropped: the composition's edit rate ${JSON.stringify(composition.editRate)} is not a rate`,
      );
      return;
    }
    const converter = new SampleConverter(rate, this.#sampleRate, this.#tally);
    markers.forEach((marker, i) => {
      const position = converter.samples(marker.start);
      const label = marker.name ?? marker.comment ?? `marker ${i + 1}`;
      if (position === undefined || position < 0) {
        this.#warnings.add("marker-position", `marker "${label}" dropped: it lies before 00:00:00:00 or beyond exact integers`);
        return;
      }
      const end = marker.length > 0 ? converter.samples(marker.start + marker.length) : position;
      const length = end === undefined ? 0 : Math.max(0, end - position);
      const color = marker.color !== null && COLOR.test(marker.color) ? marker.color.toLowerCase() : undefined;
      if (marker.color !== null && color === undefined)
        this.#warnings.add("marker-color", `marker "${label}": colour ${JSON.stringify(marker.color)} is not #rrggbb and was dropped`);
      const comment = cleanComment(marker.comment);
      this.#commands.push({
        type: "AddMarker",
        markerId: this.#id("marker", this.#markers++),
        position,
        name: cleanName(marker.name) ?? cleanName(marker.comment) ?? `Marker ${i + 1}`,
        ...(comment !== "" && { comment }),
        ...(color !== undefined && { color }),
        ...(length > 0 && { length }),
      });
    });
  }
}
