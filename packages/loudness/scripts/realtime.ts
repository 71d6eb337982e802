// Times the meter on synthesized 5.1 noise and prints the speed as x realtime (not a test).
//   node packages/loudness/scripts/realtime.ts [minutes=10] [--ffmpeg]
// With --ffmpeg, the same samples are piped to `ffmpeg -af ebur128=peak=true` (interleaved f32le on
// stdin) and timed too, so both figures come from the same machine under the same load.
import { spawn } from "node:child_process";
import { createLoudnessMeter } from "../src/index.ts";
import { noise } from "../src/testing/synth.ts";

const minutes = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 10);
const withFfmpeg = process.argv.includes("--ffmpeg");
const fs = 48000;
const n = Math.round(minutes * 60 * fs);
const seconds = n / fs;

// Programme-like: noise whose level wanders over 20 dB every few seconds, different per channel.
const planes = Array.from({ length: 6 }, (_, c) => {
  const x = noise(n, 0.05, c + 1);
  for (let i = 0; i < n; i++) x[i] = x[i]! * 10 ** ((-10 + 10 * Math.sin((2 * Math.PI * i) / (fs * (3.7 + c)))) / 20);
  return x;
});

function run(truePeak: boolean): number {
  const m = createLoudnessMeter({ sampleRate: fs, channels: "5.1", truePeak });
  const block = 4800;
  const t0 = performance.now();
  for (let i = 0; i < n; i += block) m.push(planes.map((p) => p.subarray(i, Math.min(n, i + block))));
  const r = m.result();
  const dt = (performance.now() - t0) / 1000;
  console.log(
    `ours truePeak=${truePeak}: ${seconds.toFixed(0)} s of 5.1 in ${dt.toFixed(2)} s = ${(seconds / dt).toFixed(1)}x realtime` +
      ` (I ${r.integratedLufs.toFixed(2)} LUFS, LRA ${r.loudnessRangeLu.toFixed(2)} LU, TP ${r.truePeakDbtp.toFixed(2)} dBTP)`,
  );
  return dt;
}

run(true); // warm-up of the JIT
run(false);
run(true);

if (withFfmpeg) {
  const inter = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) for (let c = 0; c < 6; c++) inter[i * 6 + c] = planes[c]![i]!;
  const t0 = performance.now();
  const ff = spawn("ffmpeg", [
    "-nostats",
    "-hide_banner",
    "-f",
    "f32le",
    "-ar",
    String(fs),
    "-ac",
    "6",
    "-channel_layout",
    "5.1",
    "-i",
    "-",
    "-af",
    "ebur128=peak=true",
    "-f",
    "null",
    "-",
  ]);
  let err = "";
  ff.stderr.on("data", (d: Buffer) => {
    err += d.toString();
    if (err.length > 1e6) err = err.slice(-1e5);
  });
  ff.stdin.end(Buffer.from(inter.buffer));
  ff.on("close", () => {
    const dt = (performance.now() - t0) / 1000;
    const summary = err.slice(err.lastIndexOf("Summary:")).replace(/\s+/g, " ");
    console.log(`ffmpeg ebur128=peak=true: ${(seconds / dt).toFixed(1)}x realtime (${summary.slice(0, 400)})`);
  });
}
