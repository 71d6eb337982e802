import { createHash, type Hash } from "node:crypto";
import { MediaContentMismatchError } from "./errors.ts";
import type { PutPlan } from "./validation.ts";

/** Counts and hashes bytes as they stream past, failing as soon as `expectedSize` is exceeded. */
export class UploadMeter {
  readonly #hash: Hash = createHash("sha256");
  readonly #plan: PutPlan;
  #size = 0;

  constructor(plan: PutPlan) {
    this.#plan = plan;
  }

  get size(): number {
    return this.#size;
  }

  update(chunk: Uint8Array): void {
    this.#size += chunk.byteLength;
    const expected = this.#plan.expectedSize;
    if (expected !== undefined && this.#size > expected) throw new MediaContentMismatchError("size", expected, `more than ${expected}`);
    this.#hash.update(chunk);
  }

  /** The final size and digest, verified against the expectations. Call once, at the end of the source. */
  finish(): { readonly size: number; readonly sha256: string } {
    const sha256 = this.#hash.digest("hex");
    const { expectedSize, expectedSha256 } = this.#plan;
    if (expectedSize !== undefined && this.#size !== expectedSize) throw new MediaContentMismatchError("size", expectedSize, this.#size);
    if (expectedSha256 !== undefined && sha256 !== expectedSha256) throw new MediaContentMismatchError("sha256", expectedSha256, sha256);
    return { size: this.#size, sha256 };
  }
}
