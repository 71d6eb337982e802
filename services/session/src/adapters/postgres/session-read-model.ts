import type { FrameRateId } from "@dubstage/timecode";
import type { Kysely } from "kysely";
import { InvalidRequestError } from "../../app/errors.ts";
import type { SessionReadModel } from "../../app/ports.ts";
import type { SessionTemplate } from "../../domain/index.ts";
import type { ReadModelDatabase } from "./read-model-schema.ts";

// Page tokens are the creation position of the last row, base64url-encoded so clients treat them as opaque.
function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^p:(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidRequestError("pageToken", "is not a page token returned by ListSessions");
  return Number(match[1]);
}

/** The session list over the read model tables (`db` is scoped to the read model schema). */
export function createPostgresSessionReadModel(db: Kysely<ReadModelDatabase>): SessionReadModel {
  return {
    async list({ limit, cursor }) {
      const after = cursor === undefined ? 0 : decodeCursor(cursor);
      const rows = await db
        .selectFrom("sessions")
        .select([
          "session_id",
          "name",
          "template",
          "frame_rate",
          "sample_rate",
          "start_timecode",
          "version",
          "created_position",
          "updated_at",
        ])
        .where("created_position", ">", after)
        .orderBy("created_position")
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const sessions = page.map((row) => ({
        sessionId: row.session_id,
        name: row.name,
        template: row.template as SessionTemplate,
        frameRate: row.frame_rate as FrameRateId,
        sampleRate: row.sample_rate,
        startTimecode: row.start_timecode,
        version: Number(row.version),
        updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(row.updated_at),
      }));
      return { sessions, nextCursor: rows.length > limit && last ? encodeCursor(Number(last.created_position)) : undefined };
    },
  };
}
