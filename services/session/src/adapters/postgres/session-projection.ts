import type { RecordedEvent } from "@dubstage/event-log";
import type { Kysely, Transaction } from "kysely";
import { sessionIdOfStream } from "../../app/session-stream.ts";
import {
  type ClipData,
  channelFormatWire,
  type FadeData,
  fadeShapeWire,
  frameRateWire,
  isSessionEventType,
  type SessionEvent,
  sessionTemplateWire,
  trackTypeWire,
} from "../../domain/index.ts";
import type { ReadModelDatabase } from "./read-model-schema.ts";

export type Db = Kysely<ReadModelDatabase> | Transaction<ReadModelDatabase>;

function fadeColumns(prefix: "fade_in" | "fade_out", fade: FadeData | undefined) {
  return prefix === "fade_in"
    ? { fade_in_length: fade?.length ?? null, fade_in_shape: fade ? fadeShapeWire.fromWire(fade.shape, "fade shape") : null }
    : { fade_out_length: fade?.length ?? null, fade_out_shape: fade ? fadeShapeWire.fromWire(fade.shape, "fade shape") : null };
}

export function clipRow(sessionId: string, clip: ClipData) {
  return {
    session_id: sessionId,
    clip_id: clip.clipId,
    track_id: clip.trackId,
    name: clip.name,
    position: clip.position,
    length: clip.length,
    media_key: clip.source.mediaKey,
    source_offset: clip.source.sourceOffset,
    source_length: clip.source.sourceLength,
    channel: clip.source.channel,
    gain_db: clip.gainDb,
    muted: clip.muted,
    ...fadeColumns("fade_in", clip.fadeIn),
    ...fadeColumns("fade_out", clip.fadeOut),
    provenance: clip.provenance === undefined ? null : JSON.stringify(clip.provenance),
    take: clip.take === undefined ? null : JSON.stringify(clip.take),
  };
}

/**
 * An event that cannot apply yet: the read model lacks an earlier event of its session (parked, say).
 * Thrown so that the subscription keeps the event parked with this message instead of dropping it.
 */
export class SessionProjectionGapError extends Error {
  override readonly name = "SessionProjectionGapError";
  readonly sessionId: string;
  readonly streamVersion: number;
  readonly appliedVersion: number | undefined;

  constructor(sessionId: string, streamVersion: number, appliedVersion: number | undefined) {
    super(
      appliedVersion === undefined
        ? `session ${sessionId}: event at version ${streamVersion} cannot apply, the read model has no such session (its SessionCreated is not applied); retry the earlier parked events of the session first`
        : `session ${sessionId}: event at version ${streamVersion} cannot apply, the read model is at version ${appliedVersion} (versions ${appliedVersion + 1}-${streamVersion - 1} are not applied); retry the earlier parked events of the session first`,
    );
    this.sessionId = sessionId;
    this.streamVersion = streamVersion;
    this.appliedVersion = appliedVersion;
  }
}

/**
 * Applies one recorded event to the read model through `db` (the subscription's transaction, which also
 * stores the checkpoint). Idempotent: an event at or below the session's applied version is skipped. An
 * event further ahead than the next version throws SessionProjectionGapError (nothing is written), so a
 * late event is never lost: it applies once the events before it have. Returns the session id when the
 * event changed the model.
 */
export async function projectSessionEvent(db: Db, recorded: RecordedEvent): Promise<string | undefined> {
  const sessionId = sessionIdOfStream(recorded.streamId);
  if (sessionId === undefined || !isSessionEventType(recorded.type)) return undefined;
  const event = { type: recorded.type, data: recorded.data } as SessionEvent;

  if (event.type === "SessionCreated") {
    const d = event.data;
    const inserted = await db
      .insertInto("sessions")
      .values({
        session_id: sessionId,
        name: d.name,
        template: sessionTemplateWire.fromWire(d.template, "session template"),
        frame_rate: frameRateWire.fromWire(d.frameRate, "frame rate"),
        sample_rate: d.sampleRate,
        start_timecode: d.startTimecode,
        version: recorded.streamVersion,
        created_position: recorded.globalPosition,
        created_at: recorded.recordedAt,
        updated_at: recorded.recordedAt,
      })
      .onConflict((c) => c.column("session_id").doNothing())
      .returning("session_id")
      .executeTakeFirst();
    if (inserted === undefined) return undefined;
    if (d.tracks.length > 0) {
      await db
        .insertInto("tracks")
        .values(
          d.tracks.map((t, index) => ({
            session_id: sessionId,
            track_id: t.trackId,
            name: t.name,
            track_type: trackTypeWire.fromWire(t.trackType, "track type"),
            channel_format: channelFormatWire.fromWire(t.channelFormat, "channel format"),
            display_index: index,
          })),
        )
        .execute();
    }
    return sessionId;
  }

  if (!(await claimVersion(db, sessionId, recorded))) return undefined;
  await applyAfterClaim(db, sessionId, event);
  return sessionId;
}

/**
 * Claims the event's version for its session: the model's version is the contiguous prefix of the stream
 * it holds, so an event applies only right after its predecessor (a parked or not yet delivered one
 * blocks it). False when the event is applied already; SessionProjectionGapError when it is ahead.
 */
export async function claimVersion(db: Db, sessionId: string, recorded: RecordedEvent): Promise<boolean> {
  const claimed = await db
    .updateTable("sessions")
    .set({ version: recorded.streamVersion, updated_at: recorded.recordedAt })
    .where("session_id", "=", sessionId)
    .where("version", "=", recorded.streamVersion - 1)
    .returning("session_id")
    .executeTakeFirst();
  if (claimed !== undefined) return true;
  const row = await db.selectFrom("sessions").select("version").where("session_id", "=", sessionId).executeTakeFirst();
  if (row !== undefined && Number(row.version) >= recorded.streamVersion) return false; // applied already
  throw new SessionProjectionGapError(sessionId, recorded.streamVersion, row === undefined ? undefined : Number(row.version));
}

/** The rows an event other than SessionCreated changes, once its version is claimed. */
async function applyAfterClaim(db: Db, sessionId: string, event: Exclude<SessionEvent, { type: "SessionCreated" }>): Promise<void> {
  const clip = (clipId: string) => db.updateTable("clips").where("session_id", "=", sessionId).where("clip_id", "=", clipId);
  switch (event.type) {
    case "TrackAdded": {
      const d = event.data;
      await db
        .updateTable("tracks")
        .set((eb) => ({ display_index: eb("display_index", "+", 1) }))
        .where("session_id", "=", sessionId)
        .where("display_index", ">=", d.index)
        .execute();
      const { count } = await db
        .selectFrom("tracks")
        .where("session_id", "=", sessionId)
        .select((eb) => eb.fn.countAll<string | number>().as("count"))
        .executeTakeFirstOrThrow();
      await db
        .insertInto("tracks")
        .values({
          session_id: sessionId,
          track_id: d.trackId,
          name: d.name,
          track_type: trackTypeWire.fromWire(d.trackType, "track type"),
          channel_format: channelFormatWire.fromWire(d.channelFormat, "channel format"),
          display_index: Math.min(d.index, Number(count)),
        })
        .execute();
      break;
    }
    case "TrackRenamed":
      await db
        .updateTable("tracks")
        .set({ name: event.data.name })
        .where("session_id", "=", sessionId)
        .where("track_id", "=", event.data.trackId)
        .execute();
      break;
    case "TrackRemoved": {
      const removed = await db
        .deleteFrom("tracks")
        .where("session_id", "=", sessionId)
        .where("track_id", "=", event.data.trackId)
        .returning("display_index")
        .executeTakeFirst();
      if (removed) {
        await db
          .updateTable("tracks")
          .set((eb) => ({ display_index: eb("display_index", "-", 1) }))
          .where("session_id", "=", sessionId)
          .where("display_index", ">", removed.display_index)
          .execute();
      }
      break;
    }
    case "ClipPlaced":
      await db.insertInto("clips").values(clipRow(sessionId, event.data.clip)).execute();
      break;
    case "ClipMoved":
      await clip(event.data.clipId).set({ track_id: event.data.trackId, position: event.data.position }).execute();
      break;
    case "ClipTrimmed": {
      const d = event.data;
      await clip(d.clipId).set({ position: d.position, length: d.length, source_offset: d.sourceOffset }).execute();
      break;
    }
    case "ClipSplit": {
      const d = event.data;
      // The right part starts at the cut with the source advanced by the left part, and takes the fade out.
      const left = await db
        .selectFrom("clips")
        .selectAll()
        .where("session_id", "=", sessionId)
        .where("clip_id", "=", d.clipId)
        .executeTakeFirstOrThrow();
      const leftLength = d.splitPosition - Number(left.position);
      await db
        .insertInto("clips")
        .values({
          ...left,
          clip_id: d.newClipId,
          position: d.splitPosition,
          length: Number(left.length) - leftLength,
          source_offset: Number(left.source_offset) + leftLength,
          source_length: Number(left.source_length),
          fade_in_length: null,
          fade_in_shape: null,
          fade_out_length: left.fade_out_length === null ? null : Number(left.fade_out_length),
          provenance: left.provenance === null ? null : JSON.stringify(left.provenance),
          take: left.take === null ? null : JSON.stringify(left.take),
        })
        .execute();
      await clip(d.clipId).set({ length: leftLength, fade_out_length: null, fade_out_shape: null }).execute();
      break;
    }
    case "ClipRemoved":
      await db.deleteFrom("clips").where("session_id", "=", sessionId).where("clip_id", "=", event.data.clipId).execute();
      break;
    case "FadeSet":
      await clip(event.data.clipId)
        .set({ ...fadeColumns("fade_in", event.data.fadeIn), ...fadeColumns("fade_out", event.data.fadeOut) })
        .execute();
      break;
    case "ClipGainSet":
      await clip(event.data.clipId).set({ gain_db: event.data.gainDb }).execute();
      break;
    case "CrossfadeSet":
    case "MarkerAdded":
      break; // crossfades and markers are not in the list model; GetSession folds them from the stream
    case "IngestStarted":
    case "IngestProgressed":
    case "IngestCompleted":
    case "IngestFailed":
      break; // ingest jobs neither: GetSession folds them (the session's version still moved)
    case "RenderStarted":
    case "RenderProgress":
    case "RenderCompleted":
    case "RenderFailed":
      break; // renders neither, like ingest jobs
  }
}
