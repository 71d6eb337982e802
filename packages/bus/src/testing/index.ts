export { type EventBusContractOptions, type EventBusContractSubject, eventBusContract } from "./event-bus-contract.ts";
