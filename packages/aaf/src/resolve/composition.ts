import type { AafFile, AafObject, Rational } from "../objects/index.ts";
import { DATA_DEF, EDIT_PROTOCOL, USAGE } from "./aaf-ids.ts";
import { integer, weakKey } from "./values.ts";

export interface ChosenComposition {
  mob: AafObject | undefined;
  warnings: string[];
}

/**
 * The composition to read: a CompositionMob marked TopLevel that no other composition plays, the last such
 * in the ContentStorage's Mobs index (LibAAF lists a set's entries in reverse and reads the first it meets,
 * i.e. the same one). Premiere may mark several TopLevel: the others are named in warnings. Files that mark
 * none (not Edit Protocol: pyaaf2, OTIO) give the first CompositionMob without a usage code.
 */
export function chooseComposition(file: AafFile): ChosenComposition {
  const compositions = [...file.mobs.values()].filter((mob) => mob.isA("CompositionMob"));
  const topLevel = compositions.filter((mob) => mob.auid("UsageCode") === USAGE.topLevel);
  const warnings: string[] = [];
  const label = (mob: AafObject) => `"${mob.string("Name") ?? ""}" (${mob.mobId("MobID")?.urn ?? mob.path})`;
  const referenced = topLevel.length > 1 ? referencedMobs(compositions) : new Set<string>();
  const outer = topLevel.filter((mob) => !referenced.has(mob.mobId("MobID")?.hex ?? ""));
  const chosen = (outer.length > 0 ? outer : topLevel).at(-1);
  if (chosen !== undefined) {
    // Premiere marks nested sequences TopLevel too: prefer the ones no other composition plays.
    const others = topLevel.filter((m) => m !== chosen);
    for (const other of others) warnings.push(`another top-level composition ${label(other)} was not read; read ${label(chosen)}`);
    return { mob: chosen, warnings };
  }
  const editProtocol = file.header.auid("OperationalPattern") === EDIT_PROTOCOL;
  const untyped = compositions.find((mob) => mob.auid("UsageCode") === undefined);
  if (untyped !== undefined && !editProtocol) return { mob: untyped, warnings };
  const fallback = untyped ?? compositions[0];
  if (fallback !== undefined) warnings.push(`no top-level composition: read ${label(fallback)}`);
  return { mob: fallback, warnings };
}

/** MobIDs that SourceClips inside these compositions refer to. */
function referencedMobs(compositions: readonly AafObject[]): Set<string> {
  const ids = new Set<string>();
  const stack: AafObject[] = [...compositions];
  let budget = 1_000_000; // objects visited at most: a bound against hostile cycles
  for (let o = stack.pop(); o !== undefined && budget-- > 0; o = stack.pop()) {
    if (o.isA("SourceClip")) {
      const id = o.mobId("SourceID");
      if (id !== undefined) ids.add(id.hex);
    }
    stack.push(...o.children());
  }
  return ids;
}

export interface CompositionTimecode {
  rate: Rational;
  start: number;
  fps: number;
  drop: boolean;
  found: boolean;
}

function timecodeIn(segment: AafObject | undefined): AafObject | undefined {
  if (segment === undefined) return undefined;
  if (segment.isA("Timecode")) return segment;
  if (segment.isA("Sequence")) return segment.objects("Components").find((c) => c.isA("Timecode"));
  return undefined;
}

/** The first Timecode segment of the composition's slots (alone or inside a Sequence), else 00:00:00:00 at 25. */
export function compositionTimecode(composition: AafObject): CompositionTimecode {
  for (const slot of composition.objects("Slots")) {
    const segment = slot.object("Segment");
    const key = segment === undefined ? undefined : weakKey(segment, "DataDefinition");
    const timecode = timecodeIn(segment);
    const rate = slot.rational("EditRate");
    if (timecode === undefined || rate === undefined || rate.denominator === 0) continue;
    if (key !== undefined && !(DATA_DEF.timecode as readonly string[]).includes(key) && !segment?.isA("Sequence")) continue;
    return {
      rate,
      start: integer(timecode, "Start") ?? 0,
      fps: integer(timecode, "FPS") ?? Math.round(rate.numerator / rate.denominator),
      drop: timecode.boolean("Drop") ?? asBool(timecode.int("Drop")) ?? false,
      found: true,
    };
  }
  return { rate: { numerator: 25, denominator: 1 }, start: 0, fps: 25, drop: false, found: false };
}

function asBool(v: number | bigint | undefined): boolean | undefined {
  return v === undefined ? undefined : Number(v) !== 0;
}
