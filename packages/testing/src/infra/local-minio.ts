import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./free-port.ts";
import { startProcess, toolBinary } from "./process.ts";
import type { ServerHandle } from "./server-handle.ts";

export interface S3ServerHandle extends ServerHandle {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** Starts a throwaway MinIO (single drive) on 127.0.0.1 at a free port. */
export async function startLocalMinio(): Promise<S3ServerHandle> {
  const binary = toolBinary("minio");
  const dataDir = mkdtempSync(join(tmpdir(), "dubstage-minio-"));
  const port = await freePort();
  const consolePort = await freePort();
  const accessKey = "dubstage-test";
  const secretKey = "dubstage-test-secret";
  const server = startProcess(
    binary,
    ["server", dataDir, "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${consolePort}`, "--quiet"],
    {
      env: { MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: "off", MINIO_UPDATE: "off" },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor("MinIO", async () => {
      if (server.child.exitCode !== null) throw new Error(`minio exited: ${server.output()}`);
      const response = await fetch(`${url}/minio/health/ready`);
      return response.ok;
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    accessKey,
    secretKey,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
