import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeEmbeddedAaf, pythonUnavailableReason } from "@dubstage/ingest/fixtures";
import { runNodeProcess } from "@dubstage/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionView } from "../session/session-view.ts";
import type { IngestView } from "./format-ingest.ts";

// `dubstage ingest` as a user runs it: separate processes on the embedded platform of one data directory.
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
let dir: string;
const env = () => ({ PATH: process.env.PATH ?? "", DUBSTAGE_DATA_DIR: join(dir, "data") });
const dubstage = (...args: string[]) => runNodeProcess(MAIN, args, env());

const noPython = pythonUnavailableReason();
if (noPython) console.warn(`[ingest cli] the AAF case is skipped: ${noPython}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dubstage-ingest-cli-"));
  const init = await dubstage("init");
  expect(init.code, init.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("dubstage ingest", () => {
  it.skipIf(noPython !== undefined)(
    "imports an AAF with embedded audio into a new session and prints the IngestView",
    async () => {
      const file = join(dir, "reel.aaf");
      await makeEmbeddedAaf(file, { seconds: 2, channels: 1 });
      const run = await dubstage("ingest", file, "--name", "CLI reel", "--template", "empty", "--json");
      expect(run.code, run.stderr).toBe(0);
      const view = JSON.parse(run.stdout) as IngestView;
      expect(Object.keys(view).sort()).toEqual(
        ["error", "file", "format", "jobId", "relink", "sessionId", "sessionVersion", "state", "summary", "video", "warnings"].sort(),
      );
      expect(view).toMatchObject({ state: "completed", format: "aaf", error: null, video: null });
      expect(view.summary).toEqual({
        tracks: 1,
        clips: 1,
        crossfades: 0,
        markers: 0,
        mediaEmbedded: 1,
        mediaLinked: 0,
        mediaMissing: 0,
        skippedClips: 0,
        skippedTracks: 0,
      });
      expect(view.relink).toEqual([expect.objectContaining({ status: "embedded", mediaKey: expect.stringMatching(/^media\/sha256\//) })]);
      expect(run.stderr).toContain("[parse]"); // progress goes to stderr (one line per phase off a terminal)

      const shown = await dubstage("session", "show", view.sessionId as string, "--json");
      expect(shown.code, shown.stderr).toBe(0);
      const session = JSON.parse(shown.stdout) as SessionView;
      expect(session).toMatchObject({ name: "CLI reel", clipCount: 1, version: view.sessionVersion });
      expect(session.ingests).toEqual([expect.objectContaining({ jobId: view.jobId, status: "completed", format: "aaf" })]);
    },
    120_000,
  );

  it("a file that is not a timeline or video ends failed: exit 1, the reason in the view", async () => {
    const file = join(dir, "notes.aaf");
    await writeFile(file, "not a timeline, only text\n".repeat(8));
    const run = await dubstage("ingest", file, "--json");
    expect(run.code).toBe(1);
    const view = JSON.parse(run.stdout) as IngestView;
    expect(view).toMatchObject({ state: "failed", sessionId: null, sessionVersion: null, summary: null });
    expect(view.error).toMatch(/^parse: not an AAF, OMF or video file/);
  }, 120_000);

  it("refuses --name with --session before anything is uploaded", async () => {
    const run = await dubstage("ingest", join(dir, "x.aaf"), "--session", "3f0c1d2e-0000-4000-8000-000000000000", "--name", "X");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--name and --template are for a new session/);
  });
});
