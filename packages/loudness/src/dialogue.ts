import { InvalidLoudnessInputError } from "./errors.ts";
import {
  ABSOLUTE_GATE_LUFS,
  BLOCKS_PER_GATING_BLOCK,
  gatedLoudnessFromGatingBlocks,
  lufsToEnergy,
  slidingWindowEnergies,
} from "./gating.ts";
import type { LoudnessSegment } from "./segment.ts";

export interface DialogueGateOptions {
  /** A DX gating block is speech when its loudness is within this many LU of the DX integrated loudness. */
  readonly speechRangeLu?: number;
  /** ...and above this absolute level (LUFS). */
  readonly speechFloorLufs?: number;
  /** A block stays active this long after the last speech block (multiple of 100 ms). */
  readonly hangoverMs?: number;
  /** Also apply BS.1770's -10 LU relative gate to the programme blocks selected (default false). */
  readonly relativeGate?: boolean;
}

export const DIALOGUE_GATE_DEFAULTS: Required<DialogueGateOptions> = {
  speechRangeLu: 15,
  speechFloorLufs: ABSOLUTE_GATE_LUFS,
  hangoverMs: 300,
  relativeGate: false,
};

export interface DialogueGatedLoudness {
  /** Programme loudness over the speech-active gating blocks (absolute gate -70 applied); -Infinity if none. */
  readonly dialogueGatedLufs: number;
  /** BS.1770 integrated loudness of the whole programme and of the DX stem, for comparison. */
  readonly programmeIntegratedLufs: number;
  readonly dialogueIntegratedLufs: number;
  /** Gating blocks marked speech-active (speech or hangover), of `gatingBlockCount`. */
  readonly activeBlockCount: number;
  readonly gatingBlockCount: number;
  /** activeBlockCount / gatingBlockCount (0 when there are no gating blocks). */
  readonly speechFraction: number;
  /** Speech-active flag per 400 ms gating block j (block j starts at j * 100 ms). */
  readonly active: Uint8Array;
}

/** 100 ms block energies, a segment, or a meter (anything with `segment()`). */
export type BlockSource = Float64Array | LoudnessSegment | { segment(): LoudnessSegment };

const blocksOf = (x: BlockSource): Float64Array => (x instanceof Float64Array ? x : "segment" in x ? x.segment().blocks : x.blocks);

/**
 * "Dialogue-gated programme loudness" (a documented, simple definition; NOT Dolby Dialogue Intelligence,
 * which is closed): the BS.1770 power mean of the programme's 400 ms gating blocks (100 ms hop, absolute
 * gate -70 LUFS) over only those blocks where the DX stem shows speech activity. Gating block j of the DX
 * stem is speech when its loudness is above `speechFloorLufs` and above (DX integrated - `speechRangeLu`);
 * a block is active when it, or one of the `hangoverMs / 100` blocks before it, is speech. Both inputs are
 * 100 ms block mean squares from the same start (or segments, or meters), of equal length.
 */
export function dialogueGatedLoudness(
  programme: BlockSource,
  dialogue: BlockSource,
  options: DialogueGateOptions = {},
): DialogueGatedLoudness {
  const o = { ...DIALOGUE_GATE_DEFAULTS, ...options };
  if (!Number.isInteger(o.hangoverMs / 100) || o.hangoverMs < 0) {
    throw new InvalidLoudnessInputError(`hangover ${o.hangoverMs} ms is not a non-negative multiple of 100 ms`, "hangoverMs");
  }
  const pBlocks = blocksOf(programme);
  const dBlocks = blocksOf(dialogue);
  if (pBlocks.length !== dBlocks.length) {
    throw new InvalidLoudnessInputError(`programme has ${pBlocks.length} blocks of 100 ms, dialogue ${dBlocks.length}`, "dialogue");
  }
  const pGating = slidingWindowEnergies(pBlocks, BLOCKS_PER_GATING_BLOCK);
  const dGating = slidingWindowEnergies(dBlocks, BLOCKS_PER_GATING_BLOCK);
  const dx = gatedLoudnessFromGatingBlocks(dGating);
  const n = pGating.length;
  const active = new Uint8Array(n);
  const hang = o.hangoverMs / 100;
  let activeCount = 0;
  if (Number.isFinite(dx.integratedLufs)) {
    const threshold = Math.max(lufsToEnergy(o.speechFloorLufs), lufsToEnergy(dx.integratedLufs - o.speechRangeLu));
    let lastSpeech = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (dGating[j]! > threshold) lastSpeech = j;
      if (j - lastSpeech <= hang) {
        active[j] = 1;
        activeCount++;
      }
    }
  }
  const gated = gatedLoudnessFromGatingBlocks(pGating, active, o.relativeGate);
  return {
    dialogueGatedLufs: gated.integratedLufs,
    programmeIntegratedLufs: gatedLoudnessFromGatingBlocks(pGating).integratedLufs,
    dialogueIntegratedLufs: dx.integratedLufs,
    activeBlockCount: activeCount,
    gatingBlockCount: n,
    speechFraction: n > 0 ? activeCount / n : 0,
    active,
  };
}
