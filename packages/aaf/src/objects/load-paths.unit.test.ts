import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bufferByteSource } from "../byte-source.ts";
import { openCompoundFile } from "../cfb/index.ts";
import { CORPUS_AAF_DIR, CORPUS_AVAILABLE, warnIfCorpusMissing } from "../test-support/corpus.ts";
import type { AafObject } from "./aaf-object.ts";
import { type AafFile, openAafObjects } from "./open-aaf-objects.ts";
import { cfbStorageTree } from "./test-support/cfb-storage-tree.ts";
import { corpusAafFiles } from "./test-support/open-corpus-file.ts";

warnIfCorpusMissing("aaf objects load paths");

/** Every object below the header as "path class {name: value kind or text}", in walk order. */
function describeAll(file: AafFile): string[] {
  const out: string[] = [];
  const stack: AafObject[] = [file.header];
  for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
    const values = o.propertyNames().map((name) => {
      const v = o.get(name);
      const text = v?.kind === "string" || v?.kind === "auid" ? v.value : v?.kind === "integer" ? String(v.value) : "";
      return `${name}=${v?.kind}:${text}`;
    });
    out.push(`${o.path} ${o.className} ${o.raw.properties.size} ${values.join(",")}`);
    stack.push(...o.children().reverse());
  }
  return out;
}

describe.skipIf(!CORPUS_AVAILABLE)("object layer: the synchronous and the waiting load give the same objects", () => {
  const files = CORPUS_AVAILABLE ? corpusAafFiles().filter((_, i) => i % 5 === 0) : [];

  // Our Compound File reader offers readAllNow (most streams are read without a promise); npm cfb's tree,
  // the oracle adapter, does not, so every stream there is awaited.
  it.each(files)("%s", async (name) => {
    const bytes = readFileSync(`${CORPUS_AAF_DIR}/${name}`);
    const fast = await openAafObjects(await openCompoundFile(bufferByteSource(bytes)));
    const waiting = await openAafObjects(cfbStorageTree(bytes));
    expect(fast.objectCount).toBe(waiting.objectCount);
    expect([...fast.mobs.keys()]).toEqual([...waiting.mobs.keys()]);
    expect(describeAll(fast)).toEqual(describeAll(waiting));
  });
});
