import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ClipItem, InspectDocument } from "@dubstage/interchange";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { inspectAaf } from "../inspect/inspect-aaf.ts";

// No corpus file has track volume automation or a pan around a clip of its top composition, so pyaaf2 writes
// one that has both (scripts/make_pan_aaf.py), read here through the whole stack (container, objects, resolve).
const python = process.env.DUBSTAGE_PYTHON;
const skipReason = !python
  ? "$DUBSTAGE_PYTHON is not set (source scripts/lib.sh): pyaaf2 makes the fixture"
  : !existsSync(python)
    ? `$DUBSTAGE_PYTHON (${python}) does not exist: run scripts/bootstrap.sh`
    : undefined;
if (skipReason) console.warn(`[aaf pan vs pyaaf2] skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)("pan and track volume automation in a pyaaf2-written AAF", () => {
  const scratch = mkdtempSync(join(tmpdir(), "aaf-pan-py-"));
  const fixture = join(scratch, "pan.aaf");
  let doc: InspectDocument;
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  beforeAll(async () => {
    const script = fileURLToPath(new URL("../../scripts/make_pan_aaf.py", import.meta.url));
    await promisify(execFile)(python as string, [script, fixture]);
    doc = await inspectAaf(bufferByteSource(new Uint8Array(readFileSync(fixture))));
  }, 60_000);

  it("reads the track's constant pan (0.25 -> -0.5) and its volume automation in dB from 00:00:00:00", () => {
    const [track] = doc.tracks;
    expect(track).toMatchObject({ kind: "audio", name: "A1", gainDb: null, pan: -0.5, panAutomation: null });
    // Amplitude 1, 1/2, 1/4 at 0, 1/4 and 1 of the 100-frame group starting at 01:00:00:00 (90000 at 25).
    expect(track?.volumeAutomation).toEqual([
      { position: 90000, value: 0 },
      { position: 90025, value: expect.closeTo(20 * Math.log10(0.5), 12) },
      { position: 90100, value: expect.closeTo(20 * Math.log10(0.25), 12) },
    ]);
    expect(doc.warnings).toEqual([]);
  });

  it("reads a clip's pan automation in time order (written out of order) and a two-equal-point pan as a constant", () => {
    const clips = doc.tracks[0]?.items.filter((i): i is ClipItem => i.type === "clip") ?? [];
    expect(clips.map((c) => [c.start, c.length])).toEqual([
      [90025, 50],
      [90075, 25],
    ]);
    expect(clips[0]).toMatchObject({
      pan: null,
      panAutomation: [
        { time: 0, value: -1 },
        { time: 0.5, value: 1 },
        { time: 1, value: 0 },
      ],
    });
    expect(clips[1]).toMatchObject({ pan: 0.5, panAutomation: null });
  });
});
