import { type ByteSource, cachedByteSource } from "@dubstage/aaf";
import { at, MxfFormatError, NotMxfError } from "./errors.ts";
import { type ByteRange, locateEssence } from "./essence.ts";
import { type HeaderMetadata, type MetadataSet, readHeaderMetadata } from "./header-metadata.ts";
import { toHex } from "./klv.ts";
import {
  dataKind,
  describeEssenceContainer,
  describeOperationalPattern,
  HEADER_PARTITION_KEY_PREFIX,
  isSoundDescriptorClass,
  SET,
  type SoundContainer,
  setClassName,
  soundContainer,
} from "./labels.ts";
import { type PartitionPack, readPartitionPack } from "./partition.ts";
import { i64, type Rational, rational, ref, refArray, segmentComponents, u8, u16, u32, ul, umid, utf16 } from "./properties.ts";
import { type MxfTimecode, resolveStartTimecode } from "./timecode.ts";

export interface MxfAudio {
  /** Samples per second per channel (AudioSamplingRate, a whole number). */
  readonly sampleRate: number;
  readonly channels: number;
  /** QuantizationBits: meaningful bits per sample (20 in a 24-bit container, say). */
  readonly bitDepth: number;
  /** Bytes per sample frame (all channels): channels x the container bytes per sample. */
  readonly blockAlign: number;
  /** Whole sample frames in the essence. */
  readonly lengthSamples: number;
  /** SMPTE 382M mapping: BWF (WaveAudioDescriptor) or AES3 (AES3AudioDescriptor); both hold little-endian PCM. */
  readonly essenceContainer: "wave" | "aes3";
  /** One essence element for the whole clip, or one per edit unit. */
  readonly wrapping: "clip" | "frame";
}

export interface MxfFile {
  /** `OP-Atom (060e2b34.04010102.0d010201.10030000)`: the name when known, then the label. */
  readonly operationalPattern: string;
  /**
   * The file SourcePackage (the one with the essence descriptor): its UMID, 64 hex digits in MXF byte order.
   * An AAF's file SourceMob has this MobID; `umidAsAafMobIdHex` gives it in the order the AAF stores it.
   */
  readonly filePackageUmid: string;
  /** The MaterialPackage that uses the file package (Avid's master clip), or null when there is none. */
  readonly materialPackageUmid: string | null;
  /** The material package's name (the clip name in Avid media), else the file package's, else null. */
  readonly packageName: string | null;
  /** The essence descriptor's class, e.g. `WaveAudioDescriptor`, or `CDCIEssenceDescriptor` for picture. */
  readonly descriptor: string;
  /** Null when the file package's essence is not PCM audio (`descriptor` says what it is). */
  readonly audio: MxfAudio | null;
  /** Timecode of the first sample: the file package's timecode track, else its source (tape) package's plus the clip's start, else the material package's. */
  readonly startTimecode: MxfTimecode | null;
  /** Byte ranges of the PCM data in file order (frame wrapping gives one per edit unit); empty when not audio. */
  readonly essence: readonly ByteRange[];
  /** TrackIDs of the file package's sound tracks (OP1a may hold several; OP-Atom one); `audio` is the first, or `soundTrackId`'s. */
  readonly soundTrackIds: readonly number[];
  /** Bytes before the header partition (SMPTE 377M run-in, at most 64 KiB). */
  readonly runIn: number;
}

export interface OpenMxfOptions {
  /** Largest header metadata accepted. @default 67108864 (64 MiB) */
  readonly maxHeaderMetadataBytes?: number;
  /** The sound track to read, by TrackID (see `soundTrackIds`). @default the first sound track */
  readonly soundTrackId?: number;
  /** Most KLVs walked to find the essence. @default 20000000 */
  readonly maxKlvs?: number;
}

const MAX_RUN_IN = 65_536;
const MAX_CHANNELS = 256;
const MAX_SAMPLE_RATE = 1_000_000;

/**
 * Reads an MXF file's partition packs and header metadata, finds the file package and its sound descriptor,
 * and locates the PCM essence. Reads only headers and metadata: the audio itself is left in place.
 */
export async function openMxf(input: ByteSource, options: OpenMxfOptions = {}): Promise<MxfFile> {
  const source = cachedByteSource(input, { blockSize: 65_536, maxBlocks: 64 });
  const runIn = await findHeaderPartition(source);
  const header = await readPartitionPack(source, runIn);
  if (header.kind !== "header") throw new MxfFormatError("the first partition is not a header partition", at(runIn));
  const footerOffset =
    header.footerPartition > 0 ? checkedOffset(source, runIn, header.footerPartition, "FooterPartition", header.offset) : null;
  const metaPartition = await choosePartitionWithMetadata(source, header, footerOffset);
  const meta = await readHeaderMetadata(source, metaPartition.end, metaPartition.headerByteCount, {
    maxBytes: options.maxHeaderMetadataBytes,
  });

  const preface = meta.sets.find((s) => s.setClass === SET.preface);
  const operationalPattern = describeOperationalPattern(
    (preface && ul(preface, 0x3b09, "OperationalPattern")) ?? header.operationalPattern,
  );
  const storage =
    (preface && ref(meta, preface, 0x3b03, "Preface ContentStorage")) ?? meta.sets.find((s) => s.setClass === SET.contentStorage);
  const packages = storage?.properties.has(0x1901)
    ? refArray(meta, storage, 0x1901, "ContentStorage Packages")
    : meta.sets.filter((s) => s.setClass === SET.materialPackage || s.setClass === SET.sourcePackage);
  const containerData = storage?.properties.has(0x1902)
    ? refArray(meta, storage, 0x1902, "ContentStorage EssenceContainerData")
    : meta.sets.filter((s) => s.setClass === SET.essenceContainerData);
  const bodySidByPackage = new Map<string, number>();
  for (const ecd of containerData) {
    const linked = umid(ecd, 0x2701, "LinkedPackageUID");
    if (linked) bodySidByPackage.set(linked, u32(ecd, 0x3f07, "BodySID") ?? 0);
  }

  const file = chooseFilePackage(meta, packages, bodySidByPackage);
  const filePackageUmid = umid(file.pkg, 0x4401, "PackageUID") as string;
  const material =
    packages.find((p) => p.setClass === SET.materialPackage && usesPackage(meta, p, filePackageUmid)) ??
    packages.find((p) => p.setClass === SET.materialPackage);
  const materialPackageUmid = material ? (umid(material, 0x4401, "PackageUID") ?? null) : null;
  const packageName = nonEmpty(material && utf16(material, 0x4402, "Name")) ?? nonEmpty(utf16(file.pkg, 0x4402, "Name")) ?? null;
  const descriptorName = setClassName(file.descriptor.setClass ?? -1);

  const { sound, track: soundTrack, trackIds: soundTrackIds } = chooseSound(meta, file, options.soundTrackId);
  const startTimecode = resolveStartTimecode(meta, packages, file.pkg, soundTrack, material ?? null);

  const base = { operationalPattern, filePackageUmid, materialPackageUmid, packageName, startTimecode, soundTrackIds, runIn };
  if (!sound) return { ...base, descriptor: descriptorName, audio: null, essence: [] };

  const container = soundContainerOf(sound, header);
  if (!container) {
    const label = ul(sound, 0x3004, "EssenceContainer");
    return {
      ...base,
      descriptor: `${setClassName(sound.setClass ?? -1)} (${label ? describeEssenceContainer(label) : "no essence container label"}: not PCM)`,
      audio: null,
      essence: [],
    };
  }
  const format = soundFormat(sound);
  const bodySid = bodySidByPackage.get(filePackageUmid) ?? null;
  const walk = await locateEssence(source, runIn, {
    trackNumber: soundTrack ? (u32(soundTrack, 0x4804, "TrackNumber") ?? 0) : 0,
    bodySid: bodySid === 0 ? null : bodySid,
    footerOffset,
    maxKlvs: options.maxKlvs,
  });
  const totalBytes = walk.ranges.reduce((sum, r) => sum + r.length, 0);
  const declared = i64(sound, 0x3002, "ContainerDuration");
  if (walk.ranges.length === 0 && declared !== undefined && declared > 0) {
    throw new MxfFormatError(
      `the descriptor declares ${declared} edit units of essence but the file holds no sound essence element`,
      at(sound.offset),
    );
  }
  const keyWrapping = walk.elementKey ? walk.elementKey[14] : undefined;
  const wrapping =
    keyWrapping === 0x02 || keyWrapping === 0x04 ? "clip" : keyWrapping === 0x01 || keyWrapping === 0x03 ? "frame" : container.wrapping;
  return {
    ...base,
    descriptor: setClassName(sound.setClass ?? -1),
    audio: { ...format, lengthSamples: Math.floor(totalBytes / format.blockAlign), essenceContainer: container.kind, wrapping },
    essence: walk.ranges,
  };
}

async function findHeaderPartition(source: ByteSource): Promise<number> {
  const head = await source.read(0, Math.min(source.size, MAX_RUN_IN + HEADER_PARTITION_KEY_PREFIX.length));
  outer: for (let i = 0; i + HEADER_PARTITION_KEY_PREFIX.length <= head.byteLength; i++) {
    for (let j = 0; j < HEADER_PARTITION_KEY_PREFIX.length; j++) if (head[i + j] !== HEADER_PARTITION_KEY_PREFIX[j]) continue outer;
    return i;
  }
  throw new NotMxfError(`not an MXF file: no header partition pack in the first ${MAX_RUN_IN} bytes (${describeOtherFormat(head)})`, at(0));
}

/** What the first bytes look like instead, for the NotMxfError. */
export function describeOtherFormat(head: Uint8Array): string {
  if (head.byteLength === 0) return "the file is empty";
  const ascii = String.fromCharCode(...head.subarray(0, 4));
  if (ascii === "RIFF" || ascii === "RF64") return "it is a RIFF/WAV file";
  if (ascii === "FORM") return "it is an IFF/AIFF file";
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return "it is a Compound File (an AAF?)";
  return `it starts ${toHex(head.subarray(0, 16))}`;
}

/** A partition offset (relative to the header partition) as a file offset, checked to lie after `after` and inside the file. */
function checkedOffset(source: ByteSource, runIn: number, relative: number, what: string, after: number): number {
  const offset = runIn + relative;
  if (offset <= after || offset + 17 > source.size)
    throw new MxfFormatError(`${what} ${relative} lies outside the file (size ${source.size}; truncated?)`, at(after));
  return offset;
}

/**
 * A closed header partition's metadata is final; otherwise (a recording left open) the footer's copy, when
 * it has one, is the one written last.
 */
async function choosePartitionWithMetadata(source: ByteSource, header: PartitionPack, footerOffset: number | null): Promise<PartitionPack> {
  if ((header.closed && header.headerByteCount > 0) || footerOffset === null) return header;
  const footer = await readPartitionPack(source, footerOffset);
  if (footer.kind !== "footer") throw new MxfFormatError(`FooterPartition points at a ${footer.kind} partition`, at(footerOffset));
  return footer.headerByteCount > 0 ? footer : header;
}

interface FilePackage {
  readonly pkg: MetadataSet;
  readonly descriptor: MetadataSet;
  /** The sound descriptors: the descriptor itself, or the sound ones of a MultipleDescriptor, in its order. */
  readonly sounds: readonly MetadataSet[];
}

/**
 * The file package: a SourcePackage with an essence descriptor, preferring one that EssenceContainerData
 * links to essence in this file, and among those one with sound (OP1a files hold picture and sound).
 */
function chooseFilePackage(meta: HeaderMetadata, packages: readonly MetadataSet[], linked: ReadonlyMap<string, number>): FilePackage {
  const candidates: FilePackage[] = [];
  for (const pkg of packages) {
    if (pkg.setClass !== SET.sourcePackage) continue;
    const descriptor = ref(meta, pkg, 0x4701, "SourcePackage Descriptor");
    if (!descriptor || !umid(pkg, 0x4401, "PackageUID")) continue;
    const sounds = isSoundDescriptorClass(descriptor.setClass ?? -1)
      ? [descriptor]
      : descriptor.setClass === SET.multipleDescriptor
        ? refArray(meta, descriptor, 0x3f01, "SubDescriptorUIDs").filter((d) => isSoundDescriptorClass(d.setClass ?? -1))
        : [];
    candidates.push({ pkg, descriptor, sounds });
  }
  const isLinked = (c: FilePackage) => linked.has(umid(c.pkg, 0x4401, "PackageUID") as string);
  const hasSound = (c: FilePackage) => c.sounds.length > 0;
  const pick =
    candidates.find((c) => isLinked(c) && hasSound(c)) ?? candidates.find(hasSound) ?? candidates.find(isLinked) ?? candidates[0];
  if (!pick)
    throw new MxfFormatError(
      "no file package: no SourcePackage with a PackageUID and an essence descriptor",
      at(meta.sets[0]?.offset ?? 0),
    );
  return pick;
}

/** The sound descriptor asked for by TrackID (the first when none is), with its track and every sound TrackID. */
function chooseSound(
  meta: HeaderMetadata,
  file: FilePackage,
  trackId: number | undefined,
): { sound: MetadataSet | null; track: MetadataSet | null; trackIds: number[] } {
  const withTracks = file.sounds.map((sound) => ({ sound, track: findSoundTrack(meta, file.pkg, sound) }));
  const trackIds = withTracks.map((s) => (s.track ? u32(s.track, 0x4801, "TrackID") : undefined)).filter((id) => id !== undefined);
  if (trackId === undefined) return { sound: withTracks[0]?.sound ?? null, track: withTracks[0]?.track ?? null, trackIds };
  const chosen = withTracks.find((s) => s.track && u32(s.track, 0x4801, "TrackID") === trackId);
  if (!chosen) {
    throw new MxfFormatError(
      `no sound track with TrackID ${trackId} in the file package (its sound tracks: ${trackIds.join(", ") || "none"})`,
      at(file.pkg.offset),
    );
  }
  return { sound: chosen.sound, track: chosen.track, trackIds };
}

function usesPackage(meta: HeaderMetadata, material: MetadataSet, packageUmid: string): boolean {
  for (const track of refArray(meta, material, 0x4403, "Package Tracks")) {
    for (const clip of segmentComponents(meta, track)) {
      if (clip.setClass === SET.sourceClip && umid(clip, 0x1101, "SourcePackageID") === packageUmid) return true;
    }
  }
  return false;
}

/** The file package's sound track: the descriptor's LinkedTrackID, else the first track whose data is sound. */
function findSoundTrack(meta: HeaderMetadata, pkg: MetadataSet, sound: MetadataSet): MetadataSet | null {
  const tracks = refArray(meta, pkg, 0x4403, "Package Tracks");
  const linkedId = u32(sound, 0x3006, "LinkedTrackID");
  if (linkedId !== undefined) {
    const linked = tracks.find((t) => u32(t, 0x4801, "TrackID") === linkedId);
    if (linked) return linked;
  }
  return (
    tracks.find((t) => {
      const segment = ref(meta, t, 0x4803, "Track Sequence");
      const def = segment && ul(segment, 0x0201, "DataDefinition");
      return def !== undefined && dataKind(def) === "sound";
    }) ?? null
  );
}

function soundContainerOf(sound: MetadataSet, header: PartitionPack): SoundContainer | null {
  const label = ul(sound, 0x3004, "EssenceContainer");
  const fromLabel = label ? soundContainer(label) : null;
  if (fromLabel) return fromLabel;
  // Avid and others write private container labels; the descriptor class still says what the PCM is.
  if (sound.setClass === SET.waveAudioDescriptor) return { kind: "wave", wrapping: "clip" };
  if (sound.setClass === SET.aes3AudioDescriptor) return { kind: "aes3", wrapping: "clip" };
  // A generic sound descriptor is PCM only when the file's container says BWF/AES3.
  if (label === undefined) for (const c of header.essenceContainers) if (soundContainer(c)) return soundContainer(c);
  return null;
}

function soundFormat(sound: MetadataSet): Omit<MxfAudio, "lengthSamples" | "essenceContainer" | "wrapping"> {
  const where = `byte ${sound.offset} (${setClassName(sound.setClass ?? -1)})`;
  const rate = rational(sound, 0x3d03, "AudioSamplingRate") ?? rational(sound, 0x3001, "SampleRate");
  const sampleRate = wholeRate(rate, where);
  const channels = u32(sound, 0x3d07, "ChannelCount");
  const bitDepth = u32(sound, 0x3d01, "QuantizationBits");
  if (channels === undefined || channels < 1 || channels > MAX_CHANNELS)
    throw new MxfFormatError(`ChannelCount ${channels ?? "missing"} (1 to ${MAX_CHANNELS})`, where);
  if (bitDepth === undefined || bitDepth < 1 || bitDepth > 32)
    throw new MxfFormatError(`QuantizationBits ${bitDepth ?? "missing"} (1 to 32)`, where);
  const blockAlign = u16(sound, 0x3d0a, "BlockAlign") ?? channels * Math.ceil(bitDepth / 8);
  const bytesPerSample = blockAlign / channels;
  if (!Number.isInteger(bytesPerSample) || bytesPerSample * 8 < bitDepth || bytesPerSample > 4) {
    throw new MxfFormatError(`BlockAlign ${blockAlign} does not fit ${channels} channels of ${bitDepth}-bit samples`, where);
  }
  // SequenceOffset (5-frame audio sequences at 29.97) changes nothing for PCM bytes; read to check its shape.
  u8(sound, 0x3d0b, "SequenceOffset");
  return { sampleRate, channels, bitDepth, blockAlign };
}

function wholeRate(rate: Rational | undefined, where: string): number {
  if (!rate) throw new MxfFormatError("the sound descriptor has no AudioSamplingRate", where);
  const { numerator, denominator } = rate;
  if (denominator <= 0 || numerator <= 0 || numerator % denominator !== 0 || numerator / denominator > MAX_SAMPLE_RATE) {
    throw new MxfFormatError(`AudioSamplingRate ${numerator}/${denominator} is not a whole rate from 1 to ${MAX_SAMPLE_RATE} Hz`, where);
  }
  return numerator / denominator;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text;
}
