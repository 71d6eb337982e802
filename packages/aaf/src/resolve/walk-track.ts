import type { AutomationPoint, Fade, TrackAutomationPoint } from "@dubstage/interchange";
import type { AafObject, Rational } from "../objects/index.ts";
import { OPERATION, USAGE } from "./aaf-ids.ts";
import { gainEffect, inTimeOrder, operationId, type PanEffect, panEffect, transitionCurve } from "./effects.ts";
import type { EssenceRegistry } from "./essences.ts";
import type { ResolvedClip, ResolvedTrack } from "./model.ts";
import { resolveClipSource } from "./source-chain.ts";
import { asNumber, integer, taggedValue } from "./values.ts";

/** What enclosing OperationGroups and Selectors say about the clip(s) they wrap. */
interface ClipContext {
  gainDb: number | null;
  automation: AutomationPoint[] | null;
  mute: boolean;
}

const NO_EFFECT: ClipContext = { gainDb: null, automation: null, mute: false };
/** Nesting deeper than this is refused (hostile files); real files nest a handful of levels. */
const MAX_DEPTH = 64;

/**
 * Walks one composition slot's segment, laying clips out on `track`: a Sequence's position is the sum of
 * the lengths before it, minus each Transition's length (a transition overlaps its neighbours). A Transition
 * after a Filler is the next clip's fade in, one before a Filler the previous clip's fade out, one between two
 * clips a crossfade.
 */
export class TrackWalker {
  readonly #track: ResolvedTrack;
  readonly #registry: EssenceRegistry;
  readonly #warnings: string[];
  readonly #usage: string | undefined;
  readonly #withEssences: boolean;
  readonly #compositionRate: Rational;
  #pos = 0;
  #pendingFadeIn: Fade | null = null;

  constructor(
    track: ResolvedTrack,
    registry: EssenceRegistry,
    warnings: string[],
    usage: string | undefined,
    withEssences: boolean,
    compositionRate: Rational,
  ) {
    this.#track = track;
    this.#compositionRate = compositionRate;
    this.#registry = registry;
    this.#warnings = warnings;
    this.#usage = usage;
    this.#withEssences = withEssences;
  }

  walkSlot(segment: AafObject): void {
    this.#segment(segment, NO_EFFECT, true, 0);
    this.#track.end = this.#pos;
  }

  #segment(segment: AafObject, context: ClipContext, trackLevel: boolean, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.#warnings.push(`${segment.path}: segments nested deeper than ${MAX_DEPTH} levels were skipped`);
      return;
    }
    const length = integer(segment, "Length") ?? 0;
    if (segment.isA("Sequence")) this.#sequence(segment, context, depth);
    else if (segment.isA("SourceClip")) this.#clip(segment, [segment], length, context);
    else if (segment.isA("OperationGroup")) this.#operationGroup(segment, context, trackLevel, depth);
    else if (segment.isA("Selector")) {
      // Media Composer mutes a clip by wrapping it in a Selector flagged _DISABLE_CLIP_FLAG.
      const disabled = asNumber(taggedValue(segment, "ComponentAttributeList", "_DISABLE_CLIP_FLAG"));
      const chosen = disabled !== undefined ? (segment.objects("Alternates")[0] ?? segment.object("Selected")) : segment.object("Selected");
      this.#nested(chosen, length, { ...context, mute: context.mute || (disabled ?? 0) !== 0 }, trackLevel, depth);
    } else if (segment.isA("EssenceGroup")) this.#nested(segment.objects("Choices")[0], length, context, trackLevel, depth);
    else if (segment.isA("NestedScope")) this.#nested(segment.objects("Slots").at(-1), length, context, trackLevel, depth);
    else this.#pos += length; // Filler, ScopeReference, Timecode, markers...: time passes, nothing plays.
  }

  /** A segment standing for `length` units (the outer component's length decides where the next one starts). */
  #nested(inner: AafObject | undefined, length: number, context: ClipContext, trackLevel: boolean, depth: number): void {
    const start = this.#pos;
    if (inner !== undefined) this.#segment(inner, context, trackLevel, depth + 1);
    this.#pos = start + length;
  }

  #sequence(sequence: AafObject, context: ClipContext, depth: number): void {
    const components = sequence.objects("Components");
    components.forEach((component, i) => {
      if (!component.isA("Transition")) {
        this.#segment(component, context, false, depth + 1);
        return;
      }
      const length = integer(component, "Length") ?? 0;
      const previous = components[i - 1];
      const next = components[i + 1];
      const curve = transitionCurve(component.object("OperationGroup"));
      const last = this.#track.items.at(-1);
      if (previous?.isA("Filler")) this.#pendingFadeIn = { curve, length };
      else if (next?.isA("Filler") && last?.type === "clip") last.fadeOut = { curve, length };
      else if (previous !== undefined && next !== undefined) {
        const cutPoint = integer(component, "CutPoint") ?? Math.floor(length / 2);
        this.#track.items.push({ type: "crossfade", curve, length, cutPoint });
      }
      this.#pos -= length;
    });
  }

  #operationGroup(group: AafObject, context: ClipContext, trackLevel: boolean, depth: number): void {
    const length = integer(group, "Length") ?? 0;
    const op = operationId(group);
    const inputs = group.objects("InputSegments");
    if (op === OPERATION.audioChannelCombiner) {
      this.#clip(group, inputs, length, context);
      return;
    }
    let inner = context;
    const applies = this.#usage !== USAGE.adjustedClip;
    const gain = applies ? gainEffect(group) : undefined;
    const pan = applies ? panEffect(group) : undefined;
    if (gain !== undefined) {
      if (trackLevel) {
        // The first (outermost) track gain wins, constant or automated, as in LibAAF.
        if (this.#track.gainDb === null && this.#track.volumeAutomation === null) {
          this.#track.gainDb = gain.gainDb;
          this.#track.volumeAutomation = this.#trackPoints(
            group,
            gain.automation?.map((p) => ({ time: p.time, value: p.valueDb })),
          );
        }
      } else {
        // The outermost gain wins, as in LibAAF (Resolve wraps a unity VaryingValue around the real gain).
        inner = { ...context, gainDb: context.gainDb ?? gain.gainDb, automation: context.automation ?? gain.automation };
      }
    }
    if (pan !== undefined && trackLevel && this.#track.pan === null && this.#track.panAutomation === null) {
      this.#track.pan = pan.pan;
      this.#track.panAutomation = this.#trackPoints(group, pan.automation ?? undefined);
    }
    const firstItem = this.#track.items.length;
    this.#nested(inputs[0], length, inner, trackLevel, depth);
    if (pan !== undefined && !trackLevel) this.#clipPan(group, pan, firstItem);
  }

  /**
   * Control points of a track-level group as positions from the slot's start: the group's start plus time
   * times its length. A group spans its input, so when the two lengths disagree the group's Length is taken
   * in the composition's (timecode's) edit units if that makes it the input's length to within one unit
   * (Resolve writes a track pan group's Length in video frames over a Sequence in samples), else the input's.
   */
  #trackPoints(group: AafObject, points: readonly { time: number; value: number }[] | undefined): TrackAutomationPoint[] | null {
    if (points === undefined) return null;
    const length = integer(group, "Length") ?? 0;
    const input = group.objects("InputSegments")[0];
    const inputLength = input === undefined ? undefined : integer(input, "Length");
    let span = length;
    if (inputLength !== undefined && inputLength !== length && inputLength > 0) {
      const track = this.#track.editRate;
      const composition = this.#compositionRate;
      const converted = (length * track.numerator * composition.denominator) / (track.denominator * composition.numerator);
      const inCompositionUnits = Number.isFinite(converted) && Math.abs(converted - inputLength) < 1;
      span = inCompositionUnits ? converted : inputLength;
      this.#warnings.push(
        `${group.path}: the group's Length (${length}) differs from its input's (${inputLength}): its control points are placed over ${
          inCompositionUnits ? `${length} units of the composition's edit rate (${converted} track units)` : "the input's length"
        }`,
      );
    }
    return inTimeOrder(points).map((p) => ({ position: this.#pos + p.time * span, value: p.value }));
  }

  /**
   * A Mono Audio Pan group around clips (not at track level): a constant pans every clip it wraps; automation
   * is the clip's when the group wraps exactly one clip spanning it (its times are then the clip's own
   * fractions). The outermost pan wins; nothing else is reported, with a warning.
   */
  #clipPan(group: AafObject, pan: PanEffect, firstItem: number): void {
    if (pan.pan === null && pan.automation === null) return;
    const clips = this.#track.items.slice(firstItem).filter((item) => item.type === "clip");
    const groupStart = this.#pos - (integer(group, "Length") ?? 0);
    const [only] = clips;
    if (pan.automation !== null && (clips.length !== 1 || only?.start !== groupStart || only.length !== integer(group, "Length"))) {
      this.#warnings.push(
        `${group.path}: pan automation around ${clips.length} clip(s) that do not span the group exactly is not reported`,
      );
      return;
    }
    for (const clip of clips) {
      clip.pan = pan.pan;
      clip.panAutomation = pan.automation;
    }
  }

  /** One clip on the timeline: a SourceClip, or an Audio Channel Combiner of one SourceClip per channel. */
  #clip(component: AafObject, channelClips: readonly AafObject[], length: number, context: ClipContext): void {
    const first = channelClips[0];
    const essences: string[] = [];
    let extraOffset = 0;
    let name: string | null = component.string("Name") ?? null;
    let sourceName: string | null = null;
    let sourceLength: number | null = null;
    if (this.#withEssences) {
      channelClips.forEach((channelClip, i) => {
        const source = resolveClipSource(channelClip, this.#registry, this.#track.editRate);
        essences.push(...source.essences);
        if (i === 0) {
          extraOffset = source.extraOffset;
          name ??= source.name;
          sourceName = source.name;
          sourceLength = source.sourceLength;
        }
      });
    }
    const clip: ResolvedClip = {
      type: "clip",
      start: this.#pos,
      length,
      sourceOffset: (first === undefined ? 0 : (integer(first, "StartTime") ?? 0)) + extraOffset,
      channels: Math.max(1, channelClips.length),
      name,
      essences,
      gainDb: context.gainDb,
      volumeAutomation: context.automation,
      fadeIn: this.#pendingFadeIn,
      fadeOut: null,
      mute: context.mute,
      pan: null,
      panAutomation: null,
      sourceName,
      sourceLength,
    };
    if (this.#withEssences && essences.length === 0) {
      this.#warnings.push(
        `${component.path}: the clip at ${clip.start} plays no essence (a null SourceID, or a mob chain that reaches no file)`,
      );
    }
    this.#pendingFadeIn = null;
    this.#track.items.push(clip);
    this.#pos += length;
  }
}
