import { defineCommand } from "../../framework/command.ts";
import { TEMPLATE_CHOICES } from "../session/session-options.ts";
import { TOKEN_FILE_OPTION } from "../shared/token.ts";
import type { IngestView } from "./format-ingest.ts";

/** `dubstage ingest FILE`: uploads an AAF/OMF turnover and imports it into a session through IngestService. */
export const ingestCommand = defineCommand<IngestView>({
  path: ["ingest"],
  summary: "Import an AAF or OMF timeline with its media, or a reference video, into a session (new or existing)",
  description:
    "Uploads the file to the media store, starts an ingest job and follows it with a progress bar.\n" +
    "A video gets its guide audio (48 kHz WAV on a Guide track at its first frame), a proxy and thumbnails,\n" +
    "and its frame rate and start timecode are checked against the session's (mismatches are reported).\n" +
    "Embedded audio is stored in the media store; linked audio is relinked against the files given with\n" +
    "--media (by UMID, file name, tape name or BWF timecode) and reported when missing.\n" +
    "The whole result is applied to the session as one atomic change; a failed ingest changes nothing but\n" +
    "recording IngestFailed. Exits 1 when the job failed.\n" +
    "Talks to --ingest-server (DUBSTAGE_INGEST_URL; uploads by presigned PUT), or the embedded platform.",
  positionals: [{ name: "file", description: "An .aaf or .omf file, or a video (.mov, .mp4, .mxf...)" }],
  options: {
    session: { type: "string", valueName: "id", description: "Import into this existing session (default: a new session)" },
    name: { type: "string", valueName: "name", description: "Name of the new session (default: the composition's)" },
    template: {
      type: "string",
      choices: TEMPLATE_CHOICES,
      description: "Template of the new session (default empty: only the file's tracks)",
    },
    media: { type: "string", multiple: true, valueName: "file", description: "A linked media file to upload for relinking (repeatable)" },
    "pt-true-fades": { type: "boolean", description: "Pro Tools: rebuild real fades from rendered fade clips" },
    "pt-remove-sae": { type: "boolean", description: 'Pro Tools: remove "sample accurate edit" clips' },
    "ingest-server": {
      type: "string",
      valueName: "host:port",
      description: "IngestService to use (default $DUBSTAGE_INGEST_URL, else the embedded platform)",
    },
    ...TOKEN_FILE_OPTION,
  },
  examples: [
    "dubstage ingest reel1.aaf",
    "dubstage ingest reel1.aaf --session 3f0c... --media A001C003.wav --media A001C004.wav",
    "dubstage ingest reel1.aaf --json | jq .summary",
  ],
  load: () => import("./ingest-run.ts"),
});
