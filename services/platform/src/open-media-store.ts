import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redactUrl } from "@dubstage/config";
import { FsMediaStore, type MediaStore } from "@dubstage/media-store";
import { S3MediaStore } from "@dubstage/media-store-s3";

export interface PlatformMedia {
  readonly kind: "filesystem" | "s3";
  /** The directory, or endpoint/bucket. */
  readonly location: string;
  readonly store: MediaStore;
  close(): Promise<void>;
}

export interface S3Settings {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region: string;
}

/** S3 (bucket created when missing) when configured; else the filesystem under `root`, or a temporary directory. */
export async function openMediaStore(options: { s3?: S3Settings; root?: string }): Promise<PlatformMedia> {
  if (options.s3) {
    const store = await S3MediaStore.connect({ ...options.s3, createBucket: true });
    return { kind: "s3", location: `${redactUrl(options.s3.endpoint)}/${options.s3.bucket}`, store, close: () => store.close() };
  }
  const temporary = options.root === undefined;
  const root = options.root ?? (await mkdtemp(join(tmpdir(), "dubstage-media-")));
  return {
    kind: "filesystem",
    location: root,
    store: new FsMediaStore({ root }),
    async close() {
      if (temporary) await rm(root, { recursive: true, force: true });
    },
  };
}

/** `<dataDir>/media`. */
export function mediaDirOf(dataDir: string): string {
  return join(dataDir, "media");
}
