export { InvalidDeliveryProfileError, UnknownDeliveryProfileError } from "./errors.ts";
export { chooseLoudness, type LoudnessChoice } from "./loudness-choice.ts";
export type { DeliverableMeasurement } from "./measurement.ts";
export { type NormalisationPlan, planNormalisation } from "./normalise.ts";
export {
  BUILT_IN_PROFILES,
  DELIVERY_LAYOUTS,
  type DeliveryLayout,
  type DeliveryProfile,
  type DialogueGatedTarget,
  deliveryProfile,
  type LoudnessMeasurement,
  type LoudnessTarget,
  parseDeliveryProfile,
} from "./profile.ts";
export { formatQcReport, type Provenance, type QcItem, type QcReport, type QcStatus, qcReport } from "./qc-report.ts";
