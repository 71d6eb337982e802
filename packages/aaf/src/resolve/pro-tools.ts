import type { Application } from "@dubstage/interchange";
import type { ResolvedTrack } from "./model.ts";

export interface ProToolsOptions {
  /** Replace Pro Tools' rendered fade clips by real fades and crossfades on the clips they join. */
  readonly ptTrueFades?: boolean;
  /** Remove Pro Tools' "Sample accurate edit" clips (rendered slivers of at most a frame). */
  readonly ptRemoveSae?: boolean;
}

export function isProTools(app: Application): boolean {
  return /pro ?tools/i.test(app.product ?? "");
}

export function applyProToolsOptions(track: ResolvedTrack, _options: ProToolsOptions): ResolvedTrack {
  return track;
}
