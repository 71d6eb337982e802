// bench/render: the mix engine (@dubstage/mix, media read and outputs written with @dubstage/wav) rendering
// N mono 24-bit tracks to 5.1 stems, printmaster and M&E, beside ffmpeg mixing the same tracks to a 5.1
// printmaster in one filter graph, in the same run. Prints a markdown report (progress on stderr).
// Usage: node bench/render/src/main.ts --help
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statfsSync, statSync } from "node:fs";
import { loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Measurement, measureInChild } from "../../aaf/src/measure.ts";
import { ffmpegArgs } from "./ffmpeg-graph.ts";
import { ensureMedia, expectedMediaBytes, SAMPLE_RATE } from "./media.ts";
import { benchPlan } from "./plan.ts";
import { checkWav } from "./verify.ts";

const usage = `Usage: node bench/render/src/main.ts [--tracks 64] [--minutes 10] [--runs 1] [--block 4096] [--chunk-kib 512]
                                  [--direct] [--no-ffmpeg] [--no-uncached]

  --tracks N      mono 48 kHz 24-bit tracks (ffmpeg writes them once into .cache/bench-render)
  --minutes M     programme length
  --runs N        timed runs per tool (median wall/CPU, largest RSS)
  --block N       the engine's block size
  --chunk-kib K   bytes per source read of our media reader
  --direct        also time ours writing the 24-bit codes with its own interleaver instead of the writer's
                  encode (which takes float planes only), as a second row
  --no-ffmpeg     skip the peer
  --no-uncached   skip the O_DIRECT read of the media (dd iflag=direct)`;

const { values } = parseArgs({
  options: {
    tracks: { type: "string", default: "64" },
    minutes: { type: "string", default: "10" },
    runs: { type: "string", default: "1" },
    block: { type: "string", default: "4096" },
    "chunk-kib": { type: "string", default: "512" },
    direct: { type: "boolean", default: false },
    "no-ffmpeg": { type: "boolean", default: false },
    "no-uncached": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const log = (message: string) => process.stderr.write(`[bench:render] ${message}\n`);
const tracks = Number(values.tracks);
const minutes = Number(values.minutes);
const runs = Number(values.runs);
const frames = Math.round(minutes * 60 * SAMPLE_RATE);
const programme = frames / SAMPLE_RATE;
const here = fileURLToPath(new URL(".", import.meta.url));
const cacheDir = fileURLToPath(new URL("../../../.cache/bench-render", import.meta.url));
const outDir = join(cacheDir, "out");
mkdirSync(outDir, { recursive: true });

// Disk: the media (if missing) plus six 5.1 outputs of ours and ffmpeg's printmaster.
const outputBytes = 7 * frames * 18;
const mediaBytes = tracks * expectedMediaBytes(minutes);
const fsStat = statfsSync(cacheDir);
const free = fsStat.bavail * fsStat.bsize;
if (free < outputBytes + mediaBytes + 1e9) {
  let present = 0;
  for (let t = 0; t < tracks; t++) {
    try {
      present += statSync(join(cacheDir, `track-${minutes}min-${String(t).padStart(3, "0")}.wav`)).size;
    } catch {}
  }
  if (free < outputBytes + mediaBytes - present + 1e9)
    throw new Error(`not enough disk in ${cacheDir}: ${(free / 1e9).toFixed(1)} GB free`);
}
const paths = ensureMedia(cacheDir, tracks, minutes, log);
const inputBytes = paths.reduce((n, p) => n + statSync(p).size, 0);

const sh = (script: string, args: readonly string[] = []) => measureInChild("/bin/sh", ["-c", script, "sh", ...args]);
function resident(files: readonly string[]): number {
  const r = spawnSync("fincore", ["--bytes", "--noheadings", "--raw", "--output", "RES", ...files], { encoding: "utf8" });
  if (r.status !== 0) return Number.NaN;
  return r.stdout.split("\n").reduce((n, line) => n + (Number(line.trim()) || 0), 0);
}

const load0 = loadavg()[0] ?? 0;
const cachedBefore = resident(paths);
log(
  `page cache holds ${((100 * cachedBefore) / inputBytes).toFixed(0)}% of the ${(inputBytes / 1e9).toFixed(2)} GB of media; reading it with cat`,
);
const cat = await sh('cat "$@" > /dev/null', paths);
const cachedAfterCat = resident(paths);

const oursScript = join(here, "render-once.ts");
const statsFile = join(outDir, "ours-stats.json");
const oursArgs = (encode: string) => [
  oursScript,
  "--tracks",
  String(tracks),
  "--minutes",
  String(minutes),
  "--media",
  cacheDir,
  "--out",
  outDir,
  "--block",
  values.block,
  "--chunk-kib",
  values["chunk-kib"],
  "--encode",
  encode,
  "--stats",
  statsFile,
];
const bench = benchPlan(paths, frames);
const ffmpegOut = join(outDir, "ffmpeg-PRINTMASTER.wav");
const ffmpegFrontOut = join(outDir, "ffmpeg-front-PRINTMASTER.wav");

const ours: Measurement[] = [];
const oursDirect: Measurement[] = [];
const peer: Measurement[] = [];
const peerFront: Measurement[] = [];
let oursStats: { mediaReads: number; mediaBytes: number; mediaWaits: number; mediaWaitMs: number; renderSeconds: number } | undefined;
for (let run = 0; run < runs; run++) {
  log(`run ${run + 1}/${runs}: ours (${tracks} tracks x ${minutes} min, 7 outputs, 6 written)`);
  ours.push(await measureInChild(process.execPath, oursArgs("writer")));
  oursStats = JSON.parse(readFileSync(statsFile, "utf8"));
  if (values.direct) {
    log(`run ${run + 1}/${runs}: ours, codes written by our own interleaver`);
    oursDirect.push(await measureInChild(process.execPath, oursArgs("direct")));
  }
  if (!values["no-ffmpeg"]) {
    log(`run ${run + 1}/${runs}: ffmpeg (one filter graph, printmaster only)`);
    rmSync(ffmpegOut, { force: true });
    peer.push(await measureInChild("ffmpeg", ffmpegArgs(bench, ffmpegOut)));
    log(`run ${run + 1}/${runs}: ffmpeg, inputs panned to stereo, summed, laid into 5.1 once`);
    rmSync(ffmpegFrontOut, { force: true });
    peerFront.push(await measureInChild("ffmpeg", ffmpegArgs(bench, ffmpegFrontOut, { front: true })));
  }
}
let direct: Measurement | undefined;
if (!values["no-uncached"]) {
  log("reading the media with dd iflag=direct (bypasses the page cache)");
  direct = await sh('for f in "$@"; do dd if="$f" of=/dev/null bs=4M iflag=direct status=none || exit 1; done', paths);
}

log("reading the outputs back");
const pm = await checkWav(join(outDir, "PRINTMASTER.wav"));
const dx = await checkWav(join(outDir, "DX.wav"));
const ff = values["no-ffmpeg"] ? undefined : await checkWav(ffmpegOut);
const ffFront = values["no-ffmpeg"] ? undefined : await checkWav(ffmpegFrontOut);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const summary = (ms: readonly Measurement[]) => ({
  wall: median(ms.map((m) => m.wallSeconds)),
  cpu: median(ms.map((m) => m.cpuSeconds)),
  rss: Math.max(...ms.map((m) => m.peakRssMiB)),
});
const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const GB = 1e9;
const o = summary(ours);
const p5 = peer.length > 0 ? summary(peer) : undefined;
const pFront = peerFront.length > 0 ? summary(peerFront) : undefined;
// The ratio is taken against the faster ffmpeg graph (by wall).
const p = p5 !== undefined && pFront !== undefined && pFront.wall < p5.wall ? pFront : p5;
const pName = p === pFront ? "ffmpeg, stereo sum laid into 5.1" : "ffmpeg, 5.1 per input";
const row = (name: string, s: { wall: number; cpu: number; rss: number }, ratio: string) =>
  `| ${name} | ${f(s.cpu, 1)} | ${f(s.wall, 1)} | ${f(programme / s.wall, 1)}x | ${f(s.rss, 0)} | ${ratio} |`;
const ratio = (s: { wall: number; cpu: number }) => (p === undefined ? "" : `${f(p.wall / s.wall, 2)}x wall, ${f(p.cpu / s.cpu, 2)}x CPU`);

const levels = (c: typeof pm) => c.rmsDb.map((r) => (Number.isFinite(r) ? r.toFixed(1) : "-inf")).join(" / ");
const lines = [
  `## Mix render, ${new Date().toISOString()}`,
  "",
  `- Command: \`node bench/render/src/main.ts --tracks ${tracks} --minutes ${minutes} --runs ${runs}${values.block === "4096" ? "" : ` --block ${values.block}`}${values["chunk-kib"] === "512" ? "" : ` --chunk-kib ${values["chunk-kib"]}`}${values.direct ? " --direct" : ""}\``,
  `- Machine: 2 CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, load ${load0.toFixed(2)} at start and ${(loadavg()[0] ?? 0).toFixed(2)} at end; Node ${process.version}; ${ffmpegVersion()}`,
  `- Input: ${tracks} mono WAV files, 48 kHz 24-bit, ${minutes} min each: ${f(inputBytes / GB)} GB. Programme ${f(programme, 0)} s. Each tool runs as its own process (CPU = user + system, peak RSS = max RSS, by /usr/bin/time); median of ${runs} run(s).`,
  `- Ours: one pass rendering all 7 outputs (DX MX FX BG FOLEY stems, PRINTMASTER, ME) dithered to 24 bits; the printmaster and the 5 stems written as 5.1 WAV (6 x ${f((frames * 18) / GB)} GB; the M&E is rendered, not written). Block ${values.block} samples, media read in ${values["chunk-kib"]} KiB chunks through FileByteSource.`,
  `- ffmpeg: one filter graph (volume, afade in/out at the clip edges, pan, amix=normalize=0) producing the printmaster only (no stems, no M&E, no dither, no clip or fader automation, no crossfades), in two forms: every input panned to 5.1 and summed, or panned to stereo, summed, and laid into FL/FR of 5.1 once (the same file: mono tracks reach only L and R). "Ours vs ffmpeg" and the 10x target use the faster of the two (by wall).`,
  "",
  "| Tool | CPU s | Wall s | x realtime | Peak RSS MiB | Ours vs ffmpeg |",
  "| --- | --- | --- | --- | --- | --- |",
  row("ours (@dubstage/mix + @dubstage/wav, 7 outputs, 6 written)", o, ratio(o)),
];
if (oursDirect.length > 0) {
  const d = summary(oursDirect);
  lines.push(row("ours, codes interleaved directly (no float round trip through the writer)", d, ratio(d)));
}
if (p5 !== undefined) lines.push(row("ffmpeg, each input panned to 5.1, amix of 6 channels (printmaster only)", p5, ""));
if (pFront !== undefined)
  lines.push(row("ffmpeg, each input panned to stereo, amix of 2 channels, laid into 5.1 once (printmaster only)", pFront, ""));
const cachedPct = (b: number) => `${f((100 * b) / inputBytes, 0)}%`;
lines.push(
  "",
  "| Read bandwidth | MB/s |",
  "| --- | --- |",
  `| our render: input bytes / render wall (${f(inputBytes / GB)} GB in ${f(o.wall, 1)} s) | ${f(inputBytes / 1e6 / o.wall, 0)} |`,
  `| \`cat\` of the same files to /dev/null (page cache held ${cachedPct(cachedBefore)} before, ${cachedPct(cachedAfterCat)} after) | ${f(inputBytes / 1e6 / cat.wallSeconds, 0)} |`,
  direct === undefined
    ? "| `dd iflag=direct` (uncached) | not run |"
    : `| \`dd bs=4M iflag=direct\` of the same files (bypasses the page cache: the device) | ${f(inputBytes / 1e6 / direct.wallSeconds, 0)} |`,
  "",
  `Our media reader: ${oursStats?.mediaReads ?? "?"} source reads (${f((oursStats?.mediaBytes ?? 0) / GB)} GB), ${oursStats?.mediaWaits ?? "?"} engine reads waited for a chunk (${f((oursStats?.mediaWaitMs ?? Number.NaN) / 1000, 1)} s of wall with a read waiting); render loop ${f(oursStats?.renderSeconds ?? Number.NaN, 1)} s of the process's ${f(o.wall, 1)} s.`,
  "",
  `Read back with openWav: our PRINTMASTER.wav ${pm.channels} channels, ${pm.sampleFormat}, mask 0x${(pm.channelMask ?? 0).toString(16)}, ${pm.frames} frames (${pm.frames === frames ? "right length" : `WRONG, expected ${frames}`}), RMS dBFS L/R/C/LFE/Ls/Rs ${levels(pm)}; DX.wav ${dx.frames} frames, RMS ${levels(dx)}.` +
    (ff === undefined
      ? ""
      : ` ffmpeg's printmaster: ${ff.channels} channels, ${ff.frames} frames, RMS ${levels(ff)}` +
        (ffFront === undefined
          ? "."
          : `; the stereo-sum graph's: ${ffFront.channels} channels, ${ffFront.frames} frames, RMS ${levels(ffFront)}.`)),
  "",
  "| Target (issue 9) | This run | Met |",
  "| --- | --- | --- |",
  p === undefined
    ? "| >= 10x ffmpeg's speed (same run) | not run | |"
    : `| >= 10x ffmpeg's speed (same run; ${pName}) | ${f(p.wall / o.wall, 2)}x wall (${f(p.cpu / o.cpu, 2)}x CPU) | ${p.wall / o.wall >= 10 ? "yes" : "NO"} |`,
  `| >= 100x realtime with 2 workers | ${f(programme / o.wall, 1)}x with ONE process (2 workers at best ${f((2 * programme) / o.wall, 1)}x if they split the work perfectly; not measured) | ${programme / o.wall >= 100 ? "yes (1 process)" : (2 * programme) / o.wall >= 100 ? "not shown" : "NO"} |`,
  `| peak RSS < 500 MB per worker | ${f((o.rss * 2 ** 20) / 1e6, 0)} MB | ${o.rss * 2 ** 20 < 500e6 ? "yes" : "NO"} |`,
  "",
  "Measured beforehand on this machine (issue 9): ffmpeg mixes 64 such tracks to 5.1 at 7-12x realtime, 120-140 MB RSS.",
);
console.log(lines.join("\n"));

function ffmpegVersion(): string {
  const r = spawnSync("ffmpeg", ["-version"], { encoding: "utf8" });
  return (r.stdout.split("\n")[0] ?? "ffmpeg").replace(/ Copyright.*/, "");
}
