import { hex, NotOmfError, OmfFormatError } from "../errors.ts";

/** The 8-byte magic that starts the Bento label at the very end of the file. */
export const BENTO_MAGIC = Uint8Array.of(0xa4, 0x43, 0x4d, 0xa5, 0x48, 0x64, 0x72, 0xd7);
export const LABEL_SIZE = 24;

export interface BentoLabel {
  readonly flags: number;
  /** TOC buffer size in bytes (the label stores it in units of 1024). The TOC is written in buffers of this size. */
  readonly tocBufferSize: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly tocOffset: number;
  readonly tocSize: number;
  /** Byte order of the label and TOC integers; chosen by which reading places the TOC right before the label. */
  readonly littleEndian: boolean;
}

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What the first bytes say the file is, for the "not an OMF file" message. */
export function describeOtherFormat(first: Uint8Array): string {
  const startsWith = (sig: readonly number[]) => sig.every((b, i) => first[i] === b);
  if (startsWith(CFB_SIGNATURE)) return "this is a Compound File (AAF?)";
  if (startsWith([0x52, 0x49, 0x46, 0x46])) return "this is a RIFF file (WAV?)";
  if (startsWith([0x46, 0x4f, 0x52, 0x4d])) return "this is an IFF file (AIFF?)";
  if (startsWith([0x50, 0x4b, 0x03, 0x04])) return "this is a ZIP archive";
  if (first.byteLength === 0) return "the file is empty";
  return "no Bento label at the end of the file";
}

/** True when the last 24 bytes of a file start with the Bento magic (a cheap sniff, no validation). */
export function isOmf(lastBytes: Uint8Array): boolean {
  if (lastBytes.byteLength < LABEL_SIZE) return false;
  const label = lastBytes.subarray(lastBytes.byteLength - LABEL_SIZE);
  return BENTO_MAGIC.every((b, i) => label[i] === b);
}

/**
 * Decodes the label: magic(8) flags(2) tocBufferSizeK(2) major(2) minor(2) tocOffset(4) tocSize(4).
 * `first` is only used to name the format when the magic is missing.
 */
export function decodeLabel(label: Uint8Array, fileSize: number, first: Uint8Array): BentoLabel {
  const labelOffset = fileSize - LABEL_SIZE;
  if (label.byteLength < LABEL_SIZE || !isOmf(label)) {
    throw new NotOmfError(`not an OMF file: ${describeOtherFormat(first)}`, `byte ${Math.max(0, labelOffset)}`);
  }
  const view = new DataView(label.buffer, label.byteOffset, LABEL_SIZE);
  const read = (le: boolean): BentoLabel => ({
    flags: view.getUint16(8, le),
    tocBufferSize: view.getUint16(10, le) * 1024,
    majorVersion: view.getUint16(12, le),
    minorVersion: view.getUint16(14, le),
    tocOffset: view.getUint32(16, le),
    tocSize: view.getUint32(20, le),
    littleEndian: le,
  });
  const fits = (l: BentoLabel) => l.tocSize > 0 && l.tocOffset + l.tocSize <= labelOffset;
  const le = read(true);
  const be = read(false);
  // Prefer the reading that ends the TOC exactly at the label, then any reading that fits.
  const candidates = [le, be];
  const chosen = candidates.find((l) => fits(l) && l.tocOffset + l.tocSize === labelOffset) ?? candidates.find(fits);
  if (chosen === undefined) {
    throw new OmfFormatError(
      `Bento label's TOC (offset ${le.tocOffset}, size ${le.tocSize}) lies outside the file (label at ${labelOffset})`,
      `byte ${labelOffset + 16}`,
    );
  }
  if (chosen.tocBufferSize === 0) {
    throw new OmfFormatError(`Bento label has a TOC buffer size of 0`, `byte ${labelOffset + 10} (${hex(chosen.flags)})`);
  }
  return chosen;
}
