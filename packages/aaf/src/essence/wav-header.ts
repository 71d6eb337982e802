/** What a PCM WAV header says: interleaved integer samples, little-endian, `bitsPerSample` a multiple of 8. */
export interface PcmFormat {
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
}

const U32_MAX = 0xffffffff;
/** "RIFF" size field + "WAVE" + fmt chunk (8 + 16) + data chunk header (8), before the data. */
const RIFF_HEADER_BYTES = 44;
/** RF64 adds a ds64 chunk (8 + 28) before the fmt chunk. */
const RF64_HEADER_BYTES = 80;

export function blockAlign(format: PcmFormat): number {
  return format.channels * (format.bitsPerSample / 8);
}

/** Bytes of the header `wavHeader` writes for `dataBytes` of data: 44 (RIFF), or 80 (RF64) past 4 GiB. */
export function wavHeaderBytes(dataBytes: number): number {
  return riffSizeFor(dataBytes) > U32_MAX ? RF64_HEADER_BYTES : RIFF_HEADER_BYTES;
}

/** The whole WAV's size: header, data, and the pad byte RIFF wants after odd-sized data. */
export function wavFileBytes(dataBytes: number): number {
  return wavHeaderBytes(dataBytes) + dataBytes + (dataBytes % 2);
}

function riffSizeFor(dataBytes: number): number {
  return RIFF_HEADER_BYTES - 8 + dataBytes + (dataBytes % 2);
}

/**
 * A canonical PCM WAV header (format tag 1) for `dataBytes` of sample data. When the RIFF size does not fit
 * 32 bits it is an RF64 header (EBU Tech 3306): "RF64", sizes 0xFFFFFFFF, and the real sizes in a ds64 chunk.
 */
export function wavHeader(format: PcmFormat, dataBytes: number): Uint8Array {
  const align = blockAlign(format);
  const rf64 = riffSizeFor(dataBytes) > U32_MAX;
  const bytes = new Uint8Array(rf64 ? RF64_HEADER_BYTES : RIFF_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  const tag = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
  };
  const u64 = (at: number, value: number) => view.setBigUint64(at, BigInt(value), true);
  let at = 0;
  tag(at, rf64 ? "RF64" : "RIFF");
  view.setUint32(at + 4, rf64 ? U32_MAX : riffSizeFor(dataBytes), true);
  tag(at + 8, "WAVE");
  at = 12;
  if (rf64) {
    tag(at, "ds64");
    view.setUint32(at + 4, 28, true);
    u64(at + 8, riffSizeFor(dataBytes) + (RF64_HEADER_BYTES - RIFF_HEADER_BYTES));
    u64(at + 16, dataBytes);
    u64(at + 24, align === 0 ? 0 : Math.floor(dataBytes / align));
    view.setUint32(at + 32, 0, true); // no table of other chunk sizes
    at += 36;
  }
  tag(at, "fmt ");
  view.setUint32(at + 4, 16, true);
  view.setUint16(at + 8, 1, true); // WAVE_FORMAT_PCM
  view.setUint16(at + 10, format.channels, true);
  view.setUint32(at + 12, format.sampleRate, true);
  view.setUint32(at + 16, format.sampleRate * align, true);
  view.setUint16(at + 20, align, true);
  view.setUint16(at + 22, format.bitsPerSample, true);
  at += 24;
  tag(at, "data");
  view.setUint32(at + 4, rf64 ? U32_MAX : dataBytes, true);
  return bytes;
}
