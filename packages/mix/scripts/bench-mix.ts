// Renders 64 mono tracks x 60 s (synthesised media) to 5.1 stems, printmaster and M&E, and prints how much
// faster than real time it runs on this machine. Not a test. Run: node packages/mix/scripts/bench-mix.ts
// Options: --tracks N, --seconds S, --block N, --dither (also quantise every output to 24 bits).
import os from "node:os";
import { parseArgs } from "node:util";
import { type MixClip, type MixPlan, type MixTrack, renderMix, TRACK_ROLES } from "../src/index.ts";
import { createGeneratorMediaReader, tableGenerator } from "../src/testing/index.ts";

const { values } = parseArgs({
  options: {
    tracks: { type: "string", default: "64" },
    seconds: { type: "string", default: "60" },
    block: { type: "string", default: "4096" },
    dither: { type: "boolean", default: false },
    "no-automation": { type: "boolean", default: false },
  },
});
const rate = 48_000;
const trackCount = Number(values.tracks);
const seconds = Number(values.seconds);
const start = 172_800_000;
const end = start + seconds * rate;

// Each track: clips of 2-6 s with 10 ms fades, 1 s gaps every so often, some crossfades, clip gain; half
// the tracks carry a pan lane and a fader ride, so the per-sample paths are exercised too.
function makeTrack(t: number): { track: MixTrack; crossfades: MixPlan["crossfades"] } {
  const clips: MixClip[] = [];
  const crossfades: { outgoingClipId: string; incomingClipId: string; length: number; shape: "EQUAL_POWER"; alignment: "CENTERED" }[] = [];
  let position = start + t * 997;
  let i = 0;
  while (position < end) {
    const length = rate * (2 + ((t + i) % 5));
    const abut = i % 3 !== 2;
    const previous = clips[clips.length - 1];
    const crossfade = previous !== undefined && previous.position + previous.length === position && i % 2 === 0;
    clips.push({
      clipId: `t${t}c${i}`,
      position,
      length,
      sourceOffset: rate,
      sourceLength: length + 2 * rate,
      channels: [{ mediaKey: `media/${t % 16}`, channel: 1 }],
      gainDb: -6 + (i % 7),
      muted: false,
      ...(crossfade ? {} : { fadeIn: { length: 480, shape: "S_CURVE" as const } }),
      fadeOut: { length: 480, shape: "LINEAR" as const },
      ...(i % 4 === 0 && !values["no-automation"]
        ? {
            volume: [
              { offset: 0, gainDb: 0 },
              { offset: Math.floor(length / 2), gainDb: -10 },
            ],
          }
        : {}),
    });
    if (crossfade && previous !== undefined) {
      const { fadeOut: _dropped, ...rest } = previous;
      clips[clips.length - 2] = rest;
      crossfades.push({
        outgoingClipId: previous.clipId,
        incomingClipId: `t${t}c${i}`,
        length: 2400,
        shape: "EQUAL_POWER",
        alignment: "CENTERED",
      });
    }
    position += length + (abut ? 0 : rate);
    i++;
  }
  const automated = t % 2 === 0 && !values["no-automation"];
  return {
    track: {
      trackId: `t${t}`,
      role: TRACK_ROLES[t % TRACK_ROLES.length] ?? "DX",
      channelFormat: "MONO",
      mix: { volumeDb: -3, pan: ((t % 9) - 4) / 4, muted: false, solo: false },
      ...(automated
        ? {
            panAutomation: [
              { position: start, value: -1 },
              { position: end, value: 1 },
            ],
            volumeAutomation: [
              { position: start + 10 * rate, value: 0 },
              { position: start + 20 * rate, value: -12 },
            ],
          }
        : {}),
      clips,
    },
    crossfades,
  };
}

const built = Array.from({ length: trackCount }, (_, t) => makeTrack(t));
const plan: MixPlan = {
  sampleRate: rate,
  layout: "5.1",
  range: { start, end },
  tracks: built.map((b) => b.track),
  crossfades: built.flatMap((b) => b.crossfades),
};
const reader = createGeneratorMediaReader(tableGenerator());
const began = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
let blocks = 0;
let peak = 0;
for await (const block of renderMix(plan, reader, { blockSize: Number(values.block), ...(values.dither ? { dither: { seed: 1 } } : {}) })) {
  blocks++;
  const pm = block.outputs.PRINTMASTER?.[0];
  if (pm !== undefined) for (let i = 0; i < pm.length; i++) peak = Math.max(peak, Math.abs(pm[i] as number));
}
const elapsed = Number(process.hrtime.bigint() - began) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const clipCount = plan.tracks.reduce((n, t) => n + t.clips.length, 0);
console.log(
  JSON.stringify(
    {
      tracks: trackCount,
      clips: clipCount,
      crossfades: plan.crossfades.length,
      seconds,
      layout: plan.layout,
      outputs: "DX MX FX BG FOLEY stems + PRINTMASTER + ME",
      dither: values.dither,
      automation: !values["no-automation"],
      blockSize: Number(values.block),
      blocks,
      elapsedSeconds: Number(elapsed.toFixed(3)),
      xRealtime: Number((seconds / elapsed).toFixed(1)),
      // CPU time of this process (includes GC threads): less sensitive to other load on the machine than wall time.
      cpuSeconds: Number(cpuSeconds.toFixed(3)),
      xRealtimePerCpuSecond: Number((seconds / cpuSeconds).toFixed(1)),
      loadAverage1m: Number(os.loadavg()[0]?.toFixed(2)),
      cpus: os.cpus().length,
      trackSamplesPerSecond: Math.round((trackCount * seconds * rate) / elapsed),
      samplesRead: reader.stats.samples,
      printmasterPeakL: Number(peak.toFixed(3)),
      node: process.version,
    },
    null,
    2,
  ),
);
