import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";

/** CPU microseconds (user + system) per PostgreSQL backend process id. */
export type CpuSample = ReadonlyMap<number, number>;

/**
 * Measures the CPU time PostgreSQL spends on one database: the sum over its backend processes, read
 * from /proc. Per-event CPU holds up under load on a shared machine far better than events/s, and it
 * splits a store's cost between the server and its client. Only possible when the server runs on this
 * machine (Linux); `sample` returns undefined otherwise.
 */
export class ServerCpuMeter {
  readonly #client: pg.Client;
  readonly #ticksPerSecond: number;

  private constructor(client: pg.Client, ticksPerSecond: number) {
    this.#client = client;
    this.#ticksPerSecond = ticksPerSecond;
  }

  static async open(url: string): Promise<ServerCpuMeter> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new ServerCpuMeter(client, clockTicksPerSecond());
  }

  /** CPU so far of every backend now connected to this database (this meter's own excluded). */
  async sample(): Promise<CpuSample | undefined> {
    const { rows } = await this.#client.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    const sample = new Map<number, number>();
    for (const { pid } of rows) {
      const micros = processCpuMicros(pid, this.#ticksPerSecond);
      if (micros === undefined) return undefined; // not on this machine (or not Linux)
      sample.set(pid, micros);
    }
    return sample;
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}

/**
 * CPU microseconds between two samples. A backend that connected in between counts from zero; one that
 * disconnected in between is lost (pools keep their connections through a measurement, so this is rare).
 */
export function cpuBetween(before: CpuSample, after: CpuSample): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

/** CPU microseconds (user + system) of a process on this machine so far; undefined when unreadable. */
export function processCpuMicros(pid: number, ticksPerSecond: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  return procStatCpuMicros(stat, ticksPerSecond);
}

/** utime + stime of a /proc/<pid>/stat line, in microseconds. */
export function procStatCpuMicros(stat: string, ticksPerSecond: number): number {
  // Fields after the command name, which may itself hold spaces and parentheses: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  return (ticks / ticksPerSecond) * 1e6;
}

export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU per event of a measured window: the client process, and the server's backends when measurable. */
export interface CpuPerEvent {
  /** CPU (user + system) of this process per event, microseconds. */
  readonly clientCpuUsPerEvent: number;
  /** CPU of the PostgreSQL backends per event; absent when the server is not on this machine. */
  readonly serverCpuUsPerEvent?: number;
}

/** Starts measuring this process and (with a meter) the server; `end(events)` gives the CPU per event. */
export async function startCpuWindow(serverCpu?: ServerCpuMeter): Promise<{ end(events: number): Promise<CpuPerEvent> }> {
  const serverBefore = await serverCpu?.sample();
  const clientBefore = process.cpuUsage();
  return {
    async end(events) {
      const client = process.cpuUsage(clientBefore);
      const serverAfter = serverBefore && (await serverCpu?.sample());
      const perEvent = (micros: number) => (events > 0 ? micros / events : 0);
      return {
        clientCpuUsPerEvent: perEvent(client.user + client.system),
        ...(serverBefore && serverAfter ? { serverCpuUsPerEvent: perEvent(cpuBetween(serverBefore, serverAfter)) } : {}),
      };
    },
  };
}
