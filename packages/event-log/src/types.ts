/**
 * The role an actor acts in; these are Dubstage's permissions (see packages/auth). `admin` is the embedded
 * local administrator; `system` is the platform acting on its own (migrations, automated jobs).
 */
export type ActorRole =
  | "supervising_sound_editor"
  | "dialogue_editor"
  | "sound_effects_editor"
  | "foley_editor"
  | "re_recording_mixer"
  | "integration"
  | "admin"
  | "system";

export interface Actor {
  readonly userId: string;
  readonly role: ActorRole;
}

/** W3C trace context (https://www.w3.org/TR/trace-context/) of the operation that appended an event. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** Metadata every event carries besides its payload. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly trace?: TraceContext;
}

/** An event to append. `id` is a UUID chosen by the writer: appends are idempotent by it. */
export interface NewEvent<Data = unknown> {
  readonly id: string;
  /** Past-tense name, e.g. "TrackAdded"; its payload shape is the proto message of the same name. */
  readonly type: string;
  /** Payload schema version, default 1. Older versions are read through upcasters. */
  readonly schemaVersion?: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as committed. Positions and versions are JS numbers: exact up to 2^53. */
export interface RecordedEvent<Data = unknown> extends EventMetadata {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** 1-based position of the event in its stream. */
  readonly streamVersion: number;
  /**
   * Unique position in the global log. `$all` is read in commit-safe order, which follows global
   * positions within a transaction; use it as an opaque, resumable cursor.
   */
  readonly globalPosition: number;
  readonly recordedAt: Date;
  readonly data: Data;
}

/** What the writer expects the stream's current version to be. */
export type ExpectedVersion = "no-stream" | "any" | { readonly exact: number };

export interface AppendResult {
  readonly streamId: string;
  /** The stream version after the append (the last appended event's version). */
  readonly streamVersion: number;
  /** Global position of the last appended event. */
  readonly lastGlobalPosition: number;
  /** True when every event id was already in the log and nothing was written (an idempotent resend). */
  readonly duplicate: boolean;
}

export type ReadDirection = "forwards" | "backwards";

export interface ReadStreamOptions {
  readonly direction?: ReadDirection;
  /** Inclusive start version: forwards default 1, backwards default the last event. */
  readonly fromVersion?: number;
  readonly maxCount?: number;
  readonly types?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive cursor: the global position of the last event already seen; omitted = from the start. */
  readonly after?: number;
  readonly maxCount?: number;
  readonly types?: readonly string[];
}
