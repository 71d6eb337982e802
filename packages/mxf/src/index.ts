export { MxfFormatError, NotMxfError } from "./errors.ts";
export type { ByteRange } from "./essence.ts";
export { describeOtherFormat, type MxfAudio, type MxfFile, type OpenMxfOptions, openMxf } from "./open-mxf.ts";
export type { MxfTimecode } from "./timecode.ts";
export { umidAsAafMobIdHex } from "./umid.ts";
export { type MxfAudioAsWavOptions, mxfAudioAsWav, type WavFormat, wavHeader } from "./wav.ts";
