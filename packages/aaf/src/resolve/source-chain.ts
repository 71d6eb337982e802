import type { AafObject, Rational } from "../objects/index.ts";
import type { EssenceRegistry } from "./essences.ts";
import { convertUnits, integer } from "./values.ts";

/** What a timeline SourceClip plays: its essences (one per channel) and where in its source it starts. */
export interface ClipSource {
  essences: string[];
  /** Added to the clip's own StartTime, in the clip's edit units (subclips add their own offset). */
  extraOffset: number;
  name: string | null;
  /** The essence's length in `trackRate` units, when the descriptor says. */
  sourceLength: number | null;
}

const NULL_MOB = /^0+$/;
/** Subclips of subclips are legal; a cycle is not. */
const MAX_DEPTH = 16;

/** The first SourceClip a segment plays (through Sequences, EssenceGroups, Selectors, OperationGroups). */
export function firstSourceClip(segment: AafObject | undefined, depth = 0): AafObject | undefined {
  if (segment === undefined || depth > MAX_DEPTH) return undefined;
  if (segment.isA("SourceClip")) return segment;
  if (segment.isA("Sequence")) {
    for (const component of segment.objects("Components")) {
      const clip = firstSourceClip(component, depth + 1);
      if (clip !== undefined) return clip;
    }
    return undefined;
  }
  if (segment.isA("EssenceGroup")) return firstSourceClip(segment.objects("Choices")[0], depth + 1);
  if (segment.isA("Selector")) return firstSourceClip(segment.object("Selected"), depth + 1);
  if (segment.isA("OperationGroup")) return firstSourceClip(segment.objects("InputSegments")[0], depth + 1);
  return undefined;
}

export function slotById(mob: AafObject, slotId: number | undefined): AafObject | undefined {
  return mob.objects("Slots").find((slot) => integer(slot, "SlotID") === slotId);
}

/**
 * Follows a SourceClip from the composition to the file SourceMob it plays: through a MasterMob (the usual
 * Avid/Pro Tools chain), or a CompositionMob (a subclip), or straight to a file SourceMob. A clip whose mob is
 * not in the file keeps no essence (and the registry records a warning naming the MobID).
 */
export function resolveClipSource(clip: AafObject, registry: EssenceRegistry, trackRate: Rational, depth = 0): ClipSource {
  const id = clip.mobId("SourceID");
  const none: ClipSource = { essences: [], extraOffset: 0, name: null, sourceLength: null };
  if (id === undefined || NULL_MOB.test(id.hex) || depth > MAX_DEPTH) return none;
  const mob = registry.file.findMob(id);
  if (mob === undefined) {
    registry.missing(id.urn);
    return none;
  }
  const slot = slotById(mob, integer(clip, "SourceMobSlotID"));
  const name = mob.string("Name") ?? null;
  if (mob.isA("SourceMob")) {
    const essence = registry.register(mob, integer(clip, "SourceMobSlotID") ?? 0, name);
    return { essences: [essence], extraOffset: 0, name, sourceLength: registry.lengthIn(essence, trackRate) };
  }
  if (slot === undefined) return { ...none, name };
  const inner = firstSourceClip(slot.object("Segment"));
  if (mob.isA("MasterMob")) {
    if (inner === undefined) return { ...none, name };
    const innerId = inner.mobId("SourceID");
    const fileMob = innerId === undefined ? undefined : registry.file.findMob(innerId);
    if (fileMob === undefined) {
      if (innerId !== undefined && !NULL_MOB.test(innerId.hex)) registry.missing(innerId.urn);
      return { ...none, name };
    }
    const essence = registry.register(fileMob, integer(inner, "SourceMobSlotID") ?? 0, name);
    return { essences: [essence], extraOffset: 0, name, sourceLength: registry.lengthIn(essence, trackRate) };
  }
  // A CompositionMob: a subclip (or a nested sequence) whose slot starts `StartTime` into its own source.
  if (inner === undefined) return { ...none, name };
  const slotRate = slot.rational("EditRate") ?? trackRate;
  const nested = resolveClipSource(inner, registry, slotRate, depth + 1);
  const offset = (integer(inner, "StartTime") ?? 0) + nested.extraOffset;
  const extra = convertUnits(offset, slotRate, trackRate);
  return {
    essences: nested.essences,
    extraOffset: extra,
    name,
    sourceLength: nested.sourceLength === null ? null : convertUnits(nested.sourceLength, slotRate, trackRate),
  };
}
