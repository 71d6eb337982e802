import { CompoundFileError } from "./errors.ts";

/** Special sector numbers of the allocation tables ([MS-CFB] 2.1). */
export const MAX_REGULAR_SECTOR = 0xfffffffa;
export const DIFAT_SECTOR = 0xfffffffc;
export const FAT_SECTOR = 0xfffffffd;
export const END_OF_CHAIN = 0xfffffffe;
export const FREE_SECTOR = 0xffffffff;
export const NO_STREAM = 0xffffffff;

export const HEADER_BYTES = 512;
const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_DIFAT_ENTRIES = 109;

export interface CompoundFileHeader {
  readonly majorVersion: 3 | 4;
  readonly minorVersion: number;
  /** 512 (v3) or 4096 (v4). Sector `n` starts at byte `(n + 1) * sectorSize`. */
  readonly sectorSize: number;
  readonly miniSectorSize: number;
  readonly miniStreamCutoff: number;
  /** Sectors after the header, counting a partial last one. */
  readonly sectorCount: number;
  /** The header CLSID (AAF puts its file-kind signature here; other writers leave it null). */
  readonly clsid: Uint8Array;
  readonly fatSectorCount: number;
  readonly firstDirectorySector: number;
  readonly firstMiniFatSector: number;
  readonly miniFatSectorCount: number;
  readonly firstDifatSector: number;
  readonly difatSectorCount: number;
  /** The first 109 FAT sector numbers, kept in the header itself. */
  readonly headerDifat: Uint32Array;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Parses and checks the 512-byte header against the size of the file. */
export function parseHeader(bytes: Uint8Array, fileSize: number): CompoundFileHeader {
  const signature = bytes.subarray(0, 8);
  if (signature.length < 8 || SIGNATURE.some((b, i) => signature[i] !== b)) {
    throw new CompoundFileError(
      `not a Compound File (signature ${signature.length > 0 ? hex(signature) : "absent: empty file"}, expected d0 cf 11 e0 a1 b1 1a e1)`,
      "byte 0",
    );
  }
  if (bytes.length < HEADER_BYTES) {
    throw new CompoundFileError(`truncated header: the file has ${fileSize} bytes, a header needs ${HEADER_BYTES}`, "byte 0");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const minorVersion = u16(24);
  const majorVersion = u16(26);
  if (majorVersion !== 3 && majorVersion !== 4) {
    throw new CompoundFileError(`unsupported major version ${majorVersion} (3 or 4 expected)`, "byte 26");
  }
  if (u16(28) !== 0xfffe) {
    throw new CompoundFileError(`byte order mark 0x${u16(28).toString(16)} (0xfffe expected)`, "byte 28");
  }
  const sectorShift = u16(30);
  if (sectorShift !== (majorVersion === 3 ? 9 : 12)) {
    throw new CompoundFileError(`sector shift ${sectorShift} does not match major version ${majorVersion}`, "byte 30");
  }
  if (u16(32) !== 6) throw new CompoundFileError(`mini sector shift ${u16(32)} (6 expected)`, "byte 32");
  const miniStreamCutoff = u32(56);
  if (miniStreamCutoff !== 4096) {
    throw new CompoundFileError(`mini stream cutoff ${miniStreamCutoff} (4096 expected)`, "byte 56");
  }
  const sectorSize = 1 << sectorShift;
  if (fileSize < sectorSize) {
    throw new CompoundFileError(`truncated: the file has ${fileSize} bytes, less than its ${sectorSize}-byte header sector`, "byte 0");
  }
  const sectorCount = Math.ceil((fileSize - sectorSize) / sectorSize);
  const counted = (at: number, what: string) => {
    const n = u32(at);
    if (n > sectorCount) {
      throw new CompoundFileError(`${what} ${n} exceeds the ${sectorCount} sectors in the file`, `byte ${at}`);
    }
    return n;
  };
  const fatSectorCount = counted(44, "FAT sector count");
  const miniFatSectorCount = counted(64, "MiniFAT sector count");
  const difatSectorCount = counted(72, "DIFAT sector count");
  if (majorVersion === 3 && u32(40) !== 0) {
    throw new CompoundFileError(`directory sector count ${u32(40)} must be 0 in a version 3 file`, "byte 40");
  }
  if (fatSectorCount === 0) throw new CompoundFileError("the header declares no FAT sector", "byte 44");
  if (fatSectorCount > HEADER_DIFAT_ENTRIES + difatSectorCount * (sectorSize / 4 - 1)) {
    throw new CompoundFileError(
      `FAT sector count ${fatSectorCount} is more than the header and ${difatSectorCount} DIFAT sectors can list`,
      "byte 44",
    );
  }
  return {
    majorVersion,
    minorVersion,
    sectorSize,
    miniSectorSize: 64,
    miniStreamCutoff,
    sectorCount,
    clsid: bytes.slice(8, 24),
    fatSectorCount,
    firstDirectorySector: u32(48),
    firstMiniFatSector: u32(60),
    miniFatSectorCount,
    firstDifatSector: u32(68),
    difatSectorCount,
    headerDifat: new Uint32Array(Array.from({ length: HEADER_DIFAT_ENTRIES }, (_, i) => u32(76 + 4 * i))),
  };
}
