import { createHash } from "node:crypto";

/** What a test reads back from a WAV file: enough to check the header describes the data (test only). */
export interface ParsedWav {
  form: "RIFF" | "RF64";
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  dataBytes: number;
  frames: number;
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const all: Uint8Array[] = [];
  for await (const c of chunks) all.push(c.slice());
  return concatChunks(all);
}

export const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/** Parses a RIFF/RF64 WAVE header strictly: sizes must agree with the bytes given. */
export function parseWav(bytes: Uint8Array): ParsedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const form = tag(0);
  if ((form !== "RIFF" && form !== "RF64") || tag(8) !== "WAVE") throw new Error(`not a WAVE file: ${form}/${tag(8)}`);
  const riffSize = view.getUint32(4, true);
  if (form === "RIFF" && riffSize + 8 !== bytes.byteLength) throw new Error(`RIFF size ${riffSize} + 8 != ${bytes.byteLength} bytes`);
  let fmt: Omit<ParsedWav, "form" | "dataOffset" | "dataBytes" | "frames"> | undefined;
  let ds64Data: number | undefined;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const id = tag(at);
    let size = view.getUint32(at + 4, true);
    if (id === "ds64") ds64Data = Number(view.getBigUint64(at + 16, true));
    if (id === "fmt ") {
      fmt = {
        formatTag: view.getUint16(at + 8, true),
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        blockAlign: view.getUint16(at + 20, true),
        bitsPerSample: view.getUint16(at + 22, true),
      };
      if (view.getUint32(at + 16, true) !== fmt.sampleRate * fmt.blockAlign) throw new Error("byte rate != rate x block align");
    }
    if (id === "data") {
      if (form === "RF64" && size === 0xffffffff && ds64Data !== undefined) size = ds64Data;
      if (fmt === undefined) throw new Error("data before fmt");
      if (at + 8 + size > bytes.byteLength) throw new Error("data chunk past the end");
      return { form, ...fmt, dataOffset: at + 8, dataBytes: size, frames: size / fmt.blockAlign };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk");
}
