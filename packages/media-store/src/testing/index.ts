export { describeMediaStoreContract, type MediaStoreContractOptions, type MediaStoreContractTarget } from "./contract.ts";
export { digestStream, failingSource, generatedSource, RssProbe, readAll, sha256Hex, stallingSource } from "./sources.ts";
