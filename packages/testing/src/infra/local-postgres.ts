import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort, waitFor } from "./free-port.ts";
import { startProcess } from "./process.ts";
import type { ServerHandle } from "./server-handle.ts";

/** The newest Debian PostgreSQL server installed under /usr/lib/postgresql. */
function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined)
    throw new Error("PostgreSQL server is not installed (apt-get install postgresql); run scripts/install-infra.sh");
  return join(root, newest, "bin");
}

/** Runs as the `postgres` system user when we are root: initdb and postgres refuse to run as root. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/** Starts a throwaway PostgreSQL on 127.0.0.1 at a free port; durable commits (fsync on) as in production. */
export async function startLocalPostgres(): Promise<ServerHandle> {
  const bin = postgresBinDir();
  const dataDir = mkdtempSync(join(tmpdir(), "dubstage-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dataDir, uid, gid);
  }
  const [initCmd, initArgs] = asPostgresUser(join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "dubstage",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  execFileSync(initCmd, initArgs, { stdio: "pipe" });
  const port = await freePort();
  const settings = [
    "listen_addresses=127.0.0.1",
    `unix_socket_directories=${dataDir}`,
    "max_connections=300",
    "shared_buffers=256MB",
    "fsync=on",
    "synchronous_commit=on",
  ];
  const [cmd, args] = asPostgresUser(join(bin, "postgres"), ["-D", dataDir, "-p", String(port), ...settings.flatMap((s) => ["-c", s])]);
  const server = startProcess(cmd, args);
  const url = `postgres://dubstage@127.0.0.1:${port}/postgres`;
  try {
    await waitFor("PostgreSQL", async () => {
      if (server.child.exitCode !== null) throw new Error(`postgres exited: ${server.output()}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    async stop() {
      // Throwaway data: immediate shutdown (SIGQUIT) skips the shutdown checkpoint, which can take many
      // seconds after a heavy test run. Signal the postmaster itself, since runuser does not forward it.
      signalPostmaster(dataDir, "SIGQUIT");
      await server.stop("SIGQUIT");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends a signal to the postmaster whose pid is on the first line of <dataDir>/postmaster.pid. */
function signalPostmaster(dataDir: string, signal: NodeJS.Signals): void {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}
