import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bufferByteSource } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { afterAll, describe, expect, it } from "vitest";
import { openMxf } from "./open-mxf.ts";
import { writeSyntheticMxf } from "./test-support/synthetic-mxf.ts";
import { FFMPEG_AVAILABLE, ffmpeg } from "./test-support/tools.ts";
import { umidAsAafMobIdHex } from "./umid.ts";

/*
 * pyaaf2 carries its own MXF reader (aaf2.mxf, which it uses to link Avid media into AAFs): a second,
 * independent reading of the same files. It also gives each package's UMID in AAF's stored MobID byte
 * order, which checks umidAsAafMobIdHex, the conversion relinking against an AAF depends on.
 */
interface PyaafDump {
  operationalPattern: string;
  packages: { class: string; urn: string; storedHex: string; descriptor: Record<string, string> | null }[];
}

const python = process.env.DUBSTAGE_PYTHON;
const script = fileURLToPath(new URL("../scripts/pyaaf2-mxf-dump.py", import.meta.url));
const skipReason = !python
  ? "$DUBSTAGE_PYTHON is not set (source scripts/lib.sh)"
  : !existsSync(python)
    ? `$DUBSTAGE_PYTHON (${python}) does not exist`
    : undefined;
if (skipReason) console.warn(`[mxf vs pyaaf2] skipped: ${skipReason}`);
if (!FFMPEG_AVAILABLE) console.warn("[mxf vs pyaaf2] ffmpeg-written cases skipped: ffmpeg is not on PATH");

const dir = mkdtempSync(join(tmpdir(), "dubstage-mxf-pyaaf2-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pyaaf2(path: string): PyaafDump {
  return JSON.parse(execFileSync(python as string, [script, path]).toString()) as PyaafDump;
}

async function compare(path: string, expectPcmDescriptor: boolean) {
  const source = await openFileByteSource(path);
  const ours = await openMxf(source).finally(() => source.close());
  const theirs = pyaaf2(path);
  const urnHex = (urn: string) => urn.replace("urn:smpte:umid:", "").replaceAll(".", "");
  const filePackage = theirs.packages.find((p) => urnHex(p.urn) === ours.filePackageUmid);
  const material = theirs.packages.find((p) => p.class === "MXFMaterialPackage");
  expect(filePackage?.class).toBe("MXFSourcePackage");
  expect(filePackage?.storedHex).toBe(umidAsAafMobIdHex(ours.filePackageUmid));
  expect(material && urnHex(material.urn)).toBe(ours.materialPackageUmid);
  expect(material?.storedHex).toBe(umidAsAafMobIdHex(ours.materialPackageUmid as string));
  expect(ours.operationalPattern.replace("-", "")).toMatch(new RegExp(`^${theirs.operationalPattern} `));
  if (expectPcmDescriptor) {
    const d = filePackage?.descriptor ?? {};
    expect(d.class).toMatch(/^MXF(PCM|AES3Audio)Descriptor$/);
    expect(ours.audio).toMatchObject({
      sampleRate: Number(d.AudioSamplingRate?.split("/")[0]),
      channels: Number(d.Channels),
      bitDepth: Number(d.QuantizationBits),
      blockAlign: Number(d.BlockAlign),
      lengthSamples: Number(d.Length),
    });
  }
  return ours;
}

describe.skipIf(skipReason !== undefined)("openMxf against pyaaf2's MXF reader", () => {
  it("synthetic OP-Atom: 44.1 kHz stereo BWF, 4-channel AES3, legacy data definitions with fill", async () => {
    const cases = [
      writeSyntheticMxf({ sampleRate: 44100, channels: 2, bitDepth: 16, samples: 4410, seed: 3 }),
      writeSyntheticMxf({ sampleRate: 48000, channels: 4, bitDepth: 24, samples: 480, descriptor: "aes3", seed: 4 }),
      writeSyntheticMxf({ sampleRate: 48000, channels: 1, bitDepth: 24, samples: 480, fill: true, legacyDataDefinitions: true, seed: 5 }),
    ];
    for (const [i, mxf] of cases.entries()) {
      writeFileSync(join(dir, `syn${i}.mxf`), mxf.bytes);
      const ours = await compare(join(dir, `syn${i}.mxf`), true);
      expect(ours.filePackageUmid).toBe(mxf.filePackageUmid);
    }
    // And the MXF reader agrees on the buffer source too.
    expect((await openMxf(bufferByteSource(cases[0]?.bytes as Uint8Array))).audio?.sampleRate).toBe(44100);
  });

  it.skipIf(!FFMPEG_AVAILABLE)("ffmpeg OP-Atom and OP1a", async () => {
    ffmpeg(["-f", "lavfi", "-i", "sine=d=1:r=48000", "-c:a", "pcm_s24le", "-f", "mxf_opatom", join(dir, "atom.mxf")]);
    ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1", "-f", "lavfi", "-i", "sine=d=1:r=48000"],
      ...["-c:v", "mpeg2video", "-c:a", "pcm_s16le", "-f", "mxf", join(dir, "op1a.mxf")],
    ]);
    await compare(join(dir, "atom.mxf"), true);
    // pyaaf2 shows OP1a's MultipleDescriptor without its sub-descriptors: UMIDs and pattern only.
    await compare(join(dir, "op1a.mxf"), false);
  });
});

describe("umidAsAafMobIdHex", () => {
  it("swaps the material number's Data1, Data2 and Data3 and rejects anything but 64 hex digits", () => {
    const umid = `060a2b340101010501010f1013000000${"f52feaa5"}${"9eeb"}${"00a5"}ab4118c04da9a950`;
    expect(umidAsAafMobIdHex(umid)).toBe("060a2b340101010501010f1013000000a5ea2ff5eb9ea500ab4118c04da9a950");
    expect(umidAsAafMobIdHex(umidAsAafMobIdHex(umid))).toBe(umid);
    expect(() => umidAsAafMobIdHex("0x060a")).toThrow(RangeError);
  });
});
