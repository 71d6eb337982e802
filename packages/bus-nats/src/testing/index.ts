export { createRelayTestBed, eventually, type RelayTestBed, testEvent } from "./relay-test-bed.ts";
