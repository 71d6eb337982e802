import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./free-port.ts";
import { type ManagedProcess, startProcess, toolBinary } from "./process.ts";
import type { RestartableServerHandle } from "./server-handle.ts";

async function tcpAnswers(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", (chunk) => {
      socket.destroy();
      resolve(chunk.toString().startsWith("INFO"));
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts a throwaway NATS server with JetStream (file storage) on 127.0.0.1 at a free port. */
export async function startLocalNats(): Promise<RestartableServerHandle> {
  const binary = toolBinary("nats-server");
  const storeDir = mkdtempSync(join(tmpdir(), "dubstage-nats-"));
  const port = await freePort();
  let server: ManagedProcess | undefined;
  const start = async () => {
    const current = startProcess(binary, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir, "--name", "dubstage-test"]);
    server = current;
    await waitFor("NATS server", async () => {
      if (current.child.exitCode !== null) throw new Error(`nats-server exited: ${current.output()}`);
      return await tcpAnswers(port);
    });
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    async halt() {
      await server?.stop();
    },
    async stop() {
      await server?.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
