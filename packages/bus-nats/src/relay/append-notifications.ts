import type pg from "pg";

/** The NOTIFY channel `@dubstage/event-log-postgres` signals after appends to a schema commit. */
export function appendChannel(eventLogSchema = "dubstage_eventlog"): string {
  return `${eventLogSchema}_appended`;
}

export interface AppendNotifications {
  /** Calls `listener` on each notification; returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * LISTENs on a channel with one dedicated connection and re-opens it after a loss (notifications sent
 * meanwhile are missed; the relay's polling covers them). Lets the relay publish within milliseconds of
 * a commit instead of waiting for its next poll.
 */
export function listenForAppends(
  pool: Pick<pg.Pool, "connect">,
  channel: string,
  options: { reconnectMs?: number } = {},
): AppendNotifications {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`LISTEN channel must be a lower-case SQL identifier (got ${JSON.stringify(channel)})`);
  const listeners = new Set<() => void>();
  let client: pg.PoolClient | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const open = async () => {
    if (closed) return;
    let current: pg.PoolClient | undefined;
    try {
      current = await pool.connect();
      const lost = (error?: unknown) => {
        if (client !== current) return;
        client = undefined;
        current?.release(error instanceof Error ? error : true);
        if (!closed) timer = setTimeout(open, options.reconnectMs ?? 1000);
      };
      current.on("error", lost);
      current.on("end", () => lost(new Error("LISTEN connection ended")));
      current.on("notification", (message) => {
        if (message.channel !== channel) return;
        for (const listener of listeners) listener();
      });
      client = current;
      await current.query(`listen ${channel}`);
      // Wake once: anything committed while we were not listening is picked up now.
      for (const listener of listeners) listener();
    } catch {
      if (current && client === current) {
        client = undefined;
        current.release(true);
      }
      if (!closed) timer = setTimeout(open, options.reconnectMs ?? 1000);
    }
  };
  void open();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      if (current) {
        await current.query(`unlisten ${channel}`).catch(() => {});
        current.release();
      }
    },
  };
}
