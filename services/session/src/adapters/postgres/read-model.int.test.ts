import { createPostgresEventLog, type PostgresEventLog } from "@dubstage/event-log-postgres";
import { waitFor } from "@dubstage/testing";
import { PGlite } from "@electric-sql/pglite";
import { type Kysely, sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { loadSession } from "../../app/load-session.ts";
import type { RequestContext } from "../../app/request-context.ts";
import { createSessionChangeFeed } from "../../app/session-change-feed.ts";
import { createSessionUseCases, type SessionUseCases } from "../../app/session-use-cases.ts";
import type { ClipSpec, EditCommand } from "../../domain/index.ts";
import { mediaKeyFor } from "../../domain/test-fixtures.ts";
import { testDatabase } from "../grpc/test-support/session-test-bed.ts";
import { migrateReadModel } from "./read-model-migrations.ts";
import { startReadModelProjection } from "./read-model-projection.ts";
import type { ReadModelDatabase } from "./read-model-schema.ts";
import { projectSessionEvent } from "./session-projection.ts";
import { SessionProjectionBuffer } from "./session-projection-buffer.ts";
import { createPostgresSessionReadModel } from "./session-read-model.ts";

const S = 48_000;
const HOUR = 3600 * S;
const admin: RequestContext = { actor: { userId: "admin", role: "admin" }, correlationId: "c-1", causationId: "r-1" };

function clip(clipId: string, trackId: string, position: number, extra: Partial<ClipSpec> = {}): EditCommand {
  return {
    type: "PlaceClip",
    clip: {
      clipId,
      trackId,
      name: clipId,
      position,
      length: 4 * S,
      source: { mediaKey: mediaKeyFor(clipId), sourceOffset: S, sourceLength: 10 * S, channel: 1 },
      ...extra,
    },
  };
}

/** Every event type, including the ones that reorder tracks and split clips. */
async function scenario(useCases: SessionUseCases): Promise<void> {
  const base = { name: "Reel", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" } as const;
  await useCases.createSession({ ...base, sessionId: "r1", template: "EPISODE" }, admin);
  await useCases.createSession({ ...base, sessionId: "r2", name: "Reel 2", template: "EMPTY" }, admin);
  await useCases.executeCommands(
    {
      sessionId: "r1",
      commands: [
        { type: "AddTrack", trackId: "adr", name: "ADR", trackType: "DX", channelFormat: "MONO", index: 0 },
        { type: "RenameTrack", trackId: "dx-1", name: "Dialogue 1" },
        clip("a", "dx-1", HOUR, { gainDb: -2, take: { scene: "12", take: "3", soundRoll: "SR1" } }),
        clip("b", "dx-1", HOUR + 4 * S, { provenance: { imported: { importId: "i", fileName: "r1.aaf", mobId: "m" } } }),
        clip("c", "fx-1", HOUR),
        { type: "SetFades", clipId: "c", fadeIn: { length: 100, shape: "LINEAR" }, fadeOut: { length: 200, shape: "S_CURVE" } },
        { type: "SplitClip", clipId: "c", position: HOUR + 2 * S, newClipId: "c2" },
        { type: "MoveClip", clipId: "b", trackId: "adr", position: HOUR + 8 * S },
        { type: "TrimClip", clipId: "a", start: HOUR + S / 2 },
        { type: "SetClipGain", clipId: "c2", gainDb: 3 },
        { type: "AddTrack", trackId: "spare", name: "Spare", trackType: "BG", channelFormat: "STEREO", index: 3 },
        { type: "RemoveTrack", trackId: "dx-2" },
        { type: "AddMarker", markerId: "m1", position: HOUR, name: "Start" },
      ],
    },
    admin,
  );
  await useCases.executeCommands(
    {
      sessionId: "r2",
      commands: [
        { type: "AddTrack", trackId: "t", name: "T", trackType: "FOLEY", channelFormat: "MONO" },
        clip("x", "t", HOUR),
        clip("y", "t", HOUR + 4 * S),
        { type: "SetCrossfade", outgoingClipId: "x", incomingClipId: "y", length: 480, shape: "EQUAL_POWER", alignment: "CENTERED" },
        { type: "RemoveClip", clipId: "x" },
      ],
    },
    admin,
  );
}

async function dump(db: Kysely<ReadModelDatabase>) {
  return {
    sessions: await db.selectFrom("sessions").selectAll().orderBy("session_id").execute(),
    tracks: await db.selectFrom("tracks").selectAll().orderBy("session_id").orderBy("track_id").execute(),
    clips: await db.selectFrom("clips").selectAll().orderBy("session_id").orderBy("clip_id").execute(),
  };
}

interface Backend {
  readonly name: string;
  open(): Promise<{ log: PostgresEventLog; newSchema(prefix: string): string; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "PostgreSQL",
    async open() {
      const database = testDatabase();
      const log = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("evlog") });
      return {
        log,
        newSchema: database.newSchema,
        close: async () => {
          await log.close();
          await database.close();
        },
      };
    },
  },
  {
    name: "PGlite",
    async open() {
      const pglite = new PGlite();
      const log = await createPostgresEventLog({ pglite });
      let n = 0;
      return {
        log,
        newSchema: (prefix) => `${prefix}_${++n}`,
        close: async () => {
          await log.close();
          await pglite.close();
        },
      };
    },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe.each(backends)("session read model on $name", (backend) => {
  it("projects live, and a rebuild from scratch (new consumer, or truncate + replay) equals it", async () => {
    const { log, newSchema, close } = await backend.open();
    cleanups.push(close);
    const live = newSchema("sess");
    await migrateReadModel(log.db, { schema: live });
    expect((await migrateReadModel(log.db, { schema: live })).applied).toEqual([]); // idempotent
    const liveDb = (log.db as Kysely<ReadModelDatabase>).withSchema(live);
    const projection = startReadModelProjection(log, { schema: live, pollIntervalMs: 50 });
    const useCases = createSessionUseCases({
      log,
      snapshots: log.snapshots,
      readModel: createPostgresSessionReadModel(liveDb),
      changes: createSessionChangeFeed(),
    });
    await scenario(useCases);
    await projection.caughtUp();
    await projection.stop();
    const projected = await dump(liveDb);

    // The model says what the domain fold says.
    for (const sessionId of ["r1", "r2"]) {
      const { state, version } = await loadSession(log, log.snapshots, sessionId);
      const row = projected.sessions.find((s) => s.session_id === sessionId);
      expect(Number(row?.version)).toBe(version);
      const tracks = projected.tracks.filter((t) => t.session_id === sessionId).sort((a, b) => a.display_index - b.display_index);
      expect(tracks.map((t) => [t.track_id, t.name, t.track_type, t.channel_format])).toEqual(
        [...(state?.tracks.values() ?? [])].map((t) => [t.trackId, t.name, t.trackType, t.channelFormat]),
      );
      const clips = projected.clips.filter((c) => c.session_id === sessionId);
      const folded = [...(state?.tracks.values() ?? [])]
        .flatMap((t) => [...t.clips.values()])
        .sort((a, b) => a.clipId.localeCompare(b.clipId));
      expect(
        clips.map((c) => ({
          clipId: c.clip_id,
          trackId: c.track_id,
          position: Number(c.position),
          length: Number(c.length),
          sourceOffset: Number(c.source_offset),
          gainDb: c.gain_db,
          fadeIn: c.fade_in_length === null ? undefined : { length: Number(c.fade_in_length), shape: c.fade_in_shape },
          fadeOut: c.fade_out_length === null ? undefined : { length: Number(c.fade_out_length), shape: c.fade_out_shape },
          take: c.take ?? undefined,
          provenance: c.provenance ?? undefined,
        })),
      ).toEqual(
        folded.map((c) => ({
          clipId: c.clipId,
          trackId: c.trackId,
          position: c.position,
          length: c.length,
          sourceOffset: c.source.sourceOffset,
          gainDb: c.gainDb,
          fadeIn: c.fadeIn,
          fadeOut: c.fadeOut,
          take: c.take,
          provenance: c.provenance,
        })),
      );
    }
    expect(projected.clips.map((c) => c.clip_id)).toEqual(["a", "b", "c", "c2", "y"]);

    // Rebuild into fresh tables under a new consumer.
    const rebuilt = newSchema("sess");
    await migrateReadModel(log.db, { schema: rebuilt });
    const rebuild = startReadModelProjection(log, { schema: rebuilt, consumer: "session-read-model-rebuild", pollIntervalMs: 50 });
    await rebuild.caughtUp();
    await rebuild.stop();
    expect(await dump((log.db as Kysely<ReadModelDatabase>).withSchema(rebuilt))).toEqual(projected);

    // Truncate the live tables and replay everything under another new consumer.
    await sql`truncate ${sql.table(`${live}.clips`)}, ${sql.table(`${live}.tracks`)}, ${sql.table(`${live}.sessions`)}`.execute(log.db);
    const replay = startReadModelProjection(log, { schema: live, consumer: "session-read-model-replay", pollIntervalMs: 50 });
    await replay.caughtUp();
    await replay.stop();
    expect(await dump(liveDb)).toEqual(projected);

    // Applying an event again (at-least-once delivery) changes nothing.
    for (const event of await log.readAll()) expect(await projectSessionEvent(liveDb, event)).toBeUndefined();
    expect(await dump(liveDb)).toEqual(projected);

    // The list reads the same tables, in creation order.
    const page = await createPostgresSessionReadModel(liveDb).list({ limit: 10 });
    expect(page.sessions.map((s) => [s.sessionId, s.template, s.frameRate, s.version])).toEqual([
      ["r1", "EPISODE", "24", Number(projected.sessions[0]?.version)],
      ["r2", "EMPTY", "24", Number(projected.sessions[1]?.version)],
    ]);
  }, 60_000);
  it("a parked event retried after later events of its session applies in order, or stays parked saying what is missing", async () => {
    const { log, newSchema, close } = await backend.open();
    cleanups.push(close);
    const schema = newSchema("sess");
    await migrateReadModel(log.db, { schema });
    const db = (log.db as Kysely<ReadModelDatabase>).withSchema(schema);
    // The fault: inserting clip "b" fails (a real database error in the real projection) until the trigger is dropped.
    await sql
      .raw(`create function ${schema}.refuse_b() returns trigger language plpgsql as $$
        begin if new.clip_id = 'b' then raise exception 'clip b refused'; end if; return new; end $$;
        create trigger refuse_b before insert on ${schema}.clips for each row execute function ${schema}.refuse_b()`)
      .execute(log.db);
    const consumer = "session-read-model-parking";
    const projection = startReadModelProjection(log, { schema, consumer, pollIntervalMs: 50 });
    const useCases = createSessionUseCases({
      log,
      snapshots: log.snapshots,
      readModel: createPostgresSessionReadModel(db),
      changes: createSessionChangeFeed(),
    });
    const base = { name: "Reel", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" } as const;
    await useCases.createSession({ ...base, sessionId: "p1", template: "EPISODE" }, admin);
    await useCases.executeCommands({ sessionId: "p1", commands: [clip("a", "dx-1", HOUR)] }, admin);
    await useCases.executeCommands({ sessionId: "p1", commands: [clip("b", "dx-1", HOUR + 4 * S)] }, admin); // parks
    await useCases.executeCommands(
      {
        sessionId: "p1",
        commands: [
          { type: "MoveClip", clipId: "b", trackId: "dx-2", position: HOUR + 8 * S },
          { type: "SetClipGain", clipId: "a", gainDb: -6 },
        ],
      },
      admin,
    );
    await projection.caughtUp();
    const stream = await log.readStream("session-p1");
    const placedB = stream.find((e) => e.type === "ClipPlaced" && (e.data as { clip: { clipId: string } }).clip.clipId === "b");
    expect(placedB).toBeDefined();
    const parkedFirst = await log.parkedEvents(consumer);
    expect(parkedFirst[0]?.globalPosition).toBe(placedB?.globalPosition);
    expect(parkedFirst[0]?.error).toMatch(/clip b refused/);

    // Fixed: retry only the first parked event.
    await sql.raw(`drop trigger refuse_b on ${schema}.clips`).execute(log.db);
    await log.retryParkedEvents(consumer, [placedB?.globalPosition ?? 0]);
    const retried = async () => (await log.parkedEvents(consumer)).every((p) => p.retryRequestedAt === undefined);
    await waitFor("the parked retry", retried, 20_000);

    // Clip b is in the model now, and the later events are either applied or still parked naming the gap.
    const later = stream.filter((e) => e.streamVersion > (placedB?.streamVersion ?? 0));
    const stillParked = await log.parkedEvents(consumer);
    const sessionRow = await db.selectFrom("sessions").selectAll().where("session_id", "=", "p1").executeTakeFirstOrThrow();
    const clipB = await db.selectFrom("clips").selectAll().where("clip_id", "=", "b").executeTakeFirst();
    expect(clipB).toBeDefined();
    expect(later.map((e) => e.type)).toEqual(["ClipMoved", "ClipGainSet"]);
    for (const event of later) {
      const parked = stillParked.find((p) => p.globalPosition === event.globalPosition);
      if (event.streamVersion <= Number(sessionRow.version)) expect(parked).toBeUndefined();
      else expect(parked?.error).toMatch(new RegExp(`session p1.* version ${event.streamVersion}.* at version \\d+`));
    }

    // Retrying the rest applies them in order: the model then says what the fold says.
    await log.retryParkedEvents(consumer);
    await waitFor("the parked retries", async () => (await log.parkedEvents(consumer)).length === 0, 20_000);
    await projection.stop();
    const { state, version } = await loadSession(log, log.snapshots, "p1");
    const row = await db.selectFrom("sessions").selectAll().where("session_id", "=", "p1").executeTakeFirstOrThrow();
    expect(Number(row.version)).toBe(version);
    const clips = await db.selectFrom("clips").selectAll().where("session_id", "=", "p1").orderBy("clip_id").execute();
    const folded = [...(state?.tracks.values() ?? [])]
      .flatMap((t) => [...t.clips.values()])
      .sort((x, y) => x.clipId.localeCompare(y.clipId));
    expect(clips.map((c) => [c.clip_id, c.track_id, Number(c.position), c.gain_db])).toEqual(
      folded.map((c) => [c.clipId, c.trackId, c.position, c.gainDb]),
    );
  }, 60_000);
  it("catches up on 20,000 ClipPlaced of one session in one append exactly as one event at a time would, and a failure mid-transaction leaves nothing of it", async () => {
    const { log, newSchema, close } = await backend.open();
    cleanups.push(close);
    const useCases = createSessionUseCases({
      log,
      snapshots: log.snapshots,
      readModel: createPostgresSessionReadModel((log.db as Kysely<ReadModelDatabase>).withSchema(newSchema("unused"))),
      changes: createSessionChangeFeed(),
    });
    const base = { name: "Reel", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" } as const;
    await useCases.createSession({ ...base, sessionId: "big", template: "EPISODE" }, admin);
    await useCases.createSession({ ...base, sessionId: "small", template: "EMPTY" }, admin);
    const commands: EditCommand[] = [];
    for (let n = 0; n < 20_000; n++) {
      commands.push(clip(`c${n}`, n % 2 === 0 ? "dx-1" : "fx-1", HOUR + Math.floor(n / 2) * 5 * S));
      // Events that change no row, and ones the buffer does not batch, in the middle of the run.
      if (n === 7_000) commands.push({ type: "AddMarker", markerId: "m1", position: HOUR, name: "Mid" });
      if (n === 12_345) commands.push({ type: "SetClipGain", clipId: "c100", gainDb: -4 });
    }
    commands.push({ type: "MoveClip", clipId: "c0", trackId: "dx-2", position: HOUR });
    await useCases.executeCommands({ sessionId: "big", commands }, admin);
    await useCases.executeCommands(
      {
        sessionId: "small",
        commands: [{ type: "AddTrack", trackId: "t", name: "T", trackType: "FX", channelFormat: "MONO" }, clip("x", "t", HOUR)],
      },
      admin,
    );
    const events = await log.readAll();

    // The reference: every event projected alone, as before batching.
    const reference = newSchema("sess");
    await migrateReadModel(log.db, { schema: reference });
    const referenceDb = (log.db as Kysely<ReadModelDatabase>).withSchema(reference);
    await log.db.transaction().execute(async (tx) => {
      for (const event of events) await projectSessionEvent((tx as unknown as Kysely<ReadModelDatabase>).withSchema(reference), event);
    });
    const expected = await dump(referenceDb);
    expect(expected.clips).toHaveLength(20_001);
    expect(Number(expected.sessions.find((r) => r.session_id === "big")?.version)).toBe(
      events.filter((e) => e.streamId === "session-big").length,
    );

    // A failure at the flush of a 20,000-event transaction: the buffer's writes are all rolled back.
    const failing = newSchema("sess");
    await migrateReadModel(log.db, { schema: failing });
    const failingDb = (log.db as Kysely<ReadModelDatabase>).withSchema(failing);
    await sql
      .raw(`create function ${failing}.refuse() returns trigger language plpgsql as $$
        begin if new.clip_id = 'c9999' then raise exception 'clip c9999 refused'; end if; return new; end $$;
        create trigger refuse before insert on ${failing}.clips for each row execute function ${failing}.refuse()`)
      .execute(log.db);
    await expect(
      log.db.transaction().execute(async (tx) => {
        const buffer = new SessionProjectionBuffer((tx as unknown as Kysely<ReadModelDatabase>).withSchema(failing));
        for (const event of events) await buffer.project(event);
        await buffer.flush();
      }),
    ).rejects.toThrow(/clip c9999 refused/);
    const afterFailure = await dump(failingDb);
    expect(afterFailure).toEqual({ sessions: [], tracks: [], clips: [] });

    // Through the subscription, with a failure in the middle of one transaction that happens only once
    // (a sequence is not rolled back): that transaction is rolled back, its events go one by one, and the
    // model still equals the reference, nothing parked.
    await sql
      .raw(`create sequence ${failing}.once;
        create or replace function ${failing}.refuse() returns trigger language plpgsql as $$
        begin if new.clip_id = 'c9999' and nextval('${failing}.once') = 1 then raise exception 'clip c9999 refused'; end if; return new; end $$`)
      .execute(log.db);
    const errors: unknown[] = [];
    const consumer = "session-read-model-large";
    const projection = startReadModelProjection(log, {
      schema: failing,
      consumer,
      pollIntervalMs: 50,
      onError: (error) => errors.push(error),
    });
    await projection.caughtUp();
    await projection.stop();
    expect(String(errors[0])).toMatch(/clip c9999 refused/);
    expect(errors).toHaveLength(1);
    expect(await log.parkedEvents(consumer)).toEqual([]);
    expect(await dump(failingDb)).toEqual(expected);

    // And without failures, a rebuild equals it too; delivering everything again changes nothing.
    const rebuilt = newSchema("sess");
    await migrateReadModel(log.db, { schema: rebuilt });
    const rebuild = startReadModelProjection(log, { schema: rebuilt, consumer: "session-read-model-large-rebuild", pollIntervalMs: 50 });
    await rebuild.caughtUp();
    await rebuild.stop();
    const rebuiltDb = (log.db as Kysely<ReadModelDatabase>).withSchema(rebuilt);
    expect(await dump(rebuiltDb)).toEqual(expected);
    await log.db.transaction().execute(async (tx) => {
      const buffer = new SessionProjectionBuffer((tx as unknown as Kysely<ReadModelDatabase>).withSchema(rebuilt));
      for (const event of events) expect(await buffer.project(event)).toBeUndefined();
      await buffer.flush();
    });
    expect(await dump(rebuiltDb)).toEqual(expected);
  }, 180_000);

  it("a batched transaction detects a gap in memory, throwing SessionProjectionGapError naming the versions it lacks", async () => {
    const { log, newSchema, close } = await backend.open();
    cleanups.push(close);
    const schema = newSchema("sess");
    await migrateReadModel(log.db, { schema });
    const db = (log.db as Kysely<ReadModelDatabase>).withSchema(schema);
    const useCases = createSessionUseCases({
      log,
      snapshots: log.snapshots,
      readModel: createPostgresSessionReadModel(db),
      changes: createSessionChangeFeed(),
    });
    const base = { name: "Reel", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" } as const;
    await useCases.createSession({ ...base, sessionId: "g1", template: "EPISODE" }, admin);
    await useCases.executeCommands(
      { sessionId: "g1", commands: [clip("a", "dx-1", HOUR), clip("b", "dx-1", HOUR + 4 * S), clip("c", "dx-1", HOUR + 8 * S)] },
      admin,
    );
    const events = await log.readStream("session-g1");
    await log.db.transaction().execute(async (tx) => {
      const buffer = new SessionProjectionBuffer((tx as unknown as Kysely<ReadModelDatabase>).withSchema(schema));
      expect(await buffer.project(events[0]!)).toBe("g1");
      expect(await buffer.project(events[1]!)).toBe("g1");
      expect(await buffer.project(events[1]!)).toBeUndefined(); // again: applied already
      await expect(buffer.project(events[3]!)).rejects.toThrow(
        /session g1: event at version 4 cannot apply, the read model is at version 2 \(versions 3-3/,
      );
      expect(await buffer.project(events[2]!)).toBe("g1");
      expect(await buffer.project(events[3]!)).toBe("g1");
      await buffer.flush();
    });
    const row = await db.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
    expect(Number(row.version)).toBe(4);
    expect((await db.selectFrom("clips").select("clip_id").orderBy("clip_id").execute()).map((c) => c.clip_id)).toEqual(["a", "b", "c"]);
  });
});
