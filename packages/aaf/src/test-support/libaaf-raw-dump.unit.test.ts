import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "./corpus.ts";
import { parseLibaafRawDump } from "./libaaf-raw-dump.ts";

warnIfCorpusMissing("libaaf-raw-dump");

// The counts in the corpus MANIFEST were taken from LibAAF independently of this parser: if our reading of
// its dumps agrees with them for every file, the comparison tests built on this parser compare the right things.
interface ManifestRow {
  readonly file: string;
  readonly counts: readonly number[] | undefined;
}

function manifestRows(): ManifestRow[] {
  const manifest = readFileSync(`${CORPUS_AAF_DIR}/MANIFEST.md`, "utf8");
  return manifest
    .split("\n")
    .map((line) => ({ line, file: /^\| `([^`]+)` \|/.exec(line)?.[1] }))
    .filter((row): row is { line: string; file: string } => row.file !== undefined)
    .map(({ line, file }) => {
      const c = /(\d+) audio \/ (\d+) video tracks, (\d+) clips, fades (\d+), x-fades (\d+)/.exec(line);
      return { file, counts: c ? c.slice(1, 6).map(Number) : undefined };
    });
}

describe.skipIf(!CORPUS_AVAILABLE)("LibAAF raw dumps", () => {
  it("agree with the MANIFEST's track, clip, fade and crossfade counts for every corpus file", () => {
    const rows = manifestRows();
    expect(rows).toHaveLength(52);
    for (const row of rows) {
      const dump = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/${row.file}.aaftool.raw.txt`, "utf8"));
      if (row.counts === undefined) {
        expect(dump.exit, row.file).toBe(255); // the two files LibAAF cannot open
        continue;
      }
      const clips = dump.tracks.flatMap((t) => t.items).filter((i) => i.type === "clip");
      const counts = [
        dump.tracks.filter((t) => t.kind === "audio").length,
        dump.tracks.filter((t) => t.kind === "video").length,
        clips.length,
        clips.reduce((n, c) => n + (c.fadeIn ? 1 : 0) + (c.fadeOut ? 1 : 0), 0),
        dump.tracks.flatMap((t) => t.items).filter((i) => i.type === "crossfade").length,
      ];
      expect(counts, row.file).toEqual(row.counts);
    }
  });

  it("reads clip fields, crossfades, automation and markers as printed", () => {
    const fades = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/MC_Fades.aaf.aaftool.raw.txt`, "utf8"));
    expect(fades).toMatchObject({ tcEditRate: "30000/1001", tcFps: 30, dropFrame: false, compositionName: "MC_Fades.Exporté.05" });
    const a1 = fades.tracks.find((t) => t.kind === "audio" && t.index === 1);
    expect(a1?.items).toContainEqual({ type: "crossfade", curve: "CURV_LIN", length: 5, cutPoint: 2 });

    const levels = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/MC_Audio_Levels.aaf.aaftool.raw.txt`, "utf8"));
    const clip = levels.tracks.find((t) => t.kind === "audio" && t.index === 1)?.items[1];
    expect(clip).toMatchObject({ type: "clip", start: 108030, length: 30, sourceOffset: 40, channels: 1, gainDb: 3 });
    expect(clip?.type === "clip" && clip.volumeAutomation?.map((p) => p.time)).toEqual([0, 0.366667, 0.666667, 0.966667]);
    expect(levels.tracks.find((t) => t.index === 3 && t.kind === "audio")).toMatchObject({ solo: true });

    const markers = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/MC_Markers.aaf.aaftool.raw.txt`, "utf8")).markers;
    expect(markers).toHaveLength(3);
    expect(markers[2]).toMatchObject({ start: 108000, length: 4, color: "#65e665e69919", label: "XYZ" });

    const pan = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/MC_Audio_Pan.aaf.aaftool.raw.txt`, "utf8"));
    const [p1, p2] = pan.tracks.filter((t) => t.kind === "audio");
    expect(p1).toMatchObject({ pan: null, volumeAutomation: null });
    expect(p1?.panAutomation?.map((p) => [p.time, p.value])).toEqual([
      [0, 0],
      [0.483333, 0],
      [0.5, 0.5],
      [0.633333, 1],
      [0.8, 0],
      [0.983333, 0.5],
    ]);
    // The track automation block follows the last clip: none of it is that clip's.
    expect(p1?.items.at(-1)).toMatchObject({ type: "clip", volumeAutomation: null });
    expect(p2).toMatchObject({ pan: 1, panAutomation: null });

    const df = parseLibaafRawDump(readFileSync(`${CORPUS_AAF_DIR}/reference/MC_TC_29.97_DF.aaf.aaftool.raw.txt`, "utf8"));
    expect(df).toMatchObject({ dropFrame: true, compositionStart: 107892 });
  });
});
