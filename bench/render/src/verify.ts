// Reads a rendered WAV back with @dubstage/wav: format, length and level, so a run that wrote silence or
// the wrong length says so.
import { openWav } from "@dubstage/wav";
import { openFileByteSource } from "@dubstage/wav/node";

export interface Check {
  readonly channels: number;
  readonly frames: number;
  readonly sampleFormat: string;
  readonly channelMask: number | undefined;
  /** RMS (dBFS) and peak of each channel, in LAYOUT order. */
  readonly rmsDb: readonly number[];
  readonly peak: readonly number[];
}

export async function checkWav(path: string): Promise<Check> {
  const source = await openFileByteSource(path);
  try {
    const reader = await openWav(source);
    const { format, frames } = reader.info;
    const squares = new Float64Array(format.channels);
    const peak = new Float64Array(format.channels);
    for await (const block of reader.blocks({ blockFrames: 65_536 })) {
      block.forEach((plane, c) => {
        let s = 0;
        let p = peak[c] as number;
        for (let i = 0; i < plane.length; i++) {
          const v = plane[i] as number;
          s += v * v;
          const a = v < 0 ? -v : v;
          if (a > p) p = a;
        }
        squares[c] = (squares[c] as number) + s;
        peak[c] = p;
      });
    }
    return {
      channels: format.channels,
      frames,
      sampleFormat: format.sampleFormat,
      channelMask: format.channelMask,
      rmsDb: [...squares].map((s) => 10 * Math.log10(s / Math.max(1, frames))),
      peak: [...peak],
    };
  } finally {
    await source.close();
  }
}
