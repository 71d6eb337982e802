import { isDubstageError } from "@dubstage/event-log";
import { type ChannelSpec, channelWeights, createLoudnessMeter, toJsonResult } from "@dubstage/loudness";
import { openWav } from "@dubstage/wav";
import { openFileByteSource } from "@dubstage/wav/node";
import { InputFileError } from "../../framework/cli-errors.ts";
import type { CommandInput, CommandOutput } from "../../framework/command.ts";
import { resolveFromCaller } from "../shared/caller-cwd.ts";
import type { LoudnessView } from "./loudness-view.ts";

const BY_COUNT: Readonly<Record<number, ChannelSpec>> = { 1: "mono", 2: "stereo", 6: "5.1", 8: "7.1" };
// 0.5 s blocks: few enough calls, small enough memory (a 7.1.4 float file: 12 x 24,000 x 4 bytes).
const BLOCK_SECONDS = 0.5;

export async function run(input: CommandInput): Promise<CommandOutput<LoudnessView>> {
  const file = String(input.args.file);
  // A missing or unreadable file is the machine's problem (exit 4), as for every file command.
  const source = await openFileByteSource(resolveFromCaller(file, input.env));
  try {
    const wav = await openWav(source).catch((error: unknown) => {
      if (isDubstageError(error) && error.kind === "validation") throw new InputFileError(`${file}: ${error.message}`, { cause: error });
      throw error;
    });
    const { channels, sampleRate, channelMask } = wav.info.format;
    const { spec, from } = channelSpec(channels, channelMask, input.options.layout as string | undefined, file);
    const meter = (() => {
      const weights = channelWeights(spec);
      if (weights.length !== channels) throw new InputFileError(`${file}: has ${channels} channels, but ${from} says ${weights.length}`);
      try {
        return createLoudnessMeter({ sampleRate, channels: spec, truePeak: true });
      } catch (error) {
        // A --layout of another channel count, a rate the meter refuses: about this file, in one line.
        if (isDubstageError(error) && error.kind === "validation")
          throw new InputFileError(`${file}: ${error.message} (${from})`, { cause: error });
        throw error;
      }
    })();
    for await (const planes of wav.blocks({ blockFrames: Math.max(1, Math.round(sampleRate * BLOCK_SECONDS)) })) {
      input.signal?.throwIfAborted();
      meter.push(planes);
    }
    const result = toJsonResult(meter.result());
    const view: LoudnessView = {
      integratedLufs: result.integratedLufs,
      loudnessRangeLu: result.loudnessRangeLu,
      truePeakDbtp: result.truePeakDbtp,
      samplePeakDbfs: result.samplePeakDbfs,
      maxMomentaryLufs: result.maxMomentaryLufs,
      maxShortTermLufs: result.maxShortTermLufs,
      file,
      sampleRate,
      channels,
      layoutFrom: from,
      weights: [...meter.weights],
      durationSeconds: wav.info.frames / sampleRate,
      channelTruePeaksDbtp: result.channelTruePeaksDbtp,
      channelSamplePeaksDbfs: result.channelSamplePeaksDbfs,
    };
    return { data: view, text: describe(view) };
  } finally {
    await source.close();
  }
}

function channelSpec(
  channels: number,
  mask: number | undefined,
  layout: string | undefined,
  file: string,
): { spec: ChannelSpec; from: string } {
  if (layout !== undefined) {
    return { spec: layout as ChannelSpec, from: `--layout ${layout}` };
  }
  if (mask !== undefined && mask !== 0) return { spec: { channelMask: mask, channelCount: channels }, from: `mask 0x${mask.toString(16)}` };
  const byCount = BY_COUNT[channels];
  if (byCount === undefined) {
    throw new InputFileError(`${file}: ${channels} channels and no channel mask: say which layout with --layout`);
  }
  return { spec: byCount, from: "count" };
}

const lufs = (v: number | null, unit: string) => (v === null ? "silent" : `${v.toFixed(1)} ${unit}`);

function describe(v: LoudnessView): string {
  return [
    `${v.file}: ${v.channels} ch, ${v.sampleRate} Hz, ${v.durationSeconds.toFixed(2)} s (weights ${v.weights.join(" ")} from ${v.layoutFrom})`,
    `  integrated      ${lufs(v.integratedLufs, "LUFS")}`,
    `  loudness range  ${v.loudnessRangeLu === null ? "-" : `${v.loudnessRangeLu.toFixed(1)} LU`}`,
    `  true peak       ${lufs(v.truePeakDbtp, "dBTP")}`,
    `  sample peak     ${lufs(v.samplePeakDbfs, "dBFS")}`,
    `  max momentary   ${lufs(v.maxMomentaryLufs, "LUFS")}`,
    `  max short-term  ${lufs(v.maxShortTermLufs, "LUFS")}`,
    "",
  ].join("\n");
}
