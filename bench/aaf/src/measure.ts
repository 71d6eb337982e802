import { spawn } from "node:child_process";

export interface Measurement {
  readonly wallSeconds: number;
  /** User + system CPU of the child (and its children), which other load on the machine skews less than wall time. */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

/** Runs one command under GNU time's `-f` through /usr/bin/time when present, else measures wall time only. */
export async function measureInChild(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Measurement> {
  const started = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "__TIME__ %U %S %M", command, ...args], { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-65_536);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  const match = /__TIME__ ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (code !== 0 || !match) throw new Error(`${command} ${args[0]} failed (exit ${code}): ${stderr.slice(-2000)}`);
  return { wallSeconds, cpuSeconds: Number(match[1]) + Number(match[2]), peakRssMiB: Number(match[3]) / 1024 };
}
