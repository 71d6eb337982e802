import type { OmfObject } from "../model/omf-file.ts";

/** What a media descriptor's summary tells about audio: channel count and bits per sample. */
export interface AudioFormat {
  readonly channels: number;
  readonly bitDepth: number;
}

/** The COMM chunk of an AIFF/AIFC header (big-endian): channels(2) frames(4) sampleSize(2) rate(10). */
export function parseAifcSummary(bytes: Uint8Array): AudioFormat | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0) !== 0x464f524d) return null; // "FORM"
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = view.getUint32(at);
    const size = view.getUint32(at + 4);
    if (id === 0x434f4d4d && at + 8 + 8 <= bytes.byteLength) {
      return { channels: view.getUint16(at + 8), bitDepth: view.getUint16(at + 14) };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

/** The "fmt " chunk of a RIFF/WAVE header (little-endian): channels at +2, bits per sample at +14. */
export function parseWaveSummary(bytes: Uint8Array): AudioFormat | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0) !== 0x52494646) return null; // "RIFF"
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = view.getUint32(at);
    const size = view.getUint32(at + 4, true);
    if (id === 0x666d7420 && at + 8 + 16 <= bytes.byteLength) {
      return { channels: view.getUint16(at + 10, true), bitDepth: view.getUint16(at + 22, true) };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

/** Audio descriptor classes and the property holding their file-header summary. */
export const AUDIO_DESCRIPTORS: Readonly<Record<string, { summary: string; parse: (b: Uint8Array) => AudioFormat | null }>> = {
  AIFD: { summary: "OMFI:AIFD:Summary", parse: parseAifcSummary },
  WAVD: { summary: "OMFI:WAVD:Summary", parse: parseWaveSummary },
};

/** Media data classes and their sample data property. */
export const MEDIA_DATA: Readonly<Record<string, string>> = {
  AIFC: "OMFI:AIFC:AudioData",
  WAVE: "OMFI:WAVE:AudioData",
  TIFF: "OMFI:TIFF:ImageData",
  JPEG: "OMFI:IDAT:ImageData",
  IDAT: "OMFI:IDAT:ImageData",
};

/** Locator classes and the property holding a file name. */
export const LOCATORS: Readonly<Record<string, string>> = {
  DOSL: "OMFI:DOSL:PathName",
  UNXL: "OMFI:UNXL:PathName",
  WINL: "OMFI:WINL:PathName",
  MACL: "OMFI:MACL:FileName",
  TXTL: "OMFI:TXTL:Name",
  NETL: "OMFI:NETL:URLString",
};

/** A locator's file name as a URI: kept as is when it has a scheme, else a `file:` URI of the path. */
export async function locatorUri(locator: OmfObject): Promise<string | null> {
  const prop = LOCATORS[locator.classTag];
  if (prop === undefined) return null;
  const name = await locator.string(prop);
  if (name === null || name === "") return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return name;
  const path = name.replaceAll("\\", "/");
  // Absolute paths become file URIs (a DOS drive letter too); a relative name stays a relative reference.
  if (path.startsWith("/")) return `file://${encodeURI(path)}`;
  if (/^[a-z]:\//i.test(path)) return `file:///${encodeURI(path)}`;
  return encodeURI(path);
}
