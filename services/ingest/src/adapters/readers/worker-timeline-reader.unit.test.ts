import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inspectAaf } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonUnavailableReason } from "../../fixtures/embedded-aaf.ts";
import { TimelineFileError, workerTimelineReader } from "./worker-timeline-reader.ts";

// The reader worker: the same document as the reader in-process, and limits that end a read cleanly.
const CORPUS = fileURLToPath(new URL("../../../../../../shared/corpus/aaf/", import.meta.url));
const missing = existsSync(CORPUS) ? undefined : `the corpus is not at ${CORPUS}`;
if (missing) console.warn(`[worker-timeline-reader] skipped: ${missing}`);
const options = { ptTrueFades: false, ptRemoveSae: false };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dubstage-reader-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function local(name: string, bytes?: Uint8Array) {
  const path = join(dir, name);
  const content = bytes ?? (await readFile(join(CORPUS, name)));
  await writeFile(path, content);
  return { path, size: content.byteLength };
}

describe.skipIf(missing !== undefined)("workerTimelineReader", () => {
  it("reads an AAF in a worker into the same document as inspectAaf, with the essences' facts", async () => {
    const file = await local("PR_WAV_Internal.aaf");
    const reader = workerTimelineReader();
    expect(await reader.sniff(file)).toBe("aaf");
    const read = await reader.read(file, "aaf", options);
    const source = await openFileByteSource(file.path);
    const direct = await inspectAaf(source);
    await source.close();
    expect(read.document).toEqual(direct);
    expect(read.essences.map((e) => [e.name, e.embedded])).toEqual(direct.essences.map((e) => [e.name, e.embedded]));
  }, 30_000);

  it("reads the OMF too", async () => {
    const file = await local("aafsdk_Complx2x.omf");
    const reader = workerTimelineReader();
    expect(await reader.sniff(file)).toBe("omf");
    const read = await reader.read(file, "omf", options);
    expect(read.document.format).toBe("omf");
    expect(read.essences).toHaveLength(2);
  }, 30_000);

  it("a truncated file is a TimelineFileError with the reader's own message", async () => {
    const whole = await readFile(join(CORPUS, "MC_Fades.aaf"));
    const file = await local("truncated.aaf", whole.subarray(0, Math.floor(whole.byteLength / 3)));
    const error = await workerTimelineReader()
      .read(file, "aaf", options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimelineFileError);
    expect((error as Error).message).not.toMatch(/^\s*at /m); // one message, no stack
    expect((error as Error).message.length).toBeGreaterThan(10);
  }, 30_000);

  it("refuses a file that is neither AAF nor OMF, saying what it starts with", async () => {
    const file = await local("notes.txt", new TextEncoder().encode("hello, this is not a timeline at all"));
    await expect(workerTimelineReader().sniff(file)).rejects.toThrow(/not an AAF or OMF file: it starts with 68 65 6c 6c/);
  });

  it("stops a read past its time limit, saying so", async () => {
    const file = await local("MC_Fades.aaf");
    const slow = await workerTimelineReader({ timeoutMs: 1 })
      .read(file, "aaf", options)
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(TimelineFileError);
    expect((slow as Error).message).toMatch(/took longer than 0\.001 s/);
  }, 30_000);
});

const noPython = pythonUnavailableReason();
if (noPython) console.warn(`[worker-timeline-reader] heap-limit case skipped: ${noPython}`);

describe.skipIf(noPython !== undefined)("workerTimelineReader heap limit", () => {
  it("stops a read that needs more heap than allowed (2,000 clips in 16 MiB), and the process goes on", async () => {
    const path = join(dir, "reel-2000.aaf");
    const script = fileURLToPath(new URL("../../../../../bench/aaf/scripts/make_aaf.py", import.meta.url));
    await promisify(execFile)(process.env.DUBSTAGE_PYTHON as string, [
      script,
      "reel",
      path,
      "--tracks",
      "20",
      "--clips-per-track",
      "100",
      "--masters",
      "500",
    ]);
    const file = { path, size: (await readFile(path)).byteLength };
    const error = await workerTimelineReader({ maxHeapMb: 16 })
      .read(file, "aaf", options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimelineFileError);
    expect((error as Error).message).toBe("reading the AAF file needed more than 16 MiB of memory: stopped");
    // The same file reads with room to spare: the limit, not the file, ended the first read.
    const read = await workerTimelineReader({ maxHeapMb: 512 }).read(file, "aaf", options);
    expect(read.document.tracks.flatMap((t) => t.items)).toHaveLength(2000);
  }, 60_000);
});
