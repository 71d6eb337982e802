import { type Kysely, sql, type Transaction } from "kysely";

/** A consumer's stored position in `$all` (the global position of the last event it handled). */
export class CheckpointStore {
  readonly #table: ReturnType<typeof sql.table>;
  readonly #consumer: string;

  constructor(schema: string, consumer: string) {
    this.#table = sql.table(`${schema}.checkpoints`);
    this.#consumer = consumer;
  }

  /** The stored position, or 0 (the start of `$all`) when there is none. */
  async load(db: Kysely<unknown>): Promise<number> {
    const { rows } = await sql<{ global_position: string | number }>`
      select global_position from ${this.#table} where consumer = ${this.#consumer}`.execute(db);
    return rows[0] ? Number(rows[0].global_position) : 0;
  }

  /** Stores `position` in `tx`, the transaction of the events handled up to it. */
  async store(tx: Transaction<unknown>, position: number): Promise<void> {
    await sql`
      insert into ${this.#table} (consumer, global_position) values (${this.#consumer}, ${position}::bigint)
      on conflict (consumer) do update set global_position = excluded.global_position, updated_at = now()`.execute(tx);
  }
}
