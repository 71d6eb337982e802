import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/** How a child process ended and what it printed. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartedNodeProcess {
  readonly child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  readonly result: Promise<ProcessResult>;
  /** What it has printed on stderr so far (to wait for a line while it runs). */
  stderr(): string;
}

/**
 * Runs a Node script (e.g. the CLI's main.ts) as a user would: a separate process with exactly `env` plus
 * PATH, collecting its output. Node runs .ts directly (type stripping).
 */
export function startNodeProcess(script: string, args: readonly string[], env: Readonly<Record<string, string>>): StartedNodeProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const result = once(child, "close").then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, result, stderr: () => stderr };
}

/** `startNodeProcess(...).result`. */
export function runNodeProcess(script: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<ProcessResult> {
  return startNodeProcess(script, args, env).result;
}

/**
 * Parses a service's stdout as JSON log lines (one object per line, as pino writes them) into the returned
 * array as they arrive; a line split across chunks is joined first.
 */
export function collectJsonLines(stream: NodeJS.ReadableStream | null | undefined): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let partial = "";
  stream?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return lines;
}

/**
 * Starts a service's main.ts as its container runs it (LOG_LEVEL info unless `env` says otherwise) and
 * waits until its stdout shows `ready` (its "... ready" log line); fails with what it printed if it exits
 * first or takes longer than `timeoutMs`.
 */
export async function startServiceProcess(
  script: string,
  env: Readonly<Record<string, string>>,
  ready: string,
  timeoutMs = 60_000,
): Promise<StartedNodeProcess> {
  const started = startNodeProcess(script, [], { LOG_LEVEL: "info", ...env });
  let stdout = "";
  started.child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const deadline = Date.now() + timeoutMs;
  while (!stdout.includes(ready)) {
    if (started.child.exitCode !== null) throw new Error(`${script} exited ${started.child.exitCode}: ${started.stderr()} ${stdout}`);
    if (Date.now() > deadline) {
      started.child.kill("SIGTERM");
      throw new Error(`${script} did not print "${ready}" within ${timeoutMs} ms: ${started.stderr()} ${stdout}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return started;
}
