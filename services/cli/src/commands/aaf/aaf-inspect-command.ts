import type { InspectDocument } from "@dubstage/interchange";
import { defineCommand } from "../../framework/command.ts";

/** `dubstage aaf inspect FILE`: a pure file command (no database, no server), the JSON shape of issue 8. */
export const aafInspectCommand = defineCommand<InspectDocument>({
  path: ["aaf", "inspect"],
  summary: "Read an AAF or OMF timeline and print its tracks, clips, fades, gain, essences and markers",
  description:
    "Opens the file read-only, by random access (embedded media is not read). Positions are in each track's\n" +
    "own edit units, counted from 00:00:00:00, so the composition's start timecode is included.\n" +
    "A file that cannot be read exits 2 with one line naming the problem and where.",
  positionals: [{ name: "file", description: "An .aaf or .omf file" }],
  options: {
    "pt-true-fades": {
      type: "boolean",
      description: "Pro Tools: turn rendered fade clips back into fades and crossfades on the clips beside them",
    },
    "pt-remove-sae": {
      type: "boolean",
      description: 'Pro Tools: remove the tiny "sample accurate edit" clips, giving their span to the clips beside them',
    },
  },
  examples: ["dubstage aaf inspect reel1.aaf", "dubstage aaf inspect reel1.aaf --json | jq '.tracks[] | {name, clips: (.items | length)}'"],
  load: () => import("./aaf-inspect-run.ts"),
});
