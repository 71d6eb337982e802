import type { ColumnType } from "kysely";

// Row types of the read model in schema `dubstage_session` (or the schema given). int8 columns are read
// back as strings by pg and as numbers by PGlite, hence `number | string` on select.

type Int8 = ColumnType<number | string, number, number>;

export interface SessionsTable {
  session_id: string;
  name: string;
  template: string;
  frame_rate: string;
  sample_rate: number;
  start_timecode: string;
  /** The last stream version applied. */
  version: Int8;
  /** Global position of SessionCreated: the list order and page cursor. */
  created_position: Int8;
  created_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
}

export interface TracksTable {
  session_id: string;
  track_id: string;
  name: string;
  track_type: string;
  channel_format: string;
  /** 0-based display order. */
  display_index: number;
}

export interface ClipsTable {
  session_id: string;
  clip_id: string;
  track_id: string;
  name: string;
  position: Int8;
  length: Int8;
  media_key: string;
  source_offset: Int8;
  source_length: Int8;
  channel: number;
  gain_db: number;
  muted: boolean;
  fade_in_length: Int8 | null;
  fade_in_shape: string | null;
  fade_out_length: Int8 | null;
  fade_out_shape: string | null;
  provenance: ColumnType<unknown, string | null, string | null> | null;
  take: ColumnType<unknown, string | null, string | null> | null;
}

export interface ReadModelDatabase {
  sessions: SessionsTable;
  tracks: TracksTable;
  clips: ClipsTable;
}

export const DEFAULT_READ_MODEL_SCHEMA = "dubstage_session";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names reach DDL, so only plain lower-case identifiers are accepted. */
export function checkReadModelSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`read model schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  return schema;
}
