import type { Essence } from "@dubstage/interchange";
import type { AafFile, AafObject, Rational } from "../objects/index.ts";
import type { EssenceSource } from "../resolve/essences.ts";
import { firstSourceClip, slotById } from "../resolve/source-chain.ts";
import { convertUnits, integer } from "../resolve/values.ts";
import type { StreamReader } from "../storage.ts";
import { AafEssenceError } from "./errors.ts";
import { type EssenceLayout, rawPcmLayout, type StoredContainer, sniff, storedAifcLayout, storedWaveLayout } from "./stored-layout.ts";

/** What an ingest needs to know about one essence of the document, beyond `Essence`. */
export interface EssenceDetail {
  /** `Essence.name` in the document: what clips refer to. */
  readonly name: string;
  /** The file SourceMob's MobID: the 32-byte SMPTE UMID as 64 hex digits (as stored). */
  readonly fileMobId: string | null;
  /** The MasterMob that plays the file mob (the one clips went through, when several do). */
  readonly masterMobId: string | null;
  /** The tape or import SourceMob's name at the end of the file mob's source chain. */
  readonly tapeName: string | null;
  /**
   * Where the essence starts on the timecode of the mob at the end of its chain, in the essence's samples
   * from 00:00:00:00 (the BWF time reference), when that mob has a timecode.
   */
  readonly sourceTimecode: number | null;
  /** The linked file's URI, as in the document (null when embedded or when the file gives none). */
  readonly uri: string | null;
  /** The linked file is MXF (OP-Atom): the locator's name (.mxf), or without one the container, says so. False when embedded. */
  readonly mxf: boolean;
  readonly embedded: EmbeddedEssence | null;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly lengthSamples: number;
}

export interface EmbeddedEssence {
  /** How the essence is stored in the AAF: a WAVE file, an AIFF/AIFC file, or raw little-endian PCM. */
  readonly container: StoredContainer;
  /** Bytes of sample data stored. */
  readonly dataBytes: number;
  /** Bytes `openEssence` yields (the whole WAV file). */
  readonly wavBytes: number;
  /** Why `openEssence` will refuse it (a header that does not check out, a compressed AIFC), or null. */
  readonly problem: string | null;
}

/** Per essence name: its detail, and how to stream it when it is embedded and streamable. */
export interface DescribedEssence {
  readonly detail: EssenceDetail;
  readonly stream: { readonly reader: StreamReader; readonly layout: EssenceLayout } | undefined;
}

/** SMPTE MXF generic-container labels (0d010301...) as AAF stores them (AUID: the UL's halves swapped). */
const MXF_GC_CONTAINER = /^0d010301-/;
const NULL_MOB = /^0+$/;
const MAX_CHAIN = 16;

export async function describeEssences(
  file: AafFile,
  essences: readonly Essence[],
  sources: ReadonlyMap<string, EssenceSource>,
): Promise<Map<string, DescribedEssence>> {
  const masters = masterIndex(file);
  // Opened only for the essences the document plays (opening maps the stream's whole sector chain).
  const streams = new Map<string, () => StreamReader>();
  for (const data of file.header.object("Content")?.objects("EssenceData") ?? []) {
    const id = data.mobId("MobID");
    const value = data.get("Data");
    if (id !== undefined && value?.kind === "stream") streams.set(id.hex, () => value.open());
  }
  const out = new Map<string, DescribedEssence>();
  for (const essence of essences) {
    const source = sources.get(essence.name);
    const fileMob = source?.fileMob;
    const fileMobId = fileMob?.mobId("MobID")?.hex ?? null;
    const candidates = source === undefined || fileMobId === null ? [] : (masters.get(`${fileMobId}/${source.slotId}`) ?? []);
    const master = candidates.find((m) => m.string("Name") === source?.preferredName) ?? candidates[0];
    const chain = source === undefined ? { tapeName: null, sourceTimecode: null } : followChain(file, source, essence.sampleRate);
    const reader = fileMobId === null || !essence.embedded ? undefined : streams.get(fileMobId)?.();
    const descriptor = fileMob?.object("EssenceDescription");
    const stored = reader === undefined ? undefined : await layoutOf(reader, descriptor, essence);
    out.set(essence.name, {
      detail: {
        name: essence.name,
        fileMobId,
        masterMobId: master?.mobId("MobID")?.hex ?? null,
        tapeName: chain.tapeName,
        sourceTimecode: chain.sourceTimecode,
        uri: essence.uri,
        mxf: reader === undefined && descriptor !== undefined && saysMxf(descriptor),
        embedded: stored === undefined ? null : stored.embedded,
        channels: essence.channels,
        sampleRate: essence.sampleRate,
        bitDepth: essence.bitDepth,
        lengthSamples: essence.length,
      },
      stream: reader === undefined || stored?.layout === undefined ? undefined : { reader, layout: stored.layout },
    });
  }
  return out;
}

/** MasterMobs by the (file mob, slot) their slots play. */
function masterIndex(file: AafFile): Map<string, AafObject[]> {
  const index = new Map<string, AafObject[]>();
  for (const mob of file.mobs.values()) {
    if (!mob.isA("MasterMob")) continue;
    for (const slot of mob.objects("Slots")) {
      const clip = firstSourceClip(slot.object("Segment"));
      const id = clip?.mobId("SourceID");
      if (clip === undefined || id === undefined) continue;
      const key = `${id.hex}/${integer(clip, "SourceMobSlotID") ?? 0}`;
      const list = index.get(key) ?? [];
      if (!list.includes(mob)) list.push(mob);
      index.set(key, list);
    }
  }
  return index;
}

/**
 * From the file mob's slot down its SourceClips to the last SourceMob in the file (the tape or import mob),
 * adding the clips' StartTimes; with that mob's timecode start, where the essence starts on its timecode.
 */
function followChain(file: AafFile, source: EssenceSource, sampleRate: number): { tapeName: string | null; sourceTimecode: number | null } {
  const samples: Rational = { numerator: sampleRate, denominator: 1 };
  let mob = source.fileMob;
  let slot = slotById(mob, source.slotId);
  let offset = 0;
  let tape: AafObject | undefined;
  for (let depth = 0; slot !== undefined && depth < MAX_CHAIN; depth++) {
    const clip = firstSourceClip(slot.object("Segment"));
    const id = clip?.mobId("SourceID");
    if (clip === undefined || id === undefined || NULL_MOB.test(id.hex)) break;
    const next = file.findMob(id);
    if (next === undefined || !next.isA("SourceMob") || next === mob) break;
    const rate = slot.rational("EditRate");
    if (sampleRate > 0 && rate !== undefined) offset += convertUnits(integer(clip, "StartTime") ?? 0, rate, samples);
    mob = next;
    tape = next;
    slot = slotById(next, integer(clip, "SourceMobSlotID"));
  }
  const tc = sampleRate > 0 ? timecodeStart(tape ?? source.fileMob) : undefined;
  return {
    tapeName: tape?.string("Name")?.trim() || null,
    sourceTimecode: tc === undefined ? null : convertUnits(tc.start, tc.rate, samples) + offset,
  };
}

/** The Start of a mob's Timecode segment (alone in a slot or in a Sequence), in its slot's edit units. */
function timecodeStart(mob: AafObject): { start: number; rate: Rational } | undefined {
  for (const slot of mob.objects("Slots")) {
    const segment = slot.object("Segment");
    const timecode = segment?.isA("Timecode")
      ? segment
      : segment?.isA("Sequence")
        ? segment.objects("Components").find((c) => c.isA("Timecode"))
        : undefined;
    const rate = slot.rational("EditRate");
    const start = timecode === undefined ? undefined : integer(timecode, "Start");
    if (start !== undefined && rate !== undefined && rate.numerator > 0) return { start, rate };
  }
  return undefined;
}

/**
 * A locator's file name decides (.mxf, or another extension: Premiere puts linked WAVs under the AAF-KLV
 * container too); without one, the container: an MXF generic-container label, or a definition named MXF
 * (Avid and Pro Tools name the AAF-KLV container so).
 */
function saysMxf(descriptor: AafObject): boolean {
  const all = descriptor.isA("MultipleDescriptor") ? [descriptor, ...descriptor.objects("FileDescriptors")] : [descriptor];
  const urls = all.flatMap((d) => d.objects("Locator").map((l) => l.string("URLString") ?? "")).filter((u) => u !== "");
  if (urls.length > 0) return urls.some((u) => /\.mxf$/i.test(u));
  return all.some((d) => {
    const container = d.get("ContainerFormat");
    return (
      container?.kind === "weakRef" &&
      (MXF_GC_CONTAINER.test(container.value.key) || /\bmxf\b/i.test(container.value.target?.string("Name") ?? ""))
    );
  });
}

/** The descriptor class that says how the essence is stored: WAVE, AIFC, or PCM/Sound (raw samples). */
function storedKind(descriptor: AafObject | undefined): StoredContainer | undefined {
  if (descriptor === undefined) return undefined;
  if (descriptor.isA("MultipleDescriptor")) {
    for (const sub of descriptor.objects("FileDescriptors")) {
      const kind = storedKind(sub);
      if (kind !== undefined) return kind;
    }
    return undefined;
  }
  if (descriptor.isA("WAVEDescriptor")) return "wave";
  if (descriptor.isA("AIFCDescriptor")) return "aifc";
  if (descriptor.isA("PCMDescriptor") || descriptor.isA("SoundDescriptor")) return "pcm";
  return undefined;
}

async function layoutOf(
  reader: StreamReader,
  descriptor: AafObject | undefined,
  essence: Essence,
): Promise<{ embedded: EmbeddedEssence; layout: EssenceLayout | undefined }> {
  const where = `essence "${essence.name}"`;
  // The stream's own first bytes win over the descriptor: a RIFF or FORM file is read as one.
  const magic = reader.size >= 4 ? await sniff(reader) : "";
  const declared = storedKind(descriptor);
  const container: StoredContainer = magic === "RIFF" || magic === "RF64" ? "wave" : magic === "FORM" ? "aifc" : (declared ?? "pcm");
  try {
    let layout: EssenceLayout;
    if (container === "wave") layout = await storedWaveLayout(reader, where);
    else if (container === "aifc") layout = await storedAifcLayout(reader, where);
    else {
      if (declared === undefined) {
        throw new AafEssenceError(
          `${where}: its descriptor (${descriptor?.className ?? "none"}) is not an audio descriptor this reader streams`,
        );
      }
      const bits = Math.ceil(essence.bitDepth / 8) * 8;
      layout = rawPcmLayout(reader, { channels: essence.channels, sampleRate: essence.sampleRate, bitsPerSample: bits }, where);
    }
    return { embedded: { container, dataBytes: layout.dataBytes, wavBytes: layout.wavBytes, problem: null }, layout };
  } catch (error) {
    if (!(error instanceof AafEssenceError)) throw error;
    return { embedded: { container, dataBytes: 0, wavBytes: 0, problem: error.message }, layout: undefined };
  }
}
