import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { openCompoundFile } from "../cfb/index.ts";
import { inspectAaf } from "../inspect/inspect-aaf.ts";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "../test-support/corpus.ts";
import { AafEssenceError } from "./errors.ts";
import { openAafForIngest } from "./open-aaf-for-ingest.ts";
import { collect, md5, parseWav } from "./wav-reader.test-support.ts";

warnIfCorpusMissing("aaf essence corpus");
const ffmpegAvailable = (() => {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (CORPUS_AVAILABLE && !ffmpegAvailable) console.warn("[aaf essence corpus] ffprobe/ffmpeg checks skipped: ffmpeg is not on PATH");

const bytesOf = (name: string) => new Uint8Array(readFileSync(join(CORPUS_AAF_DIR, name)));
const open = (name: string) => openAafForIngest(bufferByteSource(bytesOf(name)));
const scratch = mkdtempSync(join(tmpdir(), "aaf-essence-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The stored essence stream as the container reads it whole (the oracle for pass-through). */
async function storedStream(name: string): Promise<Uint8Array> {
  const tree = await openCompoundFile(bufferByteSource(bytesOf(name)));
  const content = tree.root.child("Header-2")?.child("Content-3b03");
  const entry = content?.child("EssenceData-1902{0}")?.child("Data-2702");
  if (entry === undefined) throw new Error(`${name}: no EssenceData-1902{0}/Data-2702`);
  return tree.openStream(entry).readAll(1 << 24);
}

function ffprobe(wav: Uint8Array, label: string): Record<string, string> {
  const path = join(scratch, `${label}.wav`);
  writeFileSync(path, wav);
  const out = execFileSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "stream=codec_name,channels,sample_rate,duration_ts", "-of", "default=nw=1", path],
    {
      encoding: "utf8",
    },
  );
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((line) => line.split("=") as [string, string]),
  );
}

describe.runIf(CORPUS_AVAILABLE)("embedded essence of the corpus as WAV", () => {
  it("PR_WAV_Internal: the stored WAVE file, byte for byte (its md5 is the WAV LibAAF extracts)", async () => {
    const file = await open("PR_WAV_Internal.aaf");
    const [essence] = file.essences;
    expect(essence?.embedded).toEqual({ container: "wave", dataBytes: 102504, wavBytes: 102548, problem: null });
    const wav = await collect(file.openEssence(essence?.name ?? "", { chunkBytes: 4096 }));
    expect(md5(wav)).toBe(md5(await storedStream("PR_WAV_Internal.aaf")));
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ formatTag: 1, channels: 1, sampleRate: 48000, bitsPerSample: 16 });
    expect(parsed.frames).toBe(essence?.lengthSamples);
    if (ffmpegAvailable)
      expect(ffprobe(wav, "pr-wav")).toMatchObject({ codec_name: "pcm_s16le", sample_rate: "48000", duration_ts: "51252" });
  });

  it("PR_AIFF_Internal: AIFC (NONE, big-endian 16-bit) becomes little-endian WAV with the same samples as ffmpeg decodes", async () => {
    const file = await open("PR_AIFF_Internal.aaf");
    const [essence] = file.essences;
    expect(essence?.embedded).toMatchObject({ container: "aifc", dataBytes: 102512, problem: null });
    const wav = await collect(file.openEssence(essence?.name ?? "", { chunkBytes: 1001 }));
    expect(wav.byteLength).toBe(essence?.embedded?.wavBytes);
    const parsed = parseWav(wav);
    // The AIFC's COMM holds 51256 frames; Premiere's descriptor Length says 51260 (4 more than it stored).
    expect(parsed).toMatchObject({ channels: 1, sampleRate: 48000, bitsPerSample: 16, frames: 51256 });
    expect(essence?.lengthSamples).toBe(51260);
    if (ffmpegAvailable) {
      const stored = join(scratch, "pr-aiff.aif");
      writeFileSync(stored, await storedStream("PR_AIFF_Internal.aaf"));
      const decoded = execFileSync("ffmpeg", ["-v", "error", "-i", stored, "-f", "s16le", "-"], { maxBuffer: 1 << 24 });
      expect(md5(wav.subarray(parsed.dataOffset, parsed.dataOffset + parsed.dataBytes))).toBe(md5(decoded));
      expect(ffprobe(wav, "pr-aiff")).toMatchObject({ codec_name: "pcm_s16le", duration_ts: "51256" });
    }
  });

  it("PT_PCM_Internal: raw PCM gets a header from the PCMDescriptor (16 kHz mono 16-bit)", async () => {
    const file = await open("PT_PCM_Internal.aaf");
    const [essence] = file.essences;
    expect(essence?.embedded).toEqual({ container: "pcm", dataBytes: 64000, wavBytes: 64044, problem: null });
    const wav = await collect(file.openEssence(essence?.name ?? ""));
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ channels: 1, sampleRate: 16000, bitsPerSample: 16, frames: 32000 });
    expect(parsed.frames).toBe(essence?.lengthSamples);
    expect(md5(wav.subarray(44))).toBe(md5(await storedStream("PT_PCM_Internal.aaf")));
    if (ffmpegAvailable)
      expect(ffprobe(wav, "pt-pcm")).toMatchObject({ codec_name: "pcm_s16le", sample_rate: "16000", duration_ts: "32000" });
  });

  it("refuses a linked essence and an unknown name with errors that say so", async () => {
    const file = await open("PT_WAV_External.aaf");
    const [essence] = file.essences;
    expect(essence?.embedded).toBeNull();
    expect(() => file.openEssence(essence?.name ?? "")).toThrow(AafEssenceError);
    expect(() => file.openEssence(essence?.name ?? "")).toThrow(
      /is linked, not embedded in the AAF \(its media is at file:\/\/\/c%3a\/Users\/.*1000hz-18dbs16b44\.1k\.wav\)/,
    );
    expect(() => file.openEssence("no such essence")).toThrow(/essence "no such essence" is not in the document/);
  });

  it("gives the same document as inspectAaf, and one detail per essence under the same name", async () => {
    for (const name of ["PR_WAV_Internal.aaf", "PT_Multichannel_5.1_multi_source.aaf", "aafsdk_RealWorldSample1.aaf", "MC_Fades.aaf"]) {
      const file = await open(name);
      expect(file.document).toEqual(await inspectAaf(bufferByteSource(bytesOf(name))));
      expect(file.essences.map((e) => e.name)).toEqual(file.document.essences.map((e) => e.name));
      for (const [i, detail] of file.essences.entries()) {
        const essence = file.document.essences[i];
        expect({ uri: detail.uri, embedded: detail.embedded !== null, length: detail.lengthSamples }).toEqual({
          uri: essence?.uri,
          embedded: essence?.embedded,
          length: essence?.length,
        });
      }
    }
  });

  it("source chains: tape names and source timecodes", async () => {
    const wav = (await open("PR_WAV_Internal.aaf")).essences[0];
    // File mob clip starts 41642 samples into the import mob, whose timecode starts at 00:00:00;00.
    expect(wav).toMatchObject({ tapeName: "Import1000hz-18dbs16b44.1k.wav", sourceTimecode: 41642, mxf: false });
    const mxf = (await open("PT_MXF_External.aaf")).essences[0];
    expect(mxf).toMatchObject({ mxf: true, embedded: null, sourceTimecode: 0, sampleRate: 44100 });
    expect(mxf?.tapeName).toMatch(/^Pro Tools\s: PT_MXF_External\.ptx$/);
    // Media Composer's linked media are OP-Atom files; Premiere's linked WAV sits under the same AAF-KLV container.
    expect((await open("MC_Fades.aaf")).essences.map((e) => e.mxf)).toEqual([true, true, true]);
    expect((await open("PR_WAV_External_sub_sub_directory_UTF8.aaf")).essences[0]).toMatchObject({ mxf: false, embedded: null });
    // Pro Tools tags its embedded PCM with the same "MXF" container: embedded, so not an MXF file to find.
    expect((await open("PT_PCM_Internal.aaf")).essences[0]).toMatchObject({ mxf: false, embedded: { container: "pcm" } });
    const sample = await open("aafsdk_RealWorldSample1.aaf");
    const trailers = sample.essences.find((e) => e.name === "WN TRAILERS");
    // Tape 578606's timecode, in 48 kHz samples: 2820480000 = 16:19:20:00.
    expect(trailers).toMatchObject({ tapeName: "578606", sourceTimecode: 2820480000, embedded: null });
  });
});
