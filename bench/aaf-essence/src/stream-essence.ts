// One measured side of bench/aaf-essence, in its own process (so its peak RSS is its own):
//   node stream-essence.ts AAF (OUT.wav | s3) CHUNK_BYTES   streams the AAF's one embedded essence as WAV
//   node stream-essence.ts --plain AAF s3                   puts the AAF file itself (the S3 baseline)
//   node stream-essence.ts --node-copy AAF OUT CHUNK_BYTES  copies the AAF with pread/write through one reused
//                                                           buffer: the user-space floor for any streaming reader
//   node stream-essence.ts --node-copy-fresh AAF OUT CHUNK  the same with a new buffer per read, as a ByteSource
//                                                           (FileByteSource) allocates one
// Prints {"bytes": N} on stdout.
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openAafForIngest } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";

const args = process.argv.slice(2);
const plain = args[0] === "--plain";
const nodeCopy = args[0] === "--node-copy" || args[0] === "--node-copy-fresh";
const fresh = args[0] === "--node-copy-fresh";
const [aafPath, target, chunk] = plain || nodeCopy ? args.slice(1) : args;
if (aafPath === undefined || target === undefined) throw new Error("usage: stream-essence.ts [--plain] AAF (OUT.wav | s3) [CHUNK_BYTES]");

async function s3Put(source: Readable): Promise<number> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  // Loaded only for the S3 sides: the file sides should not pay for the S3 client's start-up.
  const { S3MediaStore } = await import("@dubstage/media-store-s3");
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

async function copyWithBuffer(from: string, to: string, chunkBytes: number): Promise<number> {
  const input = await open(from, "r");
  const output = await open(to, "w");
  try {
    const reused = new Uint8Array(chunkBytes);
    let total = 0;
    for (;;) {
      const buffer = fresh ? new Uint8Array(chunkBytes) : reused;
      const { bytesRead } = await input.read(buffer, 0, chunkBytes, total);
      if (bytesRead === 0) return total;
      await output.write(buffer, 0, bytesRead);
      total += bytesRead;
    }
  } finally {
    await input.close();
    await output.close();
  }
}

let bytes: number;
if (nodeCopy) {
  bytes = await copyWithBuffer(aafPath, target, Number(chunk ?? 1 << 20));
} else if (plain) {
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
