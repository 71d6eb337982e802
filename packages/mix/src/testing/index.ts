export { createGeneratorMediaReader, type MediaGenerator, type ReadStats, tableGenerator } from "./generator-media-reader.ts";
