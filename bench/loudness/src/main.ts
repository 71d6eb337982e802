// `node bench/loudness/src/main.ts [--minutes 60] [--runs 3]`: measures one 5.1, 48 kHz, 24-bit file of
// pink-noise programme (level changing every few seconds, LFE band-limited) with `dubstage loudness` and
// with ffmpeg's ebur128 filter (true peak on, and off as a reference of its filtering alone), alternating
// A B A B so drift hits both, each run a whole process under GNU time. Prints CPU, wall, x-realtime and
// peak RSS per tool, the ratios, and both tools' results to show they measure the same thing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Measurement, measureInChild } from "../../aaf/src/measure.ts";

const { values } = parseArgs({ options: { minutes: { type: "string", default: "60" }, runs: { type: "string", default: "3" } } });
const minutes = Number(values.minutes);
const runs = Number(values.runs);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cli = join(root, "services/cli/src/main.ts");
const cacheDir = join(root, ".cache/bench-loudness");
const file = join(cacheDir, `programme-5.1-${minutes}min-v2.wav`);

if (!existsSync(file)) {
  mkdirSync(cacheDir, { recursive: true });
  console.log(`writing ${file} (${minutes} min of 5.1 at 48 kHz / 24 bit, about ${((minutes * 60 * 48_000 * 18) / 1e9).toFixed(1)} GB)...`);
  const seconds = minutes * 60;
  // Six independent pink noises, a slow level swing (so LRA is not 0), the LFE low-passed at 120 Hz.
  // A level swinging between -20 and -4 dB (volume takes a linear factor: 10^(dB/20)).
  const swing = "volume='pow(10,(-12+8*sin(2*PI*t/17))/20)':eval=frame";
  const filter = [
    ...Array.from({ length: 6 }, (_, i) => `anoisesrc=d=${seconds}:c=pink:r=48000:a=0.3:s=${i + 1}[n${i}]`),
    "[n3]lowpass=f=120[lfe]",
    `[n0][n1][n2][lfe][n4][n5]join=inputs=6:channel_layout=5.1(side)[j]`,
    `[j]${swing}[out]`,
  ].join(";");
  execFileSync("ffmpeg", ["-v", "error", "-filter_complex", filter, "-map", "[out]", "-c:a", "pcm_s24le", "-y", file], {
    stdio: "inherit",
  });
}
const bytes = statSync(file).size;
const programmeSeconds = minutes * 60;

const ours = () => measureInChild(process.execPath, [cli, "loudness", file, "--json"]);
const ffmpeg = (peak: boolean) => () =>
  measureInChild("ffmpeg", ["-nostats", "-hide_banner", "-i", file, "-af", `ebur128=peak=${peak ? "true" : "none"}`, "-f", "null", "-"]);

const results: Record<string, Measurement[]> = { ours: [], "ffmpeg peak=true": [], "ffmpeg peak=none": [] };
await ours(); // warm the page cache and the compile cache
for (let i = 0; i < runs; i++) {
  results.ours!.push(await ours());
  results["ffmpeg peak=true"]!.push(await ffmpeg(true)());
  results["ffmpeg peak=none"]!.push(await ffmpeg(false)());
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
console.log(`\n${minutes}-minute 5.1 file, ${(bytes / 1e9).toFixed(2)} GB, ${runs} runs each (median; min-max)\n`);
console.log("| Tool | CPU s | wall s | x realtime (wall) | peak RSS MiB |");
console.log("| --- | --- | --- | --- | --- |");
for (const [name, ms] of Object.entries(results)) {
  const cpu = ms.map((m) => m.cpuSeconds);
  const wall = ms.map((m) => m.wallSeconds);
  const range = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  console.log(
    `| ${name} | ${range(cpu)} | ${range(wall)} | ${(programmeSeconds / median(wall)).toFixed(0)} | ${median(ms.map((m) => m.peakRssMiB)).toFixed(0)} |`,
  );
}
const ratio = (peer: string) => {
  const pairs = results.ours!.map((m, i) => results[peer]![i]!.wallSeconds / m.wallSeconds);
  return `${median(pairs).toFixed(2)}x (${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)})`;
};
console.log(`\nspeed, ours vs ffmpeg with true peak (wall, pair by pair): ${ratio("ffmpeg peak=true")}  [target >= 2x]`);
console.log(`speed, ours vs ffmpeg without true peak:                 ${ratio("ffmpeg peak=none")}`);

// Same programme, same answers?
const ourResult = JSON.parse(execFileSync(process.execPath, [cli, "loudness", file, "--json"], { encoding: "utf8" }));
const theirs = spawnSync("ffmpeg", ["-nostats", "-hide_banner", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-"], {
  encoding: "utf8",
  // ffmpeg logs a line per 100 ms: 36,000 lines for an hour.
  maxBuffer: 256 * 1024 * 1024,
}).stderr;
const grab = (label: RegExp) => Number(label.exec(theirs.slice(theirs.lastIndexOf("Summary:")))?.[1]);
console.log("\n| Figure | ours | ffmpeg |");
console.log("| --- | --- | --- |");
console.log(`| integrated LUFS | ${ourResult.integratedLufs.toFixed(2)} | ${grab(/I:\s+(-?[\d.]+) LUFS/).toFixed(1)} |`);
console.log(`| loudness range LU | ${ourResult.loudnessRangeLu.toFixed(2)} | ${grab(/LRA:\s+(-?[\d.]+) LU/).toFixed(1)} |`);
console.log(`| true peak dBTP | ${ourResult.truePeakDbtp.toFixed(2)} | ${grab(/Peak:\s+(-?[\d.]+) dBFS/).toFixed(1)} |`);
