import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CORPUS_AAF_DIR } from "../test-support/corpus.ts";
import type { CompoundFile, CompoundFileEntry } from "./compound-file.ts";

/** The shared AAF corpus, read in place (never copied into the repository): ../shared/corpus/aaf. */
export const CORPUS_DIR = CORPUS_AAF_DIR;
export const corpusPresent = existsSync(CORPUS_DIR);
if (!corpusPresent) console.warn(`cfb tests: corpus folder ${CORPUS_DIR} is absent, corpus tests are skipped`);

export function corpusFiles(): string[] {
  if (!corpusPresent) return [];
  return readdirSync(CORPUS_DIR)
    .filter((name) => /\.(aaf|omf)$/i.test(name))
    .sort()
    .map((name) => join(CORPUS_DIR, name));
}

/** Every entry below the root, depth first, without recursion. */
export function allEntries(file: CompoundFile): CompoundFileEntry[] {
  const out: CompoundFileEntry[] = [];
  const stack: CompoundFileEntry[] = [file.root];
  while (stack.length > 0) {
    const entry = stack.pop() as CompoundFileEntry;
    out.push(entry);
    const children = entry.children();
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as CompoundFileEntry);
  }
  return out;
}

export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
