import { existsSync, readFileSync } from "node:fs";
import { bufferByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { OmfFormatError } from "./errors.ts";
import { readOmf } from "./read-omf.ts";

/*
 * Deterministic mutations of the corpus OMF: each must end in a document or an OmfFormatError, never another
 * error. Work is bounded by the reader's own counters (maxComponents, maxDepth), not by time.
 */
const PATH = "/work/shared/corpus/aaf/aafsdk_Complx2x.omf";
const exists = existsSync(PATH);
if (!exists) console.warn(`omf fuzz test skipped: ${PATH} is absent (the shared corpus is not mounted)`);

/** mulberry32: a small seeded PRNG so every run mutates the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte positions of Offset4Len4 (code 5) entries, found by stepping over TOC entries by their sizes. */
function segmentEntries(file: Uint8Array, tocOffset: number, tocSize: number): number[] {
  const sizes: Record<number, number> = {
    1: 12,
    2: 8,
    3: 4,
    4: 4,
    5: 8,
    6: 8,
    7: 12,
    8: 12,
    9: 4,
    10: 4,
    11: 4,
    12: 4,
    13: 4,
    14: 4,
    15: 4,
  };
  const out: number[] = [];
  let p = tocOffset;
  while (p < tocOffset + tocSize) {
    const code = file[p] as number;
    if (code === 24) {
      p = tocOffset + Math.ceil((p + 1 - tocOffset) / 1024) * 1024;
      continue;
    }
    const size = sizes[code];
    if (size === undefined) break;
    if (code === 5) out.push(p);
    p += 1 + size;
  }
  return out;
}

describe.skipIf(!exists)("hostile mutations of aafsdk_Complx2x.omf", () => {
  it("200 seeded mutations each give a document or an OmfFormatError", async () => {
    const original = new Uint8Array(readFileSync(PATH));
    const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
    const tocOffset = view.getUint32(original.length - 8, true);
    const tocSize = view.getUint32(original.length - 4, true);
    const segments = segmentEntries(original, tocOffset, tocSize);
    expect(segments.length).toBeGreaterThan(100); // the stepping walker really found the TOC's value segments
    const random = prng(20261207);
    const pick = (n: number) => Math.floor(random() * n);
    const mutations: { what: string; bytes: Uint8Array }[] = [];
    const flip = (what: string, from: number, span: number) => {
      const bytes = original.slice();
      const at = from + pick(span);
      bytes[at] = (bytes[at] as number) ^ (1 << pick(8));
      mutations.push({ what: `${what} bit flip at ${at}`, bytes });
    };
    for (let i = 0; i < 30; i++) {
      const length = pick(original.length);
      mutations.push({ what: `truncated to ${length}`, bytes: original.slice(0, length) });
    }
    for (let i = 0; i < 50; i++) flip("label", original.length - 24, 24);
    for (let i = 0; i < 60; i++) flip("TOC", tocOffset, tocSize);
    for (let i = 0; i < 30; i++) flip("data", 0, tocOffset);
    for (let i = 0; i < 15; i++) {
      const bytes = original.slice();
      const at = segments[pick(segments.length)] as number;
      new DataView(bytes.buffer).setUint32(at + 1, original.length - 2, true);
      new DataView(bytes.buffer).setUint32(at + 5, 100, true);
      mutations.push({ what: `segment at ${at} points past the end`, bytes });
    }
    for (let i = 0; i < 15; i++) {
      const bytes = original.slice();
      const at = segments[pick(segments.length)] as number;
      new DataView(bytes.buffer).setUint32(at + 1, at, true); // the value is the TOC entry itself
      mutations.push({ what: `segment at ${at} points at itself`, bytes });
    }
    expect(mutations).toHaveLength(200);

    const outcomes = { document: 0, formatError: 0 };
    for (const { what, bytes } of mutations) {
      try {
        const doc = await readOmf(bufferByteSource(bytes));
        expect(doc.format, what).toBe("omf");
        outcomes.document += 1;
      } catch (error) {
        if (!(error instanceof OmfFormatError)) throw new Error(`${what}: ${String(error)}`, { cause: error });
        outcomes.formatError += 1;
      }
    }
    // Both outcomes occur: truncations always lose the label; many data flips only change a name or a count.
    console.info(`omf fuzz outcomes: ${JSON.stringify(outcomes)}`);
    expect(outcomes.formatError).toBeGreaterThanOrEqual(30);
    expect(outcomes.document).toBeGreaterThan(0);
  });
});
