export { baseName, basicUmid, fileNameKey, tapeNamesMatch, umidsMatch } from "./identity.ts";
export { type LinkedEssence, type MatchEvidence, type MediaCandidate, type RelinkResult, relinkEssences } from "./relink-essences.ts";
