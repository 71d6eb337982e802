import { authorize } from "@dubstage/auth";
import { InvalidRequestError } from "./errors.ts";
import type { SessionPage, SessionReadModel } from "./ports.ts";
import type { RequestContext } from "./request-context.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface ListSessionsInput {
  /** 0 or omitted: DEFAULT_PAGE_SIZE. */
  readonly pageSize?: number;
  /** The `nextCursor` of the previous page; empty or omitted starts at the first session. */
  readonly cursor?: string;
}

/** Lists sessions from the read model, in creation order. */
export function listSessionsUseCase(deps: { readonly readModel: SessionReadModel }) {
  return async function listSessions(input: ListSessionsInput, context: RequestContext): Promise<SessionPage> {
    authorize(context.actor, { type: "session.read" });
    const pageSize = input.pageSize ?? 0;
    if (!Number.isSafeInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidRequestError("pageSize", `must be from 0 (default ${DEFAULT_PAGE_SIZE}) to ${MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    return deps.readModel.list({
      limit: pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize,
      ...(input.cursor ? { cursor: input.cursor } : {}),
      ...(context.signal && { signal: context.signal }),
    });
  };
}
