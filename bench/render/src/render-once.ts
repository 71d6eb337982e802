// One render of the bench plan, as its own process (so CPU and peak RSS are the whole process's): every
// output (five stems, printmaster, M&E) in one pass, dithered to 24 bits; the printmaster and the stems
// are written as 5.1 WAV files. Usage (main.ts runs it):
//   node bench/render/src/render-once.ts --tracks 64 --minutes 10 --media DIR --out DIR [--block 4096]
//     [--chunk-kib 512] [--encode writer|direct] [--no-automation] [--stats FILE]
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MIX_OUTPUTS, type MixOutput, renderMix } from "@dubstage/mix";
import { createWavWriter, type WavWriter } from "@dubstage/wav";
import { openFileMediaReader } from "./file-media-reader.ts";
import { mediaPath, SAMPLE_RATE } from "./media.ts";
import { benchPlan } from "./plan.ts";

const { values } = parseArgs({
  options: {
    tracks: { type: "string", default: "64" },
    minutes: { type: "string", default: "10" },
    media: { type: "string" },
    out: { type: "string" },
    block: { type: "string", default: "4096" },
    "chunk-kib": { type: "string", default: "512" },
    encode: { type: "string", default: "writer" },
    stats: { type: "string" },
    "no-automation": { type: "boolean", default: false },
  },
});
if (values.media === undefined || values.out === undefined) throw new Error("--media and --out are required");
const tracks = Number(values.tracks);
const minutes = Number(values.minutes);
const blockSize = Number(values.block);
const direct = values.encode === "direct";
if (!direct && values.encode !== "writer") throw new Error("--encode is writer or direct");

export const WRITTEN_OUTPUTS: readonly MixOutput[] = ["PRINTMASTER", "DX", "MX", "FX", "BG", "FOLEY"];
const INV_2_23 = 1 / 8_388_608;

const frames = Math.round(minutes * 60 * SAMPLE_RATE);
const paths = Array.from({ length: tracks }, (_, t) => mediaPath(values.media as string, minutes, t));
const { plan } = benchPlan(paths, frames, { automation: !values["no-automation"] });
const media = await openFileMediaReader(paths, { chunkBytes: Number(values["chunk-kib"]) * 1024, maxRead: blockSize });

interface Output {
  readonly name: MixOutput;
  readonly fd: number;
  readonly writer: WavWriter;
  /** Float planes the writer encodes (codes / 2^23, which it quantises back to the same codes). */
  readonly planes: Float32Array[];
}
const outputs: Output[] = WRITTEN_OUTPUTS.map((name) => {
  const writer = createWavWriter({ sampleRate: SAMPLE_RATE, channels: 6, sampleFormat: "pcm24", frames });
  const fd = openSync(join(values.out as string, `${name}.wav`), "w");
  writeSync(fd, writer.header);
  return { name, fd, writer, planes: Array.from({ length: 6 }, () => new Float32Array(blockSize)) };
});

/** Interleaves 24-bit codes straight into bytes (the --encode direct path; the writer takes floats only). */
function interleave(codes: readonly Int32Array[], length: number, into: Uint8Array): Uint8Array {
  const channels = codes.length;
  const stride = channels * 3;
  for (let c = 0; c < channels; c++) {
    const src = codes[c] as Int32Array;
    for (let i = 0, at = c * 3; i < length; i++, at += stride) {
      const v = src[i] as number;
      into[at] = v;
      into[at + 1] = v >> 8;
      into[at + 2] = v >> 16;
    }
  }
  return into.subarray(0, length * stride);
}
const directBytes = new Uint8Array(blockSize * 18);

const started = performance.now();
let rendered = 0;
let peak = 0;
let sumSquares = 0;
for await (const block of renderMix(plan, media, { outputs: MIX_OUTPUTS, dither: { seed: 20261208 }, blockSize })) {
  const pcm = block.pcm24 as Record<MixOutput, Int32Array[]>;
  for (const out of outputs) {
    const codes = pcm[out.name];
    if (direct) {
      writeSync(out.fd, interleave(codes, block.length, directBytes));
      continue;
    }
    const planes = out.planes.map((p, c) => {
      const src = codes[c] as Int32Array;
      const view = block.length === blockSize ? p : p.subarray(0, block.length);
      for (let i = 0; i < block.length; i++) view[i] = (src[i] as number) * INV_2_23;
      return view;
    });
    writeSync(out.fd, out.writer.encode(planes));
  }
  // Level of the printmaster's L channel, as a check that the mix is not silent.
  const left = block.outputs.PRINTMASTER?.[0] as Float32Array;
  for (let i = 0; i < left.length; i++) {
    const v = left[i] as number;
    sumSquares += v * v;
    if (Math.abs(v) > peak) peak = Math.abs(v);
  }
  rendered += block.length;
}
for (const out of outputs) {
  if (!direct) {
    const { tail } = out.writer.finish();
    if (tail.length > 0) writeSync(out.fd, tail);
  }
  closeSync(out.fd);
}
await media.close();
const seconds = (performance.now() - started) / 1000;
const stats = {
  frames: rendered,
  renderSeconds: seconds,
  mediaReads: media.stats.reads,
  mediaBytes: media.stats.bytes,
  mediaWaits: media.stats.waits,
  mediaWaitMs: media.stats.waitMs,
  printmasterLeftPeak: peak,
  printmasterLeftRmsDb: 10 * Math.log10(sumSquares / Math.max(1, rendered)),
};
if (values.stats !== undefined) writeFileSync(values.stats, JSON.stringify(stats));
else console.log(JSON.stringify(stats));
