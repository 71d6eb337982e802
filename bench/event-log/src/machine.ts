import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  readonly date: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly nodeVersion: string;
  readonly postgresVersion: string;
  readonly postgresDurability: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews figures. */
  readonly loadAtStart: number;
  loadAtEnd: number;
}

export function describeMachine(postgres: { serverVersion: string; fsync: string; synchronousCommit: string }): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpuCount: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: process.version,
    postgresVersion: postgres.serverVersion,
    postgresDurability: `fsync=${postgres.fsync}, synchronous_commit=${postgres.synchronousCommit}`,
    loadAtStart: loadavg()[0] ?? 0,
    loadAtEnd: loadavg()[0] ?? 0,
  };
}

export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}
