export { BEXT_FIXED_BYTES, type Bext, type BextInput, type BextLoudness, encodeBext, parseBext } from "./bext.ts";
export { CHANNEL_MASK, channelMaskCount, channelMaskSpeakers, defaultChannelMask, SPEAKER, type SpeakerName } from "./channel-mask.ts";
export { InvalidWavError, InvalidWavOptionsError, type InvalidWavReason, WavStateError } from "./errors.ts";
export {
  bytesPerSample,
  encodeFmt,
  parseFmt,
  SAMPLE_FORMATS,
  type SampleFormat,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  type WavFormat,
} from "./format.ts";
export { type ChunkInfo, type DataTruncation, type ParseOptions, parseWavHeader, type WavInfo } from "./header.ts";
export { buildIxml, type Ixml, type IxmlInput, type IxmlTrack, parseIxml } from "./ixml.ts";
export { type BlockOptions, openWav, type WavReader } from "./reader.ts";
export { decodeFrames, encodeFrames, floatToInt8, floatToInt16, floatToInt24, floatToInt32, intToFloat } from "./samples.ts";
export { type ByteSource, bufferByteSource, type WavSource } from "./source.ts";
export { createWavWriter, type WavWriteOptions, type WavWriter, type WavWriterFinish, wavHeader } from "./writer.ts";
