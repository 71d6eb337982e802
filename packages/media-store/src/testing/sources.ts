import { createHash, randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A source of `size` bytes produced on the fly in `chunkSize` pieces (never held whole), plus the digest
 * of what it produced. Chunks differ from each other so reordering or dropping one changes the hash.
 */
export function generatedSource(size: number, options: { chunkSize?: number; onChunk?: () => void } = {}) {
  const chunkSize = options.chunkSize ?? 256 * 1024;
  const base = randomBytes(chunkSize);
  const hash = createHash("sha256");
  let sha256: string | undefined;
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (let offset = 0, index = 0; offset < size; offset += chunkSize, index++) {
      const chunk = Buffer.from(base.subarray(0, Math.min(chunkSize, size - offset)));
      if (chunk.byteLength >= 4) chunk.writeUInt32BE(index >>> 0, 0);
      hash.update(chunk);
      options.onChunk?.();
      yield chunk;
    }
    sha256 = hash.digest("hex");
  }
  return {
    source: generate(),
    /** The sha256 of everything generated; only available once the source has been read to the end. */
    sha256(): string {
      if (sha256 === undefined) throw new Error("the generated source has not been read to the end");
      return sha256;
    },
  };
}

/** Yields `bytesBeforeFailure` bytes, then throws `error` (a source dying mid-upload). */
export async function* failingSource(bytesBeforeFailure: number, error: Error, chunkSize = 256 * 1024): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < bytesBeforeFailure; sent += chunkSize) yield randomBytes(Math.min(chunkSize, bytesBeforeFailure - sent));
  throw error;
}

/** Yields `bytesBeforeStall` bytes, then waits forever (a client that went silent); calls `onStall` then. */
export async function* stallingSource(bytesBeforeStall: number, onStall: () => void, chunkSize = 256 * 1024): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < bytesBeforeStall; sent += chunkSize) yield randomBytes(Math.min(chunkSize, bytesBeforeStall - sent));
  onStall();
  await new Promise(() => {});
}

export async function readAll(stream: Readable | AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Hashes a stream without keeping it, calling `onChunk` per chunk (e.g. to sample memory). */
export async function digestStream(
  stream: Readable | AsyncIterable<Uint8Array>,
  onChunk?: () => void,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Uint8Array);
    size += (chunk as Uint8Array).byteLength;
    onChunk?.();
  }
  return { size, sha256: hash.digest("hex") };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

let forcedGc: (() => void) | undefined;

/** The V8 garbage collector, exposed at run time so memory probes measure what is retained, not what is lazily freed. */
function collectGarbage(): void {
  if (!forcedGc) {
    setFlagsFromString("--expose-gc");
    forcedGc = runInNewContext("gc") as () => void;
  }
  forcedGc();
}

/**
 * Samples resident set size; `stop()` returns the peak above the level at creation. Every 32nd sample
 * forces a garbage collection first, so the figure reflects memory held (a buffered object), not
 * garbage V8 has not collected yet.
 */
export class RssProbe {
  readonly #baseline: number;
  #peak: number;
  #samples = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    collectGarbage();
    this.#baseline = process.memoryUsage.rss();
    this.#peak = this.#baseline;
    this.#timer = setInterval(() => this.#record(), 10);
  }

  sample(): void {
    if (++this.#samples % 32 === 0) collectGarbage();
    this.#record();
  }

  #record(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
  }

  stop(): number {
    clearInterval(this.#timer);
    this.#record();
    return this.#peak - this.#baseline;
  }
}
