import { asciiField, i16, put16, put64, u16, u64 } from "./bytes.ts";
import { InvalidWavError, InvalidWavOptionsError } from "./errors.ts";

/** Fixed part of a bext chunk (EBU Tech 3285 v2): everything before CodingHistory. */
export const BEXT_FIXED_BYTES = 602;

/** Value EBU Tech 3285 v2 reserves for a loudness field that was not measured. */
const LOUDNESS_UNSET = 0x7fff;

/**
 * Loudness fields of bext v2, each an integer in hundredths (EBU Tech 3285 v2 stores int16 × 100):
 * `loudnessValue: -2300` is -23.00 LUFS. Undefined where the file leaves the field unset (0x7FFF) or the
 * chunk is older than version 2.
 */
export interface BextLoudness {
  /** Integrated loudness, LUFS × 100. */
  readonly loudnessValue?: number | undefined;
  /** Loudness range, LU × 100. */
  readonly loudnessRange?: number | undefined;
  /** Maximum true peak, dBTP × 100. */
  readonly maxTruePeakLevel?: number | undefined;
  /** Maximum momentary loudness, LUFS × 100. */
  readonly maxMomentaryLoudness?: number | undefined;
  /** Maximum short-term loudness, LUFS × 100. */
  readonly maxShortTermLoudness?: number | undefined;
}

/** A Broadcast Wave `bext` chunk. Strings are ASCII fields up to their first NUL. */
export interface Bext extends BextLoudness {
  readonly description: string;
  readonly originator: string;
  readonly originatorReference: string;
  /** `yyyy-mm-dd` (as written; some tools use `:` or `/` separators). */
  readonly originationDate: string;
  /** `hh:mm:ss` (as written). */
  readonly originationTime: string;
  /** First sample's position in samples since midnight (64-bit, so a bigint). */
  readonly timeReference: bigint;
  readonly version: number;
  /** SMPTE 330M UMID as lowercase hex (64 bytes, or 32 when the extended half is zero); undefined if all zero or version 0. */
  readonly umid: string | undefined;
  readonly codingHistory: string;
}

const FIELDS = [
  ["description", 0, 256],
  ["originator", 256, 32],
  ["originatorReference", 288, 32],
  ["originationDate", 320, 10],
  ["originationTime", 330, 8],
] as const;

const LOUDNESS_FIELDS = [
  ["loudnessValue", 412],
  ["loudnessRange", 414],
  ["maxTruePeakLevel", 416],
  ["maxMomentaryLoudness", 418],
  ["maxShortTermLoudness", 420],
] as const;

/** Parses a bext chunk body that starts at file offset `offset`. */
export function parseBext(body: Uint8Array, offset: number): Bext {
  if (body.length < BEXT_FIXED_BYTES) {
    throw new InvalidWavError("invalid-bext", `bext chunk is ${body.length} bytes, ${BEXT_FIXED_BYTES} needed`, offset);
  }
  const strings: Record<string, string> = {};
  for (const [name, at, width] of FIELDS) strings[name] = asciiField(body, at, width);
  const version = u16(body, 346);
  let umid: string | undefined;
  if (version >= 1) {
    const raw = body.subarray(348, 412);
    if (raw.some((b) => b !== 0)) {
      const extendedZero = raw.subarray(32).every((b) => b === 0);
      umid = hex(extendedZero ? raw.subarray(0, 32) : raw);
    }
  }
  const loudness: Record<string, number | undefined> = {};
  for (const [name, at] of LOUDNESS_FIELDS) {
    const v = i16(body, at);
    loudness[name] = version >= 2 && v !== LOUDNESS_UNSET ? v : undefined;
  }
  return {
    description: strings.description!,
    originator: strings.originator!,
    originatorReference: strings.originatorReference!,
    originationDate: strings.originationDate!,
    originationTime: strings.originationTime!,
    timeReference: u64(body, 338),
    version,
    umid,
    ...loudness,
    codingHistory: asciiField(body, BEXT_FIXED_BYTES, body.length - BEXT_FIXED_BYTES),
  };
}

/** What the writer puts in a bext chunk (always version 2). Omitted strings are empty; omitted loudness is 0x7FFF (unset). */
export interface BextInput extends BextLoudness {
  readonly description?: string;
  readonly originator?: string;
  readonly originatorReference?: string;
  /** `yyyy-mm-dd`. */
  readonly originationDate?: string;
  /** `hh:mm:ss`. */
  readonly originationTime?: string;
  /** Samples since midnight of the first sample. @default 0 */
  readonly timeReference?: bigint | number;
  /** 32 or 64 bytes as hex. */
  readonly umid?: string;
  /** CodingHistory lines, each ending in CR LF (EBU R 98). */
  readonly codingHistory?: string;
}

/** A bext v2 chunk body (602 bytes plus CodingHistory). */
export function encodeBext(input: BextInput): Uint8Array {
  const history = input.codingHistory ?? "";
  checkAscii(history, Number.MAX_SAFE_INTEGER, "bext.codingHistory");
  const body = new Uint8Array(BEXT_FIXED_BYTES + history.length);
  for (const [name, at, width] of FIELDS) {
    const value = input[name] ?? "";
    checkAscii(value, width, `bext.${name}`);
    writeAscii(body, at, value);
  }
  if (input.originationDate !== undefined && input.originationDate !== "" && !/^\d{4}[-:/]\d{2}[-:/]\d{2}$/.test(input.originationDate)) {
    throw new InvalidWavOptionsError(`"${input.originationDate}" is not yyyy-mm-dd`, "bext.originationDate");
  }
  if (input.originationTime !== undefined && input.originationTime !== "" && !/^\d{2}[-:.]\d{2}[-:.]\d{2}$/.test(input.originationTime)) {
    throw new InvalidWavOptionsError(`"${input.originationTime}" is not hh:mm:ss`, "bext.originationTime");
  }
  if (typeof input.timeReference === "number" && !Number.isSafeInteger(input.timeReference)) {
    throw new InvalidWavOptionsError(`${input.timeReference} is not a safe integer sample count (give a bigint)`, "bext.timeReference");
  }
  const timeReference = BigInt(input.timeReference ?? 0);
  if (timeReference < 0n || timeReference >= 1n << 64n) {
    throw new InvalidWavOptionsError(`${timeReference} is not a 64-bit sample count`, "bext.timeReference");
  }
  put64(body, 338, timeReference);
  put16(body, 346, 2);
  if (input.umid !== undefined) {
    if (!/^([0-9a-fA-F]{64}|[0-9a-fA-F]{128})$/.test(input.umid)) {
      throw new InvalidWavOptionsError("a UMID is 32 or 64 bytes of hex", "bext.umid");
    }
    for (let i = 0; i < input.umid.length / 2; i++) body[348 + i] = Number.parseInt(input.umid.slice(2 * i, 2 * i + 2), 16);
  }
  for (const [name, at] of LOUDNESS_FIELDS) {
    const v = input[name];
    if (v !== undefined && (!Number.isInteger(v) || v < -32768 || v >= LOUDNESS_UNSET)) {
      throw new InvalidWavOptionsError(`${v} is not an integer in hundredths within int16 (and not 0x7FFF)`, `bext.${name}`);
    }
    put16(body, at, v === undefined ? LOUDNESS_UNSET : v & 0xffff);
  }
  writeAscii(body, BEXT_FIXED_BYTES, history);
  return body;
}

function checkAscii(value: string, width: number, field: string): void {
  if (value.length > width) throw new InvalidWavOptionsError(`${value.length} characters, at most ${width} fit`, field);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c > 0x7e)
      throw new InvalidWavOptionsError(
        `character ${JSON.stringify(value[i])} at ${i} is not printable ASCII (bext fields are ASCII)`,
        field,
      );
  }
}

function writeAscii(body: Uint8Array, at: number, value: string): void {
  for (let i = 0; i < value.length; i++) body[at + i] = value.charCodeAt(i);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
