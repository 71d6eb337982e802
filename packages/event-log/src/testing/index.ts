export { newTestEvent, newTestEvents, testMetadata, testStreamId } from "./event-fixtures.ts";
export { type ContractFactory, type ContractSubject, eventLogContract } from "./event-log-contract.ts";
