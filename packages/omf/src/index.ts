export { type BentoContainer, type BentoOptions, decodeCString, openBento } from "./bento/container.ts";
export { BENTO_MAGIC, type BentoLabel, decodeLabel, describeOtherFormat, isOmf, LABEL_SIZE } from "./bento/label.ts";
export { type BentoValue, parseToc, type Segment, type TocLimits } from "./bento/toc.ts";
export { NotOmfError, OmfFormatError } from "./errors.ts";
export { OmfFile, OmfObject, type OmfUid, type Rational, uidKey } from "./model/omf-file.ts";
export { type OpenedOmf, openOmf, type ReadOmfOptions, readOmf } from "./read-omf.ts";
export type { EmbeddedMedia, ResolveOptions } from "./resolve/resolve-document.ts";
