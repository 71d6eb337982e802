// The peer: the same tracks mixed by ffmpeg in ONE filter graph to a 5.1 printmaster (ffmpeg renders no
// stems). Per input: one `volume` (track fader + the clip gains' mean: ffmpeg has no clip automation
// here), `afade` in and out at the clip edges with the nearest ffmpeg curve (interior 1 s fades of the
// abutting tracks gated with `enable`, so they act on their second only; the 10 ms crossfades over a
// continuous source are seamless and left out), the same constant-power pan into FL/FR of 5.1 (`pan`),
// and all inputs summed by `amix=normalize=0`. Output pcm_s24le 5.1 WAV.
import type { FadeShape } from "@dubstage/mix";
import { SAMPLE_RATE } from "./media.ts";
import { type BenchPlan, FADE_SAMPLES } from "./plan.ts";

const CURVE: Readonly<Record<FadeShape, string>> = {
  LINEAR: "tri",
  EQUAL_POWER: "qsin",
  S_CURVE: "hsin",
  EXPONENTIAL: "exp",
  LOGARITHMIC: "log",
};

const seconds = (samples: number) => (samples / SAMPLE_RATE).toFixed(6);

/**
 * The ffmpeg arguments mixing `bench` into `output`. `front`: pan each input to stereo, sum the stereo
 * pairs and lay the sum into FL/FR of 5.1 once at the end: the same file (mono tracks reach only L and R),
 * with a third of the summing; else every input is panned to 5.1 and amix sums six channels per input.
 */
export function ffmpegArgs(bench: BenchPlan, output: string, options: { readonly front?: boolean } = {}): string[] {
  const front = options.front ?? false;
  const fade = seconds(FADE_SAMPLES);
  const total = bench.frames;
  const chains = bench.tracks.map((b, i) => {
    const { track } = b;
    const clipGain = track.clips.reduce((s, c) => s + c.gainDb, 0) / track.clips.length;
    const lane = track.volumeAutomation;
    const fader = lane === undefined ? track.mix.volumeDb : lane.reduce((s, p) => s + p.value, 0) / lane.length;
    const filters = [`volume=${(fader + clipGain).toFixed(3)}dB`, `afade=t=in:st=0:d=${fade}:curve=${CURVE[b.fadeInShape]}`];
    if (!b.crossfaded) {
      b.cuts.forEach((cut, k) => {
        const outClip = track.clips[k];
        const inClip = track.clips[k + 1];
        const a = seconds(cut - FADE_SAMPLES);
        const c = seconds(cut);
        const e = seconds(cut + FADE_SAMPLES);
        filters.push(`afade=t=out:st=${a}:d=${fade}:curve=${CURVE[outClip?.fadeOut?.shape ?? "LINEAR"]}:enable='between(t,${a},${c})'`);
        filters.push(`afade=t=in:st=${c}:d=${fade}:curve=${CURVE[inClip?.fadeIn?.shape ?? "LINEAR"]}:enable='between(t,${c},${e})'`);
      });
    }
    filters.push(`afade=t=out:st=${seconds(total - FADE_SAMPLES)}:d=${fade}:curve=${CURVE[b.fadeOutShape]}`);
    // The engine's mono pan law: L = cos((p + 1) pi / 4), R = sin((p + 1) pi / 4), front pair only.
    const angle = ((track.mix.pan + 1) * Math.PI) / 4;
    filters.push(`pan=${front ? "stereo" : "5.1"}|FL=${Math.cos(angle).toFixed(6)}*c0|FR=${Math.sin(angle).toFixed(6)}*c0`);
    return `[${i}:a]${filters.join(",")}[a${i}]`;
  });
  const labels = bench.tracks.map((_, i) => `[a${i}]`).join("");
  const graph = `${chains.join(";")};${labels}amix=inputs=${bench.tracks.length}:normalize=0${front ? ",pan=5.1|FL=c0|FR=c1" : ""}[mix]`;
  return [
    "-v",
    "error",
    "-y",
    "-nostdin",
    ...bench.tracks.flatMap((b) => ["-i", b.media]),
    "-filter_complex",
    graph,
    "-map",
    "[mix]",
    "-c:a",
    "pcm_s24le",
    "-bitexact",
    output,
  ];
}
