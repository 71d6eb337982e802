import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { openFileByteSource } from "../node/file-byte-source.ts";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE } from "../test-support/corpus.ts";
import { type AafIngestFile, openAafForIngest } from "./open-aaf-for-ingest.ts";
import { collect, md5, parseWav } from "./wav-reader.test-support.ts";

/** What packages/aaf/scripts/pyaaf2-essence-dump.py prints per file. */
interface PyFileMob {
  fileMobId: string;
  masterMobIds: string[];
  tapeName: string | null;
  embeddedBytes: number | null;
  pcmMd5: string | null;
}

const python = process.env.DUBSTAGE_PYTHON;
const scripts = fileURLToPath(new URL("../../scripts/", import.meta.url));
const skipReason = !python
  ? "$DUBSTAGE_PYTHON is not set (source scripts/lib.sh): pyaaf2 makes the fixtures and is the oracle"
  : !existsSync(python)
    ? `$DUBSTAGE_PYTHON (${python}) does not exist: run scripts/bootstrap.sh`
    : undefined;
if (skipReason) console.warn(`[aaf essence vs pyaaf2] skipped: ${skipReason}`);
if (!skipReason && !CORPUS_AVAILABLE)
  console.warn(`[aaf essence vs pyaaf2] corpus files skipped: the AAF corpus is not at ${CORPUS_AAF_DIR}`);

const run = promisify(execFile);
const CORPUS_FILES = [
  "PR_WAV_Internal.aaf",
  "PR_AIFF_Internal.aaf",
  "PT_PCM_Internal.aaf",
  "PT_MXF_External.aaf",
  "PT_WAV_External.aaf",
  "PT_Multichannel_5.1_multi_source.aaf",
  "aafsdk_RealWorldSample1.aaf",
  "MC_Fades.aaf",
  "DR_Audio_Levels.aaf",
];

describe.skipIf(skipReason !== undefined)("embedded essence against pyaaf2", () => {
  const scratch = mkdtempSync(join(tmpdir(), "aaf-essence-py-"));
  const fixtures = {
    wave: join(scratch, "wave-stereo-24.aaf"),
    pcm: join(scratch, "pcm-mono-16.aaf"),
  };
  let oracle: Record<string, { fileMobs?: PyFileMob[]; error?: string }> = {};
  const files = () => [fixtures.wave, fixtures.pcm, ...(CORPUS_AVAILABLE ? CORPUS_FILES.map((f) => join(CORPUS_AAF_DIR, f)) : [])];
  const open = (path: string): Promise<AafIngestFile> => openAafForIngest(bufferByteSource(new Uint8Array(readFileSync(path))));

  beforeAll(async () => {
    const make = join(scripts, "make_embedded_aaf.py");
    await run(python as string, [
      make,
      fixtures.wave,
      "--seconds",
      "2",
      "--channels",
      "2",
      "--bits",
      "24",
      "--tape",
      "TAPE 7",
      "--tape-start-seconds",
      "3600",
    ]);
    await run(python as string, [make, fixtures.pcm, "--seconds", "1.5", "--channels", "1", "--bits", "16", "--container", "pcm"]);
    const { stdout } = await run(python as string, [join(scripts, "pyaaf2-essence-dump.py"), ...files()], { maxBuffer: 1 << 26 });
    oracle = JSON.parse(stdout);
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("a pyaaf2-made WAVE essence (48 kHz 24-bit stereo, on a tape at 01:00:00:00) streams as the WAV pyaaf2 reads", async () => {
    const file = await open(fixtures.wave);
    const [detail] = file.essences;
    const py = oracle[fixtures.wave]?.fileMobs?.[0];
    expect(detail).toMatchObject({
      name: "tone",
      fileMobId: py?.fileMobId,
      tapeName: "TAPE 7",
      channels: 2,
      sampleRate: 48000,
      bitDepth: 24,
      lengthSamples: 96000,
    });
    expect(py?.masterMobIds).toEqual([detail?.masterMobId]);
    // The file mob starts 1 s into the tape, whose timecode starts at 01:00:00:00 (25 fps).
    expect(detail?.sourceTimecode).toBe(3600 * 48000 + 48000);
    expect(detail?.embedded).toEqual({ container: "wave", dataBytes: 576000, wavBytes: py?.embeddedBytes, problem: null });
    const wav = await collect(file.openEssence("tone", { chunkBytes: 1000 })); // 1000 is no multiple of the 6-byte frame
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ channels: 2, sampleRate: 48000, bitsPerSample: 24, frames: 96000 });
    expect(md5(wav.subarray(parsed.dataOffset, parsed.dataOffset + parsed.dataBytes))).toBe(py?.pcmMd5);
  });

  it("a pyaaf2-made raw PCM essence gets a header; its samples are pyaaf2's essence bytes", async () => {
    const file = await open(fixtures.pcm);
    const [detail] = file.essences;
    const py = oracle[fixtures.pcm]?.fileMobs?.[0];
    expect(detail).toMatchObject({ fileMobId: py?.fileMobId, tapeName: null, sourceTimecode: null, lengthSamples: 72000 });
    expect(detail?.embedded).toMatchObject({ container: "pcm", dataBytes: py?.embeddedBytes });
    const wav = await collect(file.openEssence("tone", { chunkBytes: 333 }));
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ channels: 1, sampleRate: 48000, bitsPerSample: 16, frames: 72000 });
    expect(md5(wav.subarray(parsed.dataOffset))).toBe(py?.pcmMd5);
  });

  it("streams a 200 MB pyaaf2-made essence from disk through openEssence in 64 KiB chunks with little heap growth", async () => {
    const big = join(scratch, "big.aaf");
    await run(python as string, [
      join(scripts, "make_embedded_aaf.py"),
      big,
      "--seconds",
      "700",
      "--channels",
      "2",
      "--bits",
      "24",
      "--container",
      "pcm",
    ]);
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const source = await openFileByteSource(big);
    try {
      const file = await openAafForIngest(source);
      const [detail] = file.essences;
      expect(detail?.embedded?.dataBytes).toBe(700 * 48000 * 6);
      gc();
      const before = process.memoryUsage();
      let total = 0;
      let peak = 0;
      let n = 0;
      for await (const chunk of file.openEssence("tone", { chunkBytes: 64 * 1024 })) {
        total += chunk.byteLength;
        if (++n % 512 === 0) {
          gc();
          await new Promise((resolve) => setTimeout(resolve, 5)); // array buffers are freed off the main thread
          gc();
          const now = process.memoryUsage();
          peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
        }
      }
      expect(total).toBe(detail?.embedded?.wavBytes);
      expect(peak / 2 ** 20).toBeLessThan(8); // 201.6 MB went through
    } finally {
      await source.close();
      rmSync(big, { force: true });
    }
  }, 120_000);

  it.runIf(CORPUS_AVAILABLE)("corpus files: file mob, master mob, tape name and embedded bytes agree with pyaaf2", async () => {
    let compared = 0;
    for (const name of CORPUS_FILES) {
      const path = join(CORPUS_AAF_DIR, name);
      const py = oracle[path];
      expect(py?.error, name).toBeUndefined();
      const file = await open(path);
      for (const detail of file.essences) {
        const mob = py?.fileMobs?.find((m) => m.fileMobId === detail.fileMobId);
        expect(mob, `${name}: ${detail.name}'s file mob ${detail.fileMobId} is a pyaaf2 file mob`).toBeDefined();
        if (detail.masterMobId !== null) expect(mob?.masterMobIds, `${name}: ${detail.name}`).toContain(detail.masterMobId);
        expect(detail.tapeName, `${name}: ${detail.name}`).toBe(mob?.tapeName?.trim() || null);
        expect(detail.embedded !== null, `${name}: ${detail.name}`).toBe(mob?.embeddedBytes !== null);
        if (detail.embedded?.container === "wave") expect(detail.embedded.wavBytes).toBe(mob?.embeddedBytes);
        if (detail.embedded?.container === "pcm") expect(detail.embedded.dataBytes).toBe(mob?.embeddedBytes);
        if (mob?.pcmMd5 && detail.embedded !== null) {
          const wav = await collect(file.openEssence(detail.name));
          const parsed = parseWav(wav);
          expect(md5(wav.subarray(parsed.dataOffset, parsed.dataOffset + parsed.dataBytes)), `${name}: ${detail.name}`).toBe(mob.pcmMd5);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});
