import { defineCommand } from "../../framework/command.ts";
import type { LoudnessView } from "./loudness-view.ts";

/** `dubstage loudness FILE`: a pure file command, the JSON shape of issue 9 (section 2). */
export const loudnessCommand = defineCommand<LoudnessView>({
  path: ["loudness"],
  summary: "Measure a WAV/BWF file to ITU-R BS.1770-4 / EBU R 128: integrated, range, true peak, maxima",
  description:
    "Reads the file once, streaming (any length, bounded memory). Channel weights come from the WAVE\n" +
    "channel mask, else from the channel count (1 mono, 2 stereo, 6 = L R C LFE Ls Rs, 8 = 7.1), else\n" +
    "from --layout; the LFE is excluded. Loudness values are null in --json for silence.\n" +
    "A file that cannot be read exits 2 with one line naming the problem and where.",
  positionals: [{ name: "file", description: "A .wav file (PCM 8-32 bit or float, RIFF, RF64 or BW64)" }],
  options: {
    layout: {
      type: "string",
      valueName: "layout",
      choices: ["mono", "stereo", "5.0", "5.1", "5.1-film", "7.1", "7.1.4"],
      description: "Channel layout when the file has no channel mask (5.1-film: L C R Ls Rs LFE)",
    },
  },
  examples: ["dubstage loudness printmaster.wav", "dubstage loudness dx-stem.wav --json | jq .integratedLufs"],
  load: () => import("./loudness-run.ts"),
});
