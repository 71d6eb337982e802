import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DubstageError } from "@dubstage/event-log";

/** What the lock file says about the platform holding a data directory. */
export interface PlatformLockInfo {
  readonly pid: number;
  readonly startedAt: string;
  /** Where the holder's SessionService listens, once it does: other processes can connect instead. */
  readonly sessionAddress?: string;
  /** Where its IngestService listens. */
  readonly ingestAddress?: string;
  /** Where its RenderService listens. */
  readonly renderAddress?: string;
}

/** Another live process runs a platform on this data directory (PGlite is single-process). */
export class DataDirInUseError extends DubstageError {
  override readonly name = "DataDirInUseError";
  readonly kind = "illegal-state" as const;
  readonly dataDir: string;
  readonly holder: PlatformLockInfo;
  constructor(dataDir: string, holder: PlatformLockInfo) {
    super(
      `data directory ${dataDir} is in use by process ${holder.pid}` +
        (holder.sessionAddress
          ? ` (its SessionService listens on ${holder.sessionAddress}; connect with --server ${holder.sessionAddress})`
          : "") +
        "; stop it or use another DUBSTAGE_DATA_DIR",
    );
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Rewrites the lock file with more information (the listening address). */
  update(info: Omit<PlatformLockInfo, "pid" | "startedAt">): Promise<void>;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

const LOCK_FILE = "platform.lock";

/**
 * Takes the data directory for this process: `<dataDir>/platform.lock` is created exclusively with our pid.
 * A lock whose process is gone (a crash) is stale and taken over; a live one (this process included: two
 * PGlite instances on one directory would corrupt it) is a DataDirInUseError.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  let info: PlatformLockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(info)}\n`, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = await readLockFile(path);
      if (holder && isAlive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
      await unlink(path).catch(() => {});
    }
  }
  let released = false;
  return {
    path,
    async update(extra) {
      info = { ...info, ...extra };
      await writeFile(path, `${JSON.stringify(info)}\n`, { mode: 0o600 });
    },
    async release() {
      if (released) return;
      released = true;
      const holder = await readLockFile(path);
      if (holder?.pid === process.pid) await unlink(path).catch(() => {});
    },
  };
}

/** The live platform holding `dataDir`, if any (a stale lock of a dead process counts as none). */
export async function readDataDirLock(dataDir: string): Promise<PlatformLockInfo | undefined> {
  const holder = await readLockFile(join(dataDir, LOCK_FILE));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

async function readLockFile(path: string): Promise<PlatformLockInfo | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PlatformLockInfo>;
    if (typeof parsed.pid !== "number" || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return {
      pid: parsed.pid,
      startedAt: String(parsed.startedAt ?? ""),
      ...(typeof parsed.sessionAddress === "string" && { sessionAddress: parsed.sessionAddress }),
      ...(typeof parsed.ingestAddress === "string" && { ingestAddress: parsed.ingestAddress }),
      ...(typeof parsed.renderAddress === "string" && { renderAddress: parsed.renderAddress }),
    };
  } catch {
    return undefined; // a torn write of a crashed process: treat as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
