import type { Application, InspectDocument, Track, TrackKind } from "@dubstage/interchange";
import { timecodeLabel } from "@dubstage/timecode";
import type { AafFile, AafObject } from "../objects/index.ts";
import { DATA_DEF } from "./aaf-ids.ts";
import { chooseComposition, compositionTimecode } from "./composition.ts";
import { EssenceRegistry, type EssenceSource } from "./essences.ts";
import { collectMarkers } from "./markers.ts";
import type { ResolvedTrack } from "./model.ts";
import { applyProToolsOptions, isProTools, type ProToolsOptions } from "./pro-tools.ts";
import { firstSourceClip, resolveClipSource } from "./source-chain.ts";
import { asNumber, convertUnits, rateString, taggedValue, weakKey } from "./values.ts";
import { TrackWalker } from "./walk-track.ts";

export type ResolveOptions = ProToolsOptions;

function application(file: AafFile): Application {
  const identification = file.header.objects("IdentificationList").at(-1);
  return {
    company: identification?.string("CompanyName") ?? null,
    product: identification?.string("ProductName") ?? null,
    version: identification?.string("ProductVersionString") ?? null,
  };
}

function slotKind(slot: AafObject): TrackKind | "timecode" | "markers" | undefined {
  if (!slot.isA("TimelineMobSlot")) return slot.isA("EventMobSlot") ? "markers" : undefined;
  const segment = slot.object("Segment");
  const key = segment === undefined ? undefined : weakKey(segment, "DataDefinition");
  if (key === undefined) return "other";
  if ((DATA_DEF.sound as readonly string[]).includes(key)) return "audio";
  if ((DATA_DEF.picture as readonly string[]).includes(key)) return "video";
  if ((DATA_DEF.timecode as readonly string[]).includes(key)) return "timecode";
  if ((DATA_DEF.descriptiveMetadata as readonly string[]).includes(key)) return "markers";
  return "other";
}

/** Media Composer's mixer state of a track: the slot's AudioMixerCompSolo / AudioMixerCompMute attributes. */
function mixerFlag(slot: AafObject, name: string): boolean {
  return (asNumber(taggedValue(slot, "TimelineMobAttributeList", name)) ?? 0) !== 0;
}

/** Resolves an opened AAF file's top-level composition into the interchange document. */
export function resolveDocument(file: AafFile, options: ResolveOptions = {}): InspectDocument {
  return resolveDocumentWithSources(file, options).document;
}

/** The document and, per essence name, the file mob it was resolved from (one resolution, so names agree). */
export function resolveDocumentWithSources(
  file: AafFile,
  options: ResolveOptions = {},
): { document: InspectDocument; sources: ReadonlyMap<string, EssenceSource> } {
  const registry = new EssenceRegistry(file);
  return { document: resolveWith(file, registry, options), sources: registry.sources };
}

function resolveWith(file: AafFile, registry: EssenceRegistry, options: ResolveOptions): InspectDocument {
  const chosen = chooseComposition(file);
  const warnings = [...chosen.warnings];
  const app = application(file);
  const composition = chosen.mob;
  if (composition === undefined) {
    warnings.push("the file has no composition: no tracks; essences are those of its master mobs");
    for (const mob of file.mobs.values()) {
      if (!mob.isA("MasterMob")) continue;
      for (const slot of mob.objects("Slots")) {
        const clip = firstSourceClip(slot.object("Segment"));
        if (clip !== undefined) resolveClipSource(clip, registry, slot.rational("EditRate") ?? { numerator: 1, denominator: 1 });
      }
    }
    return {
      format: "aaf",
      application: app,
      composition: { name: null, editRate: "25/1", start: 0, startTimecode: "00:00:00:00", fps: 25, dropFrame: false, length: 0 },
      tracks: [],
      essences: registry.essences,
      markers: [],
      warnings: [...warnings, ...new Set(registry.warnings)],
    };
  }
  const tc = compositionTimecode(composition);
  if (!tc.found) warnings.push("no timecode in the composition: it starts at 00:00:00:00 at 25 fps");

  const usage = composition.auid("UsageCode");
  const resolved: ResolvedTrack[] = [];
  for (const slot of composition.objects("Slots")) {
    const kind = slotKind(slot);
    const segment = slot.object("Segment");
    if (kind !== "audio" && kind !== "video" && kind !== "other") continue;
    const editRate = slot.rational("EditRate") ?? tc.rate;
    const track: ResolvedTrack = {
      kind,
      name: slot.string("SlotName") || null,
      editRate,
      channels: 1,
      mute: mixerFlag(slot, "AudioMixerCompMute"),
      solo: mixerFlag(slot, "AudioMixerCompSolo"),
      gainDb: null,
      pan: null,
      panAutomation: null,
      volumeAutomation: null,
      items: [],
      end: 0,
    };
    if (segment !== undefined && kind !== "other")
      new TrackWalker(track, registry, warnings, usage, kind === "audio", tc.rate).walkSlot(segment);
    const firstClip = track.items.find((item) => item.type === "clip");
    track.channels = kind === "audio" ? (firstClip?.type === "clip" ? firstClip.channels : 1) : 0;
    resolved.push(track);
  }

  const proTools = isProTools(app);
  const tracks = resolved.map((track) => (proTools ? applyProToolsOptions(track, options) : track));
  const ordered = [
    ...tracks.filter((t) => t.kind === "audio"),
    ...tracks.filter((t) => t.kind === "video"),
    ...tracks.filter((t) => t.kind === "other"),
  ];
  const length = Math.max(0, ...ordered.map((t) => convertUnits(t.end, t.editRate, tc.rate)));

  const documentTracks: Track[] = ordered.map((track) => {
    const offset = convertUnits(tc.start, tc.rate, track.editRate);
    return {
      kind: track.kind,
      name: track.name,
      editRate: rateString(track.editRate),
      channels: track.channels,
      mute: track.mute,
      solo: track.solo,
      gainDb: track.gainDb,
      items: track.items.map((item) => {
        if (item.type === "crossfade") return item;
        const { sourceName: _name, sourceLength: _length, ...clip } = item;
        return { ...clip, start: clip.start + offset };
      }),
      pan: track.pan,
      // Counted from 00:00:00:00 with the same (rounded) offset as the items, so a point at a clip's edge stays there.
      panAutomation: track.panAutomation?.map((p) => ({ ...p, position: p.position + offset })) ?? null,
      volumeAutomation: track.volumeAutomation?.map((p) => ({ ...p, position: p.position + offset })) ?? null,
    };
  });

  return {
    format: "aaf",
    application: app,
    composition: {
      name: composition.string("Name") ?? null,
      editRate: rateString(tc.rate),
      start: tc.start,
      startTimecode: timecodeLabel(tc.start, tc.fps, tc.drop),
      fps: tc.fps,
      dropFrame: tc.drop,
      length,
    },
    tracks: documentTracks,
    essences: registry.essences,
    markers: collectMarkers(composition, tc.rate, tc.start),
    warnings: [...warnings, ...new Set(registry.warnings)],
  };
}
