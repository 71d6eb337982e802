import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { FsMediaStore, type MediaStore } from "@dubstage/media-store";
import { connectIngestClient, type IngestClient, mediaDirOf, readDataDirLock, startPlatform } from "@dubstage/platform";
import { InputFileError } from "../../framework/cli-errors.ts";
import type { CommandInput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { chooseDataDir, requireDataDir, requireWritableDataDir } from "../shared/data-dir.ts";
import { readTokenFile, tokenOf } from "../shared/token.ts";

export interface IngestTarget {
  readonly client: IngestClient;
  readonly description: string;
  /** Puts a local file where IngestService can read it; resolves with its media key. */
  upload(path: string, onProgress: (done: number, total: number) => void): Promise<string>;
  close(): Promise<void>;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const HELP = "dubstage ingest --help";

/**
 * `--ingest-server`/DUBSTAGE_INGEST_URL: that IngestService; uploads go by its presigned PUT (S3). Otherwise
 * the embedded platform of the data directory: the running one (addresses in its lock file) or one started
 * here; uploads are put in its media store directly (the same machine).
 */
export async function openIngestTarget(input: CommandInput): Promise<IngestTarget> {
  const server = stringOption(input, "ingest-server") ?? nonEmpty(input.env.DUBSTAGE_INGEST_URL);
  const token = await tokenOf(input);
  if (server !== undefined) {
    if (!HOST_PORT.test(server)) throw new UsageError(`--ingest-server must be host:port (got ${JSON.stringify(server)})`, HELP);
    if (token === undefined)
      throw new UsageError("a token is needed to call a server: pass --token-file <path> or set DUBSTAGE_TOKEN_FILE", HELP);
    const client = connectIngestClient(server, { token });
    return {
      client,
      description: `IngestService at ${server}`,
      upload: (path, onProgress) => presignedUpload(client, path, onProgress),
      close: async () => client.close(),
    };
  }
  const dataDir = await requireDataDir(chooseDataDir(input));
  const running = await readDataDirLock(dataDir);
  if (running?.ingestAddress) {
    const client = connectIngestClient(running.ingestAddress, {
      token: token ?? (await readTokenFile(join(dataDir, "auth", "admin.token"), "the data directory's admin token")),
    });
    const store = new FsMediaStore({ root: mediaDirOf(dataDir) });
    return {
      client,
      description: `the platform running on ${dataDir} (process ${running.pid}, ${running.ingestAddress})`,
      upload: (path, onProgress) => directUpload(store, path, onProgress),
      close: async () => client.close(),
    };
  }
  await requireWritableDataDir(dataDir);
  const platform = await startPlatform({ env: input.env, dataDir, print: () => {} });
  const client = connectIngestClient(platform.ingestAddress, { token: token ?? platform.adminToken });
  return {
    client,
    description: `the embedded platform on ${dataDir}`,
    upload: (path, onProgress) => directUpload(platform.mediaStore, path, onProgress),
    async close() {
      client.close();
      await platform.close();
    },
  };
}

async function sizeOf(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputFileError(`${path}: not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** The file's bytes, counted as the consumer pulls them (a "data" listener would start the flow early). */
async function* counted(path: string, total: number, onProgress: (done: number, total: number) => void): AsyncGenerator<Uint8Array> {
  let done = 0;
  for await (const chunk of createReadStream(path)) {
    done += (chunk as Buffer).byteLength;
    onProgress(done, total);
    yield chunk as Buffer;
  }
}

async function directUpload(store: MediaStore, path: string, onProgress: (done: number, total: number) => void): Promise<string> {
  const total = await sizeOf(path);
  const stored = await store.put(counted(path, total, onProgress), {
    scheme: { kind: "id", prefix: "uploads" },
    expectedSize: total,
  });
  return stored.key;
}

async function presignedUpload(client: IngestClient, path: string, onProgress: (done: number, total: number) => void): Promise<string> {
  const total = await sizeOf(path);
  const upload = await client.createUpload({ fileName: basename(path) });
  const response = await fetch(upload.url, {
    method: upload.method || "PUT",
    body: Readable.toWeb(Readable.from(counted(path, total, onProgress))) as ReadableStream,
    headers: { "content-length": String(total) },
    duplex: "half",
  } as RequestInit);
  if (!response.ok)
    throw new InputFileError(`uploading ${path} failed: HTTP ${response.status} ${await response.text().catch(() => "")}`.trim());
  return upload.key;
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === "string" ? nonEmpty(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
