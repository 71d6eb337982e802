import type { DeliveryLayout } from "./profile.ts";

/**
 * What QC needs to know of a deliverable, measured on the file as written (after dither and any encoding).
 * Loudness values are null when the programme is silent (nothing above the absolute gate).
 */
export interface DeliverableMeasurement {
  readonly integratedLufs: number | null;
  /** The programme's loudness over the dialogue stem's speech blocks; absent when there is no dialogue stem. */
  readonly dialogueGatedLufs?: number | null;
  /** Share of the programme's 100 ms blocks with speech activity in the dialogue stem, 0-100. */
  readonly dialoguePercent?: number;
  readonly loudnessRangeLu: number | null;
  readonly truePeakDbtp: number | null;
  readonly samplePeakDbfs: number | null;
  readonly sampleRateHz: number;
  readonly bitDepth: number;
  readonly layout: DeliveryLayout;
}
