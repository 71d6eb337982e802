import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describeMediaStoreContract } from "../testing/contract.ts";
import { FsMediaStore } from "./fs-media-store.ts";
import { createPresignedRequestHandler } from "./presigned-handler.ts";

const secret = "fs-contract-test-secret-0123456789abcdef";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describeMediaStoreContract("filesystem", async () => {
  const root = await mkdtemp(join(tmpdir(), "dubstage-media-store-"));
  let handler: ReturnType<typeof createPresignedRequestHandler> | undefined;
  const server: Server = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const store = new FsMediaStore({ root, presign: { secret, baseUrl: `http://127.0.0.1:${port}/media` } });
  handler = createPresignedRequestHandler(store, { secret, basePath: "/media" });
  return {
    store,
    largeUploadThresholdBytes: 1024 * 1024,
    listEverything: () => listFiles(root),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
});
