import type { Client } from "minio";

/** One S3 multipart upload. Nothing is visible at its key until `complete`; `abort` discards the parts. */
export class MultipartUpload {
  readonly #client: Client;
  readonly #bucket: string;
  readonly key: string;
  readonly #uploadId: string;
  readonly #parts: { part: number; etag: string }[] = [];

  private constructor(client: Client, bucket: string, key: string, uploadId: string) {
    this.#client = client;
    this.#bucket = bucket;
    this.key = key;
    this.#uploadId = uploadId;
  }

  static async start(client: Client, bucket: string, key: string, headers: Record<string, string>): Promise<MultipartUpload> {
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, headers);
    return new MultipartUpload(client, bucket, key, uploadId);
  }

  get partCount(): number {
    return this.#parts.length;
  }

  /** Uploads the next part from `data`; the caller may reuse the buffer once this resolves. */
  async uploadPart(data: Buffer): Promise<void> {
    await this.#addPart({}, data);
  }

  /** Server-side copy of `source` bytes start..end (inclusive) into the next part. */
  async copyPart(sourceBucket: string, sourceKey: string, start: number, end: number): Promise<void> {
    await this.#addPart({ "x-amz-copy-source": `${sourceBucket}/${sourceKey}`, "x-amz-copy-source-range": `bytes=${start}-${end}` });
  }

  async #addPart(headers: Record<string, string>, data?: Buffer): Promise<void> {
    const part = this.#parts.length + 1;
    const result = await this.#client.uploadPart(
      { bucketName: this.#bucket, objectName: this.key, uploadID: this.#uploadId, partNumber: part, headers },
      data,
    );
    const etag = String(result.etag ?? "").replace(/^"|"$/g, "");
    if (!etag) throw new Error(`S3 returned no ETag for part ${part} of ${this.key}`);
    this.#parts.push({ part, etag });
  }

  async complete(): Promise<void> {
    await this.#client.completeMultipartUpload(this.#bucket, this.key, this.#uploadId, this.#parts);
  }

  async abort(): Promise<void> {
    await this.#client.abortMultipartUpload(this.#bucket, this.key, this.#uploadId);
  }
}
