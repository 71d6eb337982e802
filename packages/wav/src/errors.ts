import { DubstageError } from "@dubstage/event-log";

/** Why a WAV file was rejected. */
export type InvalidWavReason =
  /** The bytes end inside the RIFF header, a chunk header or a chunk the reader needs (fmt, ds64, bext, iXML). */
  | "truncated"
  /** Not RIFF/RF64/BW64 with form type WAVE. */
  | "not-wav"
  /** A required chunk (fmt, data, ds64 in RF64) is missing or out of order. */
  | "missing-chunk"
  /** The fmt chunk is shorter than its format tag needs (16 bytes, 18 for float, 40 for extensible). */
  | "fmt-too-short"
  /** A format tag or extensible sub-format the reader does not decode (compressed formats, A-law, ...). */
  | "unsupported-format"
  /** Zero channels, zero sample rate, or a bit depth not decodable for the format. */
  | "invalid-format"
  /** blockAlign differs from channels × bytes per sample. */
  | "block-align"
  /** A chunk size that overflows (past the RIFF size, past 2^53, or a 0xFFFFFFFF size ds64 does not resolve). */
  | "chunk-size"
  /** The data chunk declares more bytes than the file holds (strict mode only; see README). */
  | "data-truncated"
  /** A bext or iXML chunk larger than `maxMetadataChunkBytes`. */
  | "metadata-too-large"
  /** A bext chunk that is malformed (shorter than its 602 fixed bytes). */
  | "invalid-bext";

/** A WAV file that cannot be read; `offset` is the byte offset in the file where the problem lies. */
export class InvalidWavError extends DubstageError {
  override readonly name = "InvalidWavError";
  readonly kind = "validation" as const;
  readonly reason: InvalidWavReason;
  readonly offset: number;
  constructor(reason: InvalidWavReason, message: string, offset: number) {
    super(`WAV ${reason} at byte ${offset}: ${message}`);
    this.reason = reason;
    this.offset = offset;
  }
}

/** Writer options or samples that cannot be written (bad channel count, over-long bext field, frame count mismatch). */
export class InvalidWavOptionsError extends DubstageError {
  override readonly name = "InvalidWavOptionsError";
  readonly kind = "validation" as const;
  /** The option that was rejected, e.g. `bext.description` or `channelMask`. */
  readonly field: string;
  constructor(message: string, field: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A reader used out of order: a stream-backed reader's blocks asked for twice, or a writer finished twice. */
export class WavStateError extends DubstageError {
  override readonly name = "WavStateError";
  readonly kind = "illegal-state" as const;
}
