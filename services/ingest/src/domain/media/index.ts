export { FingerprintMismatchError, WavHeaderError } from "./errors.ts";
export { compareFingerprints, FINGERPRINT_MATCH_THRESHOLD, type Fingerprint, fingerprintPcm } from "./fingerprint.ts";
export { takeInfoOf } from "./take-info.ts";
export {
  type BextChunk,
  MAX_WAV_HEADER_BYTES,
  readWavHeader,
  type WavContainer,
  type WavEncoding,
  type WavFormat,
  type WavHeader,
} from "./wav-header.ts";
