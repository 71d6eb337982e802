import { DubstageError } from "@dubstage/event-log";

/**
 * The bytes are not a WAV/BWF/RF64 header this parser can trust: not RIFF, a chunk size that runs past the
 * RIFF size or the bytes given, a fmt chunk too short, no data chunk. `offset` is the byte where it went wrong.
 */
export class WavHeaderError extends DubstageError {
  override readonly name = "WavHeaderError";
  readonly kind = "validation" as const;
  readonly offset: number;
  constructor(problem: string, offset: number) {
    super(`WAV header: ${problem} (at byte ${offset})`);
    this.offset = offset;
  }
}

/** Two fingerprints made with other parameters (another version of fingerprintPcm) cannot be compared. */
export class FingerprintMismatchError extends DubstageError {
  override readonly name = "FingerprintMismatchError";
  readonly kind = "validation" as const;
}
