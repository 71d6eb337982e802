export { loadRelayConfig, type RelayConfig, relayConfigSchema } from "./config.ts";
export { notReadyReason, type RelayReadiness, servingStatusOf } from "./relay-readiness.ts";
export { RELAY_HEALTH_SERVICE, type RelayService, type RelayServiceDependencies, startRelayService } from "./relay-service.ts";
