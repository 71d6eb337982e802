import type { RecordRenderCompleted, RecordRenderFailed, RecordRenderProgress, RecordRenderStarted } from "./commands.ts";
import { SessionIllegalStateError, SessionNotFoundError, SessionValidationError } from "./errors.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import { requireMediaKey } from "./media-key.ts";
import type { RenderDeliverable, RenderJob, Session } from "./model.ts";
import { requireBoolean, requireId, requireIntegerIn, requireName, requireNonEmptyText, requireNumberIn } from "./validation.ts";

// The render lifecycle, modelled on the ingest lifecycle: a render is started once (reading one exact
// session version), reports progress while it runs, and ends once, completed or failed. Its files are in
// the media store; the completion names them with their loudness and QC verdict.

export const MAX_RENDER_DELIVERABLES = 64;
/** Loudness (LUFS) and true peak (dBTP) accepted: finite, and wide enough for near-silence. */
export const RENDER_LEVEL_RANGE = Object.freeze({ min: -200, max: 30 });
const MAX_REASON_LENGTH = 4000;
const MAX_PLAN_HASH_LENGTH = 200;
/** Chunk counts travel as proto uint32. */
const MAX_COUNT = 0xffff_ffff;
/** A plan hash is one printable ASCII token ("sha256:<hex>"), so it compares and prints unambiguously. */
const PLAN_HASH = /^[\x21-\x7e]+$/;

function invalid(field: string, message: string): SessionValidationError {
  return new SessionValidationError(`${field}: ${message}`, "invalid-value", field);
}

/** The version of the session the command is decided at (the stream version before it). */
export interface RenderDecideContext {
  readonly version?: number;
}

/** A version the session has reached: 1 to the current one. */
function requireReachedVersion(version: number, current: number | undefined): number {
  if (current === undefined) {
    // A programming error of the caller, not the client's: the service always passes the version.
    throw invalid("sessionVersion", "cannot be checked: the session's current version was not given to decide (option `version`)");
  }
  if (version > current) {
    throw new SessionNotFoundError(
      `sessionVersion: the session is at version ${current}; version ${version} does not exist yet`,
      "session-version-not-found",
      "sessionVersion",
    );
  }
  return version;
}

function requirePlanHash(value: unknown): string {
  if (typeof value !== "string" || value === "") throw invalid("planHash", 'must be a plan hash such as "sha256:<hex>"');
  if (value.length > MAX_PLAN_HASH_LENGTH) throw invalid("planHash", `must be at most ${MAX_PLAN_HASH_LENGTH} characters`);
  if (!PLAN_HASH.test(value)) throw invalid("planHash", "must be printable ASCII without spaces");
  return value;
}

function requireList(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(field, "must be a list");
  if (value.length === 0) throw invalid(field, "must name at least one deliverable");
  if (value.length > MAX_RENDER_DELIVERABLES)
    throw invalid(field, `must have at most ${MAX_RENDER_DELIVERABLES} entries, got ${value.length}`);
  return value;
}

/** Distinct deliverable names: "DX 5.1" twice would make the completion ambiguous. */
function requireDistinct(names: readonly string[], field: (i: number) => string): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) throw invalid(field(i), `"${name}" is already deliverable ${first}`);
    seen.set(name, i);
  });
}

function requireDeliverableNames(value: unknown): string[] {
  const names = requireList(value, "deliverables").map((name, i) => requireName(name, `deliverables[${i}]`));
  requireDistinct(names, (i) => `deliverables[${i}]`);
  return names;
}

function requireDeliverable(value: unknown, field: string): RenderDeliverable {
  if (typeof value !== "object" || value === null) {
    throw invalid(field, "must be { name, mediaKey, qcReportKey, layout, integratedLufs, truePeakDbtp, qcPass }");
  }
  const d = value as Partial<Record<keyof RenderDeliverable, unknown>>;
  const { min, max } = RENDER_LEVEL_RANGE;
  return {
    name: requireName(d.name, `${field}.name`),
    mediaKey: requireMediaKey(d.mediaKey, `${field}.mediaKey`),
    qcReportKey: requireMediaKey(d.qcReportKey, `${field}.qcReportKey`),
    layout: requireName(d.layout, `${field}.layout`),
    integratedLufs: requireNumberIn(d.integratedLufs, `${field}.integratedLufs`, min, max, " LUFS"),
    truePeakDbtp: requireNumberIn(d.truePeakDbtp, `${field}.truePeakDbtp`, min, max, " dBTP"),
    qcPass: requireBoolean(d.qcPass, `${field}.qcPass`),
  };
}

/** The completion must deliver exactly the names the render started with. */
function requireStartedSet(render: RenderJob, delivered: readonly RenderDeliverable[]): void {
  const started = new Set(render.deliverables);
  const extra = delivered.findIndex((d) => !started.has(d.name));
  if (extra >= 0) {
    const name = (delivered[extra] as RenderDeliverable).name;
    throw new SessionValidationError(
      `deliverables[${extra}].name: "${name}" is not a deliverable of render "${render.renderId}" (started with ${list(render.deliverables)})`,
      "render-deliverables-mismatch",
      `deliverables[${extra}].name`,
    );
  }
  const names = new Set(delivered.map((d) => d.name));
  const missing = render.deliverables.filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new SessionValidationError(
      `deliverables: render "${render.renderId}" started with ${list(render.deliverables)}; missing ${list(missing)}`,
      "render-deliverables-mismatch",
      "deliverables",
    );
  }
}

const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(", ");

/** The render, which must be known and still running. */
function requireRunning(session: Session, renderId: string): RenderJob {
  const render = session.renders.get(renderId);
  if (render === undefined) {
    throw new SessionNotFoundError(`renderId: render "${renderId}" is unknown (RecordRenderStarted first)`, "render-not-found", "renderId");
  }
  if (render.status !== "running") {
    throw new SessionIllegalStateError(`renderId: render "${renderId}" already ${render.status}`, "render-not-running", "renderId");
  }
  return render;
}

type StartedFacts = Pick<RenderJob, "sessionVersion" | "profileId" | "planHash" | "deliverables" | "chunks">;

function sameFacts(a: StartedFacts, b: StartedFacts): boolean {
  return (
    a.sessionVersion === b.sessionVersion &&
    a.profileId === b.profileId &&
    a.planHash === b.planHash &&
    a.chunks === b.chunks &&
    a.deliverables.length === b.deliverables.length &&
    a.deliverables.every((name, i) => name === b.deliverables[i])
  );
}

function describe(f: StartedFacts): string {
  return `version ${f.sessionVersion}, profile ${f.profileId}, plan ${f.planHash}, ${list(f.deliverables)}, ${f.chunks} chunks`;
}

export function decideRecordRenderStarted(
  session: Session,
  command: RecordRenderStarted,
  context: RenderDecideContext = {},
): SessionEvent[] {
  const renderId = requireId(command.renderId, "renderId");
  const sessionVersion = requireIntegerIn(command.sessionVersion, "sessionVersion", 1, Number.MAX_SAFE_INTEGER);
  const profileId = requireId(command.profileId, "profileId");
  const planHash = requirePlanHash(command.planHash);
  const deliverables = requireDeliverableNames(command.deliverables);
  const chunks = requireIntegerIn(command.chunks, "chunks", 0, MAX_COUNT);
  requireReachedVersion(sessionVersion, context.version);
  const started: StartedFacts = { sessionVersion, profileId, planHash, deliverables, chunks };
  const existing = session.renders.get(renderId);
  if (existing !== undefined) {
    // A resent start (the render service restarted) changes nothing; other facts under the id are a mistake.
    if (sameFacts(existing, started)) return [];
    throw new SessionIllegalStateError(
      `renderId: render "${renderId}" was already started with other facts (${describe(existing)}; now ${describe(started)})`,
      "render-conflict",
      "renderId",
    );
  }
  return [sessionEvent("RenderStarted", { renderId, ...started })];
}

export function decideRecordRenderProgress(session: Session, command: RecordRenderProgress): SessionEvent[] {
  const renderId = requireId(command.renderId, "renderId");
  const done = requireIntegerIn(command.done, "done", 0, Number.MAX_SAFE_INTEGER);
  const total = requireIntegerIn(command.total, "total", 0, Number.MAX_SAFE_INTEGER);
  if (done > total) throw invalid("done", `${done} is more than total ${total}`);
  const stem = command.stem === undefined ? undefined : requireName(command.stem, "stem");
  requireRunning(session, renderId);
  return [sessionEvent("RenderProgress", { renderId, done, total, ...(stem !== undefined && { stem }) })];
}

export function decideRecordRenderCompleted(session: Session, command: RecordRenderCompleted): SessionEvent[] {
  const renderId = requireId(command.renderId, "renderId");
  const deliverables = requireList(command.deliverables, "deliverables").map((d, i) => requireDeliverable(d, `deliverables[${i}]`));
  requireDistinct(
    deliverables.map((d) => d.name),
    (i) => `deliverables[${i}].name`,
  );
  const chunksRendered = requireIntegerIn(command.chunksRendered, "chunksRendered", 0, MAX_COUNT);
  const chunksReused = requireIntegerIn(command.chunksReused, "chunksReused", 0, MAX_COUNT);
  requireStartedSet(requireRunning(session, renderId), deliverables);
  return [sessionEvent("RenderCompleted", { renderId, deliverables, chunksRendered, chunksReused })];
}

export function decideRecordRenderFailed(session: Session, command: RecordRenderFailed): SessionEvent[] {
  const renderId = requireId(command.renderId, "renderId");
  const reason = requireNonEmptyText(command.reason, "reason", MAX_REASON_LENGTH);
  requireRunning(session, renderId);
  return [sessionEvent("RenderFailed", { renderId, reason })];
}
