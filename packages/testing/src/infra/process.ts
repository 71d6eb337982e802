import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where scripts/install-infra.sh puts the Go-built servers (nats-server, minio). */
export function toolBinary(name: string): string {
  const tools = process.env.DUBSTAGE_TOOLS ?? join(homedir(), ".cache", "dubstage", "tools");
  const candidates = [join(tools, "bin", name), join(homedir(), "go", "bin", name)];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  throw new Error(`${name} is not installed (looked in ${candidates.join(", ")}); run scripts/install-infra.sh`);
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Output so far, kept for error messages when a server fails to start. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ManagedProcess {
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
