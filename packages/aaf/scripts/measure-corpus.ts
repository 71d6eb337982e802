/**
 * Time and peak RSS to open every Compound File of a folder, walk every entry and md5 every stream: our
 * reader (through a pread file source) against npm `cfb` (whole file in memory), each in its own process.
 * Usage: node packages/aaf/scripts/measure-corpus.ts [folder] [rounds]
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import CFB from "cfb";
import { type CompoundFileEntry, openCompoundFile } from "../src/cfb/index.ts";
import { openFileByteSource } from "../src/node/index.ts";

const [, script, first = new URL("../../../../shared/corpus/aaf", import.meta.url).pathname, second = "3", third] = process.argv;
const worker = first === "--worker" ? second : undefined;
const folder = worker === undefined ? first : (third as string);
const rounds = worker === undefined ? Number(second) : 1;
const files = readdirSync(folder)
  .filter((name) => /\.aaf$/i.test(name))
  .sort()
  .map((name) => join(folder, name));

async function ours(): Promise<number> {
  let streams = 0;
  for (const path of files) {
    const source = await openFileByteSource(path);
    try {
      const file = await openCompoundFile(source);
      const stack: CompoundFileEntry[] = [file.root];
      while (stack.length > 0) {
        const entry = stack.pop() as CompoundFileEntry;
        stack.push(...entry.children());
        if (entry.kind !== "stream") continue;
        const hash = createHash("md5");
        for await (const chunk of file.openStream(entry).chunks(1 << 20)) hash.update(chunk);
        hash.digest();
        streams++;
      }
    } finally {
      await source.close();
    }
  }
  return streams;
}

function theirs(): number {
  let streams = 0;
  for (const path of files) {
    const container = CFB.read(readFileSync(path), { type: "buffer" });
    for (const entry of container.FileIndex) {
      if (entry.type !== 2) continue;
      createHash("md5")
        .update((entry.content as Uint8Array | undefined) ?? new Uint8Array(0))
        .digest();
      streams++;
    }
  }
  return streams;
}

if (worker !== undefined) {
  const start = performance.now();
  const streams = worker === "ours" ? await ours() : theirs();
  const ms = performance.now() - start;
  console.log(JSON.stringify({ reader: worker, files: files.length, streams, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
} else {
  for (let round = 0; round < rounds; round++) {
    for (const reader of ["ours", "cfb"]) {
      process.stdout.write(execFileSync(process.execPath, [script as string, "--worker", reader, folder], { encoding: "utf8" }));
    }
  }
}
