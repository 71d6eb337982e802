import { readFileSync } from "node:fs";
import { basename } from "node:path";
import CFB from "cfb";
import { describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { openFileByteSource } from "../node/file-byte-source.ts";
import { type CompoundFileEntry, openCompoundFile } from "./compound-file.ts";
import { allEntries, CORPUS_DIR, corpusFiles, corpusPresent, hex, md5 } from "./corpus.test-support.ts";
import { CompoundFileError } from "./errors.ts";

interface OracleEntry {
  kind: string;
  size: number;
  clsid: string;
  md5: string | undefined;
}

/** What npm `cfb` reports, keyed by our path form ("/", "/Header-2", ...). */
function oracle(bytes: Uint8Array): Map<string, OracleEntry> {
  const container = CFB.read(Buffer.from(bytes), { type: "buffer" });
  const out = new Map<string, OracleEntry>();
  container.FileIndex.forEach((entry, i) => {
    if (entry.type === 0) return;
    const full = container.FullPaths[i] as string;
    const path = `/${full.slice(full.indexOf("/") + 1)}`.replace(/(.)\/$/, "$1");
    const content = entry.content as Uint8Array | undefined;
    out.set(path, {
      kind: entry.type === 5 ? "root" : entry.type === 1 ? "storage" : "stream",
      size: entry.type === 1 ? 0 : entry.size,
      clsid: String(entry.clsid),
      md5: entry.type === 2 ? md5(content ?? new Uint8Array(0)) : undefined,
    });
  });
  return out;
}

const aafFiles = corpusFiles().filter((f) => /\.aaf$/i.test(f));

describe.skipIf(!corpusPresent)("openCompoundFile over the AAF corpus, against npm cfb", () => {
  it("finds the corpus (52 files, v3 and v4 among them)", () => {
    expect(corpusFiles()).toHaveLength(52);
  });

  it.each(aafFiles.map((f) => [basename(f), f]))("%s: tree, CLSIDs, sizes and stream bytes match", async (_name, path) => {
    const bytes = readFileSync(path);
    const file = await openCompoundFile(bufferByteSource(bytes));
    const expected = oracle(bytes);
    const ours = new Map<string, OracleEntry>();
    for (const entry of allEntries(file)) {
      const content = entry.kind === "stream" ? await file.openStream(entry).readAll(entry.size) : undefined;
      ours.set(entry.path, {
        kind: entry.kind,
        size: entry.size,
        clsid: hex(entry.clsid),
        md5: content === undefined ? undefined : md5(content),
      });
    }
    expect(ours.size).toBe(file.entryCount);
    // The root's own size is the mini stream's; cfb does not report it the same way.
    const { size: _ourRoot, ...ourRoot } = ours.get("/") as OracleEntry;
    const { size: _theirRoot, ...theirRoot } = expected.get("/") as OracleEntry;
    expect(ourRoot).toEqual(theirRoot);
    ours.delete("/");
    expected.delete("/");
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
  });

  it("reads both sector sizes: pyaaf2_sector_size_512 is v3/512, the MC_ files are v4/4096", async () => {
    const v3 = await openCompoundFile(bufferByteSource(readFileSync(`${CORPUS_DIR}/pyaaf2_sector_size_512.aaf`)));
    expect([v3.header.majorVersion, v3.header.sectorSize]).toEqual([3, 512]);
    const v4 = await openCompoundFile(bufferByteSource(readFileSync(`${CORPUS_DIR}/MC_Fades.aaf`)));
    expect([v4.header.majorVersion, v4.header.sectorSize]).toEqual([4, 4096]);
    // AAF puts its file-kind signature in the header CLSID: accepted, not null.
    expect(hex(v4.header.clsid)).not.toBe("00".repeat(16));
  });

  it("reads aafsdk_ExportAudioExample_NoCodecDef, whose mini stream ends in sector 0", async () => {
    const file = await openCompoundFile(bufferByteSource(readFileSync(`${CORPUS_DIR}/aafsdk_ExportAudioExample_NoCodecDef.aaf`)));
    // Sector 0 is a legitimate last sector of the root's chain (LibAAF mistakes it for a null link).
    const properties = file.root.child("properties");
    expect(properties?.kind).toBe("stream");
    expect((await file.openStream(file.root).read(0, 1)).length).toBe(1);
    expect(file.entryCount).toBeGreaterThan(100);
  });

  it("refuses the OMF file: not a Compound File", async () => {
    const bytes = readFileSync(`${CORPUS_DIR}/aafsdk_Complx2x.omf`);
    const opening = openCompoundFile(bufferByteSource(bytes));
    await expect(opening).rejects.toThrow(CompoundFileError);
    await expect(opening).rejects.toThrow(/not a Compound File \(signature [0-9a-f ]+, expected d0 cf 11 e0/);
  });

  it("streams embedded WAV essence of PR_WAV_Internal in chunks, equal to read(0, size) and to cfb", async () => {
    const path = `${CORPUS_DIR}/PR_WAV_Internal.aaf`;
    const bytes = readFileSync(path);
    const source = await openFileByteSource(path);
    try {
      const file = await openCompoundFile(source);
      const data = allEntries(file).find((e) => /\/EssenceData-1902\{0\}\/Data-2702$/.test(e.path));
      expect(data?.kind).toBe("stream");
      if (data === undefined) return;
      const reader = file.openStream(data);
      const whole = await reader.read(0, reader.size);
      expect(Buffer.from(whole.subarray(0, 4)).toString("latin1")).toBe("RIFF");
      expect(Buffer.from(whole.subarray(8, 12)).toString("latin1")).toBe("WAVE");
      const parts: Uint8Array[] = [];
      for await (const chunk of reader.chunks(4096)) {
        expect(chunk.length).toBeLessThanOrEqual(4096);
        parts.push(chunk);
      }
      expect(md5(Buffer.concat(parts))).toBe(md5(whole));
      const container = CFB.read(bytes, { type: "buffer" });
      const theirs = container.FileIndex[container.FullPaths.findIndex((p) => p.endsWith("/EssenceData-1902{0}/Data-2702"))];
      expect(md5(whole)).toBe(md5(theirs?.content as Uint8Array));
      await expect(reader.readAll(reader.size - 1)).rejects.toThrow(CompoundFileError);
    } finally {
      await source.close();
    }
  });

  it("serves random windows of large streams equal to the oracle's slices", async () => {
    const bytes = readFileSync(`${CORPUS_DIR}/PR_WAV_Internal.aaf`);
    const file = await openCompoundFile(bufferByteSource(bytes));
    const container = CFB.read(bytes, { type: "buffer" });
    let seed = 12345;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const streams = allEntries(file).filter((e) => e.kind === "stream");
    const large = streams.filter((e) => e.size >= 4096);
    const small = streams.filter((e) => e.size > 0 && e.size < 4096).slice(0, 20);
    expect(large.length).toBeGreaterThan(0);
    for (const entry of [...large, ...small]) {
      const theirs = container.FileIndex[container.FullPaths.indexOf(`Root Entry${entry.path}`)]?.content as Uint8Array;
      const reader = file.openStream(entry);
      for (let i = 0; i < 50; i++) {
        const offset = random(entry.size + 10);
        const length = random(i % 5 === 0 ? entry.size + 1 : 9000);
        const window = await reader.read(offset, length);
        expect(md5(window)).toBe(md5(theirs.subarray(offset, offset + length)));
      }
    }
  });
  it("hands over a small stream's bytes without waiting (readAllNow) equal to readAll, once its block is read", async () => {
    let servedNow = 0;
    let small = 0;
    for (const path of aafFiles) {
      const file = await openCompoundFile(bufferByteSource(readFileSync(path)));
      const now = file as unknown as { readAllNow(entry: CompoundFileEntry, maxBytes: number): Uint8Array | undefined };
      const streams = allEntries(file).filter((e) => e.kind === "stream");
      // Nothing is at hand before the mini stream's blocks are read.
      const firstSmall = streams.find((e) => e.size > 0 && e.size < 4096);
      if (firstSmall !== undefined) expect(now.readAllNow(firstSmall, firstSmall.size)).toBeUndefined();
      const contents = new Map<CompoundFileEntry, string>();
      for (const entry of streams) contents.set(entry, md5(await file.openStream(entry).readAll(entry.size)));
      for (const entry of streams) {
        if (entry.size > 0 && entry.size < 4096) small++;
        const bytes = now.readAllNow(entry, entry.size);
        if (bytes === undefined) continue;
        servedNow++;
        expect(md5(bytes), entry.path).toBe(contents.get(entry));
        expect(entry.size).toBeLessThan(4096);
        // The limit is respected: over it, nothing (readAll raises the error).
        if (entry.size > 0) expect(now.readAllNow(entry, entry.size - 1)).toBeUndefined();
      }
    }
    // Nearly every small stream of the corpus lies in consecutive mini sectors.
    expect(servedNow).toBeGreaterThan(small * 0.9);
  });
});
