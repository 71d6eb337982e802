import type { Essence } from "@dubstage/interchange";
import type { AafFile, AafObject, Rational } from "../objects/index.ts";
import { asBytes, convertUnits, integer } from "./values.ts";

/** What a file SourceMob's descriptor says about its audio. */
interface AudioFormat {
  channels: number;
  sampleRate: number;
  bitDepth: number;
  length: number;
}

/** Where an essence of the document comes from: what the registry met it as (for `../essence`'s details). */
export interface EssenceSource {
  readonly fileMob: AafObject;
  /** The file mob's slot the clips play. */
  readonly slotId: number;
  /** The name the resolution offered (the master mob's, when a master mob led to the file mob). */
  readonly preferredName: string | null;
}

/**
 * Collects the essences clips refer to: one per (file mob, slot), named after the master mob (or the file
 * mob), made unique with "_1", "_2"... in the order clips first meet them.
 */
export class EssenceRegistry {
  readonly #file: AafFile;
  readonly #byKey = new Map<string, Essence>();
  readonly #byName = new Map<string, Essence>();
  readonly #sources = new Map<string, EssenceSource>();
  readonly #embedded: Set<string>;
  readonly warnings: string[] = [];

  constructor(file: AafFile) {
    this.#file = file;
    this.#embedded = new Set();
    for (const data of file.header.object("Content")?.objects("EssenceData") ?? []) {
      const id = data.mobId("MobID");
      if (id !== undefined) this.#embedded.add(id.hex);
    }
  }

  get essences(): Essence[] {
    return [...this.#byKey.values()];
  }

  /** Per essence name, the file mob and slot it was registered for. */
  get sources(): ReadonlyMap<string, EssenceSource> {
    return this.#sources;
  }

  /** The essence of a file SourceMob's slot, registered under `preferredName` the first time it is met. */
  register(fileMob: AafObject, slotId: number, preferredName: string | null): string {
    const id = fileMob.mobId("MobID")?.hex ?? fileMob.path;
    const key = `${id}/${slotId}`;
    const known = this.#byKey.get(key);
    if (known !== undefined) return known.name;
    const base = preferredName?.trim() || fileMob.string("Name")?.trim() || `essence ${this.#byKey.size + 1}`;
    let name = base;
    for (let n = 1; this.#byName.has(name); n++) name = `${base}_${n}`;
    const descriptor = fileMob.object("EssenceDescription");
    const format = descriptor === undefined ? undefined : audioFormat(descriptor);
    const embedded = this.#embedded.has(id);
    const essence: Essence = {
      name,
      embedded,
      uri: embedded || descriptor === undefined ? null : locatorUri(descriptor),
      channels: format?.channels ?? 1,
      sampleRate: format?.sampleRate ?? 0,
      bitDepth: format?.bitDepth ?? 0,
      length: format?.length ?? 0,
    };
    this.#byKey.set(key, essence);
    this.#byName.set(name, essence);
    this.#sources.set(name, { fileMob, slotId, preferredName });
    return name;
  }

  /** An essence's length (samples) in `rate` units, null when its sample rate is unknown. */
  lengthIn(name: string, rate: Rational): number | null {
    const essence = this.#byName.get(name);
    if (essence === undefined || essence.sampleRate === 0) return null;
    return convertUnits(essence.length, { numerator: essence.sampleRate, denominator: 1 }, rate);
  }

  /** For a SourceClip pointing outside the file. */
  missing(mobHex: string): void {
    this.warnings.push(`a SourceClip refers to mob ${mobHex}, which is not in the file: the clip is kept without essence`);
  }

  get file(): AafFile {
    return this.#file;
  }
}

function locatorUri(descriptor: AafObject): string | null {
  for (const locator of descriptor.objects("Locator")) {
    const url = locator.string("URLString");
    if (url) return url;
  }
  return null;
}

function audioFormat(descriptor: AafObject): AudioFormat | undefined {
  if (descriptor.isA("MultipleDescriptor")) {
    for (const sub of descriptor.objects("FileDescriptors")) {
      const f = audioFormat(sub);
      if (f !== undefined) return f;
    }
    return undefined;
  }
  const sampleRate = descriptor.rational("SampleRate");
  const length = integer(descriptor, "Length") ?? 0;
  const summary = asBytes(descriptor.get("Summary"));
  if (summary !== undefined) {
    const f = descriptor.isA("AIFCDescriptor") ? aifcFormat(summary) : wavFormat(summary);
    if (f !== undefined) return { ...f, length: lengthInSamples(length, sampleRate, f.sampleRate) };
  }
  if (descriptor.isA("SoundDescriptor")) {
    const audioRate = descriptor.rational("AudioSamplingRate");
    const rate = audioRate === undefined || audioRate.denominator === 0 ? 0 : Math.round(audioRate.numerator / audioRate.denominator);
    return {
      channels: integer(descriptor, "Channels") ?? 1,
      sampleRate: rate,
      bitDepth: integer(descriptor, "QuantizationBits") ?? 0,
      length: lengthInSamples(length, sampleRate, rate),
    };
  }
  return undefined;
}

function lengthInSamples(length: number, editRate: Rational | undefined, sampleRate: number): number {
  if (editRate === undefined || sampleRate === 0) return length;
  return convertUnits(length, editRate, { numerator: sampleRate, denominator: 1 });
}

/** Channels, rate and bits from a RIFF/WAVE header's "fmt " chunk (the WAVEDescriptor's Summary). */
export function wavFormat(bytes: Uint8Array): Omit<AudioFormat, "length"> | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "RIFF") return undefined;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === "fmt " && at + 8 + 16 <= bytes.byteLength) {
      return {
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bitDepth: view.getUint16(at + 22, true),
      };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

/** Channels, rate and bits from an AIFF/AIFC header's COMM chunk (the AIFCDescriptor's Summary). */
export function aifcFormat(bytes: Uint8Array): Omit<AudioFormat, "length"> | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "FORM") return undefined;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const size = view.getUint32(at + 4, false);
    if (tag(at) === "COMM" && at + 8 + 18 <= bytes.byteLength) {
      const channels = view.getInt16(at + 8, false);
      const bitDepth = view.getInt16(at + 14, false);
      // 80-bit IEEE extended sample rate: sign+exponent (15 bits, bias 16383), then a 64-bit mantissa.
      const exponent = (view.getUint16(at + 16, false) & 0x7fff) - 16383;
      const mantissa = view.getUint32(at + 18, false) * 2 ** 32 + view.getUint32(at + 22, false);
      const sampleRate = Math.round(mantissa * 2 ** (exponent - 63));
      return { channels, sampleRate, bitDepth };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
