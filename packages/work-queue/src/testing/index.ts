export { eventually, type WorkQueueContractSubject, workQueueContract } from "./work-queue-contract.ts";
