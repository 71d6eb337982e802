import type { MoveClip, SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideMoveClip } from "./decide-clips.ts";
import { atCommand, SessionDomainError, SessionValidationError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import { applyEvent } from "./evolve.ts";
import type { SessionState } from "./model.ts";
import { type MoveGroup, requireGroupApart } from "./move-group.ts";
import { SessionDraft } from "./session-draft.ts";
import { requireSession } from "./timeline.ts";

export interface BatchDecision {
  readonly events: SessionEvent[];
  /** The state after the events; equal to replaying them onto the input state. */
  readonly state: SessionState;
}

/** `C` narrows the hook's command type to the batch's (e.g. EditCommand). */
export interface DecideBatchOptions<C extends SessionCommand = SessionCommand> {
  /**
   * Runs for each command after it is decided and before its events apply, with the state left by the
   * commands before it (within a group of consecutive moves, that state may have the group's clips
   * overlapping for a while: the group's overlap check runs after its last move) (e.g. a role check by `trackTypesTouchedBy(command, stateBefore)`). A command the
   * domain refuses is reported as such before the hook sees it. Throwing rejects the whole batch; a
   * SessionDomainError gets the command's `commandIndex` and `commands[i].` field prefix, any other error
   * passes through as thrown (so it should name the command itself).
   *
   * `stateBefore` is the batch's working draft: read it during the call, do not keep it, since the
   * following commands edit its maps in place.
   */
  readonly beforeApply?: (command: C, index: number, stateBefore: SessionState) => void;
  /**
   * The session's stream version as of `state`. Each command is decided at this plus the events decided
   * before it in the batch (what RecordRenderStarted's `sessionVersion` is checked against); without it a
   * RecordRenderStarted is refused.
   */
  readonly version?: number;
}

function requireCommands(commands: readonly SessionCommand[]): void {
  if (!Array.isArray(commands) || commands.length === 0) {
    throw new SessionValidationError("commands: a batch needs at least one command", "invalid-value", "commands");
  }
}

/**
 * Decides a batch atomically: each command sees the state left by the ones before it, and any error
 * rejects the whole batch (thrown with `commandIndex` and a "commands[i]." field prefix). Consecutive
 * MoveClip commands form a group whose overlap check runs on the positions after the whole group (a ripple
 * or a swap is accepted in any order; `move-group.ts`). Pure, like `decide`, as long as the hook is.
 */
export function decideBatch<C extends SessionCommand>(
  state: SessionState,
  commands: readonly C[],
  options: DecideBatchOptions<C> = {},
): BatchDecision {
  requireCommands(commands);
  const steps = decideBatchSteps(state, commands, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `decideBatch` one command at a time, for callers that must give the event loop a turn inside a large
 * batch (to notice a deadline) without losing the single draft. It yields how many commands are decided
 * so far (1 to n-1) and returns the decision; a caller that stops driving it has decided nothing.
 */
export function* decideBatchSteps<C extends SessionCommand>(
  state: SessionState,
  commands: readonly C[],
  options: DecideBatchOptions<C> = {},
): Generator<number, BatchDecision, undefined> {
  requireCommands(commands);
  // One draft for the whole batch: each touched map is copied once, not once per event.
  const draft = new SessionDraft(state);
  const events: SessionEvent[] = [];
  const { beforeApply, version } = options;
  let group: MoveGroup | undefined;
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index] as C;
    const move = isMove(command) ? command : undefined;
    if (move === undefined && group !== undefined) {
      requireGroupApart(draft.current as NonNullable<SessionState>, group);
      group = undefined;
    }
    const before = draft.current;
    try {
      const at = version === undefined ? {} : { version: version + events.length };
      const produced =
        move !== undefined ? decideMoveClip(requireSession(before), move, { checkOverlap: false }) : decide(before, command, at);
      beforeApply?.(command, index, before);
      for (const event of produced) {
        applyEvent(draft, event);
        events.push(event);
      }
      if (move !== undefined && produced.length > 0) {
        group ??= new Map();
        group.set(move.clipId, index);
      }
    } catch (error) {
      throw error instanceof SessionDomainError ? atCommand(error, index) : error;
    }
    if (index + 1 < commands.length) yield index + 1;
  }
  if (group !== undefined) requireGroupApart(draft.current as NonNullable<SessionState>, group);
  return { events, state: draft.finish() };
}

function isMove(command: SessionCommand): command is MoveClip {
  return typeof command === "object" && command !== null && command.type === "MoveClip";
}
