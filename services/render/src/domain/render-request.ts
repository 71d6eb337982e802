import { createHash } from "node:crypto";
import { MIX_OUTPUTS, type MixOutput, OUTPUT_LAYOUTS, type OutputLayout } from "@dubstage/mix";
import { InvalidRenderRequestError } from "./errors.ts";

/** What a render is asked to make. The same request always yields the same id and the same bytes. */
export interface RenderRequest {
  readonly sessionId: string;
  /** The exact version rendered: never "latest". */
  readonly sessionVersion: number;
  readonly profileId: string;
  readonly layout: OutputLayout;
  readonly chunkSeconds: number;
  /** In MIX_OUTPUTS order, without repeats. */
  readonly outputs: readonly MixOutput[];
}

export const DEFAULT_CHUNK_SECONDS = 30;
const MAX_CHUNK_SECONDS = 600;

/** Checks a request field by field and puts its outputs in canonical order. */
export function normaliseRenderRequest(input: {
  sessionId: string;
  sessionVersion: number;
  profileId: string;
  layout?: OutputLayout | undefined;
  chunkSeconds?: number | undefined;
  outputs?: readonly string[] | undefined;
}): RenderRequest {
  if (typeof input.sessionId !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(input.sessionId)) {
    throw new InvalidRenderRequestError(`must be a session id (got ${JSON.stringify(input.sessionId)})`, "sessionId");
  }
  if (!Number.isSafeInteger(input.sessionVersion) || input.sessionVersion < 1) {
    throw new InvalidRenderRequestError(
      `must be the exact session version to render, 1 or more (got ${input.sessionVersion})`,
      "sessionVersion",
    );
  }
  if (typeof input.profileId !== "string" || input.profileId === "")
    throw new InvalidRenderRequestError("must name a delivery profile", "profileId");
  const layout = input.layout ?? "5.1";
  if (!OUTPUT_LAYOUTS.includes(layout)) throw new InvalidRenderRequestError(`must be one of ${OUTPUT_LAYOUTS.join(", ")}`, "layout");
  const chunkSeconds = input.chunkSeconds === undefined || input.chunkSeconds === 0 ? DEFAULT_CHUNK_SECONDS : input.chunkSeconds;
  if (!Number.isInteger(chunkSeconds) || chunkSeconds < 1 || chunkSeconds > MAX_CHUNK_SECONDS) {
    throw new InvalidRenderRequestError(
      `must be a whole number of seconds from 1 to ${MAX_CHUNK_SECONDS} (got ${chunkSeconds})`,
      "chunkSeconds",
    );
  }
  const wanted = input.outputs === undefined || input.outputs.length === 0 ? MIX_OUTPUTS : input.outputs;
  for (const o of wanted) {
    if (!MIX_OUTPUTS.includes(o as MixOutput))
      throw new InvalidRenderRequestError(`${JSON.stringify(o)} is not one of ${MIX_OUTPUTS.join(", ")}`, "outputs");
  }
  const outputs = MIX_OUTPUTS.filter((o) => wanted.includes(o));
  return { sessionId: input.sessionId, sessionVersion: input.sessionVersion, profileId: input.profileId, layout, chunkSeconds, outputs };
}

/** The render's id: a hash of the request, so asking again finds the same render (and a queue id: [A-Za-z0-9_=-]). */
export function renderIdOf(request: RenderRequest): string {
  const digest = createHash("sha256").update(JSON.stringify(request)).digest("hex");
  return `r${digest.slice(0, 31)}`;
}

const LAYOUT_NAMES: Readonly<Record<OutputLayout, string>> = { STEREO: "2.0", "5.1": "5.1", "7.1": "7.1" };
const OUTPUT_NAMES: Readonly<Record<MixOutput, string>> = {
  DX: "DX",
  MX: "MX",
  FX: "FX",
  BG: "BG",
  FOLEY: "Foley",
  PRINTMASTER: "printmaster",
  ME: "M&E",
};

/** A deliverable's name as the session records it: "printmaster 5.1", "DX 5.1", "M&E 2.0". */
export function deliverableName(output: MixOutput, layout: OutputLayout): string {
  return `${OUTPUT_NAMES[output]} ${LAYOUT_NAMES[layout]}`;
}

export function layoutName(layout: OutputLayout): string {
  return LAYOUT_NAMES[layout];
}
