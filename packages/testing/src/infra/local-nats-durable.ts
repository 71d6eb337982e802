import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./free-port.ts";
import { type ManagedProcess, startProcess, toolBinary } from "./process.ts";
import type { ServerHandle } from "./server-handle.ts";

/** NATS servers on loopback with a chosen durability; `urls` lists every node (connect to all). */
export interface NatsServersHandle extends ServerHandle {
  readonly urls: readonly string[];
  /** The process ids of the servers, for measuring their CPU time. */
  readonly pids: readonly number[];
}

async function healthy(monitorPort: number): Promise<boolean> {
  // 200 once JetStream is enabled and, in a cluster, current with the meta leader.
  const response = await fetch(`http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`).catch(() => undefined);
  return response?.status === 200;
}

interface Node {
  readonly name: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly clusterPort: number;
  readonly storeDir: string;
}

function nodeConfig(node: Node, options: { syncAlways: boolean; routes: readonly number[] }): string {
  const lines = [
    `server_name: ${node.name}`,
    `listen: 127.0.0.1:${node.port}`,
    `http: 127.0.0.1:${node.monitorPort}`,
    "max_payload: 8MB",
    "jetstream {",
    `  store_dir: ${JSON.stringify(node.storeDir)}`,
    ...(options.syncAlways ? ["  sync_interval: always"] : []),
    "}",
  ];
  if (options.routes.length > 0) {
    lines.push(
      "cluster {",
      "  name: dubstage-test",
      `  listen: 127.0.0.1:${node.clusterPort}`,
      `  routes: [${options.routes.map((port) => `nats-route://127.0.0.1:${port}`).join(", ")}]`,
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

async function startNodes(count: number, syncAlways: boolean): Promise<NatsServersHandle> {
  const binary = toolBinary("nats-server");
  const root = mkdtempSync(join(tmpdir(), "dubstage-nats-durable-"));
  const nodes: Node[] = [];
  for (let i = 1; i <= count; i++) {
    nodes.push({
      name: `dubstage-test-${i}`,
      port: await freePort(),
      monitorPort: await freePort(),
      clusterPort: await freePort(),
      storeDir: join(root, `n${i}`),
    });
  }
  const routes = count > 1 ? nodes.map((n) => n.clusterPort) : [];
  const servers: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const node of nodes) {
      const file = join(root, `${node.name}.conf`);
      writeFileSync(file, nodeConfig(node, { syncAlways, routes }));
      servers.push(startProcess(binary, ["-c", file]));
    }
    await Promise.all(
      nodes.map((node, i) =>
        waitFor(`NATS server ${node.name}`, async () => {
          const server = servers[i]!;
          if (server.child.exitCode !== null) throw new Error(`nats-server exited: ${server.output()}`);
          return await healthy(node.monitorPort);
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = nodes.map((n) => `nats://127.0.0.1:${n.port}`);
  return { url: urls.join(","), urls, pids: servers.map((s) => s.child.pid ?? 0), stop };
}

/** One nats-server with JetStream and the default file-store sync (fsync every 2 minutes), for comparison. */
export async function startLocalNatsDefaultSync(): Promise<NatsServersHandle> {
  return await startNodes(1, false);
}

/** One nats-server with JetStream that fsyncs every write before acknowledging it (`sync_interval: always`). */
export async function startLocalNatsSyncAlways(): Promise<NatsServersHandle> {
  return await startNodes(1, true);
}

/**
 * A JetStream cluster of `size` nats-servers on loopback (default file-store sync): with an R3 stream an
 * acknowledgement means a quorum of servers stored the message, which is what carries its durability.
 */
export async function startLocalNatsCluster(size = 3): Promise<NatsServersHandle> {
  if (!Number.isSafeInteger(size) || size < 3) throw new RangeError(`a JetStream cluster needs at least 3 servers (got ${size})`);
  return await startNodes(size, false);
}
