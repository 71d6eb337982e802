import type { MediaStore } from "@dubstage/media-store";
import { mxfAudioAsWav, openMxf } from "@dubstage/mxf";
import type { MediaInspector, UploadedMedia } from "../../app/ports.ts";
import { readWavHeader, takeInfoOf } from "../../domain/media/index.ts";
import { storeByteSource } from "./store-byte-source.ts";

const HEADER_BYTES = 256 * 1024;
const MXF_KEY = [0x06, 0x0e, 0x2b, 0x34];

/**
 * Reads each uploaded file's header from the store: a WAV/BWF gives its format, BWF time reference and
 * UMID; an MXF (Avid OP-Atom) is converted to WAV through its descriptor. Each usable file is stored
 * content-addressed (`media/sha256/...`, immutable), which is the key clips reference; the upload itself
 * stays where it was. A file that is neither is reported, not fatal.
 */
export function storeMediaInspector(store: MediaStore): MediaInspector {
  return {
    async describe(files, signal) {
      const media: UploadedMedia[] = [];
      const warnings: string[] = [];
      for (const file of files) {
        signal?.throwIfAborted();
        try {
          const described = await describeOne(store, file.key, file.fileName, signal);
          if (typeof described === "string") warnings.push(`${file.fileName}: ${described}`);
          else media.push(described);
        } catch (error) {
          warnings.push(`${file.fileName}: ${error instanceof Error ? error.message : String(error)}; not used for relinking`);
        }
      }
      return { media, warnings };
    },
  };
}

async function describeOne(
  store: MediaStore,
  key: string,
  fileName: string,
  signal: AbortSignal | undefined,
): Promise<UploadedMedia | string> {
  const head = await store.head(key);
  const source = storeByteSource(store, key, head.size);
  const first = await source.read(0, Math.min(HEADER_BYTES, head.size));
  if (MXF_KEY.every((b, i) => first[i] === b)) {
    const mxf = await openMxf(source);
    if (mxf.audio === null) return "an MXF file without audio; not used for relinking";
    const stored = await store.put(mxfAudioAsWav(mxf, source), {
      scheme: { kind: "content-addressed" },
      contentType: "audio/wav",
      ...(signal && { signal }),
    });
    return {
      mediaKey: stored.key,
      fileName,
      umid: mxf.filePackageUmid,
      tapeName: null,
      timeReference: null,
      channels: mxf.audio.channels,
      sampleRate: mxf.audio.sampleRate,
      bitDepth: mxf.audio.bitDepth,
      lengthSamples: mxf.audio.lengthSamples,
    };
  }
  const tag = String.fromCharCode(...first.subarray(0, 4));
  if (tag !== "RIFF" && tag !== "RF64") return "not a WAV/BWF or MXF file; not used for relinking";
  const wav = readWavHeader(first);
  const stored = await store.put(await store.get(key), {
    scheme: { kind: "content-addressed" },
    contentType: "audio/wav",
    ...(signal && { signal }),
  });
  return {
    mediaKey: stored.key,
    fileName,
    umid: wav.bext?.umid ?? null,
    tapeName: tapeOf(wav.ixml ?? null),
    timeReference: safeNumber(wav.bext?.timeReference),
    channels: wav.format.channels,
    sampleRate: wav.format.sampleRate,
    bitDepth: wav.format.bitsPerSample,
    lengthSamples: wav.lengthSamples,
    ...withTake(wav.ixml, wav.bext?.description ?? null),
  };
}

function withTake(ixml: string | null, bextDescription: string | null): Pick<UploadedMedia, "take"> {
  const take = takeInfoOf({ ixml, bextDescription });
  return take === undefined ? {} : { take };
}

/** iXML `<TAPE>` (the sound roll), when present. */
function tapeOf(ixml: string | null): string | null {
  const match = ixml === null ? null : /<TAPE>([^<]{1,255})<\/TAPE>/i.exec(ixml);
  return match?.[1]?.trim() || null;
}

/** A bext time reference (64-bit) as a number when it fits exactly (2^53 samples is 5,900 years at 48 kHz). */
function safeNumber(value: bigint | null | undefined): number | null {
  return value === null || value === undefined || value > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value);
}
