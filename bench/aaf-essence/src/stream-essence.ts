// One measured side of bench/aaf-essence, in its own process (so its peak RSS is its own):
//   node stream-essence.ts AAF (OUT.wav | s3) CHUNK_BYTES   streams the AAF's one embedded essence as WAV
//   node stream-essence.ts --plain AAF s3                   puts the AAF file itself (the S3 baseline)
// Prints {"bytes": N} on stdout.
import { createReadStream, createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openAafForIngest } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { S3MediaStore } from "@dubstage/media-store-s3";

const args = process.argv.slice(2);
const plain = args[0] === "--plain";
const [aafPath, target, chunk] = plain ? args.slice(1) : args;
if (aafPath === undefined || target === undefined) throw new Error("usage: stream-essence.ts [--plain] AAF (OUT.wav | s3) [CHUNK_BYTES]");

async function s3Put(source: Readable): Promise<number> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const store = await S3MediaStore.connect({
    endpoint: env("S3_ENDPOINT"),
    region: process.env.S3_REGION ?? "us-east-1",
    accessKey: env("S3_ACCESS_KEY"),
    secretKey: env("S3_SECRET_KEY"),
    bucket: process.env.S3_BUCKET ?? "dubstage-bench-aaf-essence",
    createBucket: true,
  });
  try {
    const result = await store.put(source, {
      scheme: { kind: "content-addressed" },
      contentType: plain ? "application/octet-stream" : "audio/wav",
    });
    return result.size;
  } finally {
    await store.close();
  }
}

let bytes: number;
if (plain) {
  bytes = await s3Put(createReadStream(aafPath));
} else {
  const source = await openFileByteSource(aafPath);
  try {
    const file = await openAafForIngest(source);
    const essence = file.essences.find((e) => e.embedded !== null);
    if (essence?.embedded == null) throw new Error(`${aafPath}: no embedded essence`);
    const wav = Readable.from(file.openEssence(essence.name, { chunkBytes: Number(chunk ?? 1 << 20) }), { objectMode: false });
    if (target === "s3") bytes = await s3Put(wav);
    else {
      await pipeline(wav, createWriteStream(target));
      bytes = essence.embedded.wavBytes;
    }
  } finally {
    await source.close();
  }
}
console.log(JSON.stringify({ bytes }));
