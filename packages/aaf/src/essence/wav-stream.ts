import type { StreamReader } from "../storage.ts";
import { AafEssenceError } from "./errors.ts";
import type { EssenceLayout } from "./stored-layout.ts";

export const DEFAULT_CHUNK_BYTES = 1 << 20;
const EMPTY = new Uint8Array(0);

/**
 * The WAV file of an embedded essence, in order, holding about two chunks (`chunkBytes` of the stream read
 * ahead, plus a converted copy of the current one) in memory at a time, whatever the essence's size.
 */
export async function* wavChunks(
  reader: StreamReader,
  layout: EssenceLayout,
  chunkBytes: number,
  where: string,
): AsyncGenerator<Uint8Array> {
  const plan = layout.plan;
  if (plan.kind === "stored") {
    yield* streamRange(reader, 0, plan.bytes, chunkBytes, where);
    return;
  }
  yield plan.header;
  if (!plan.swap && !plan.flipSign) {
    yield* streamRange(reader, plan.dataOffset, plan.dataBytes, chunkBytes, where);
  } else {
    let carry = EMPTY;
    for await (const piece of streamRange(reader, plan.dataOffset, plan.dataBytes, chunkBytes, where)) {
      const joined = carry.byteLength === 0 ? piece : concat(carry, piece);
      const whole = joined.byteLength - (joined.byteLength % plan.sampleBytes);
      // A sample cut by the chunk boundary waits for the rest of its bytes (copied: the reader may reuse its buffer).
      carry = joined.slice(whole);
      if (whole > 0) yield convertSamples(joined.subarray(0, whole), plan.sampleBytes, plan.swap, plan.flipSign);
    }
    if (carry.byteLength > 0) throw new AafEssenceError(`${where}: the sample data ends inside a sample`);
  }
  if (plan.dataBytes % 2 === 1) yield new Uint8Array(1); // RIFF's pad byte after odd-sized data
}

/**
 * Bytes [start, start + length) of the stream, read in order through `chunks`, one chunk ahead: the next
 * read runs while the consumer writes the current chunk (at most two chunks in memory).
 */
async function* streamRange(
  reader: StreamReader,
  start: number,
  length: number,
  chunkBytes: number,
  where: string,
): AsyncGenerator<Uint8Array> {
  const end = start + length;
  let position = 0;
  if (length > 0) {
    const chunks = reader.chunks(chunkBytes)[Symbol.asyncIterator]();
    let next: Promise<IteratorResult<Uint8Array>> | undefined = chunks.next();
    try {
      while (next !== undefined) {
        const result: IteratorResult<Uint8Array> = await next;
        next = undefined;
        if (result.done) break;
        const chunk = result.value;
        const from = position;
        position += chunk.byteLength;
        if (position < end) next = chunks.next();
        if (position <= start) continue;
        yield chunk.subarray(Math.max(0, start - from), Math.min(end, position) - from);
      }
    } finally {
      // Stopped early (the consumer broke off, or a read failed): let the read ahead settle, then close.
      if (next !== undefined) await next.catch(() => undefined);
      await chunks.return?.();
    }
  }
  if (position < end) throw new AafEssenceError(`${where}: the essence stream ended at byte ${position}, before byte ${end}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Whole samples, byte-reversed (big- to little-endian) and/or with the sign bit flipped (8-bit), into a new buffer. */
export function convertSamples(input: Uint8Array, sampleBytes: number, swap: boolean, flipSign: boolean): Uint8Array {
  const out = new Uint8Array(input.byteLength);
  const n = input.byteLength;
  if (sampleBytes === 1) {
    for (let i = 0; i < n; i++) out[i] = (input[i] as number) ^ (flipSign ? 0x80 : 0);
    return out;
  }
  if (!swap) {
    out.set(input);
    return out;
  }
  if (sampleBytes === 2) {
    for (let i = 0; i < n; i += 2) {
      out[i] = input[i + 1] as number;
      out[i + 1] = input[i] as number;
    }
  } else if (sampleBytes === 3) {
    for (let i = 0; i < n; i += 3) {
      out[i] = input[i + 2] as number;
      out[i + 1] = input[i + 1] as number;
      out[i + 2] = input[i] as number;
    }
  } else {
    for (let i = 0; i < n; i += sampleBytes) for (let j = 0; j < sampleBytes; j++) out[i + j] = input[i + sampleBytes - 1 - j] as number;
  }
  return out;
}
