// The subscription's parts live in ./subscription/; this file keeps the import path of the public API.
export { describeStall, type HorizonStall } from "./subscription/horizon-stall.ts";
export type { PostgresSubscribeOptions } from "./subscription/options.ts";
export { PostgresSubscription } from "./subscription/postgres-subscription.ts";
