import type { ByteSource } from "@dubstage/aaf";

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// Bento's label magic, in the 24-byte label at the end of an OMF file.
const BENTO_MAGIC = [0xa4, 0x43, 0x4d, 0xa5, 0x48, 0x64, 0x72, 0xd7];

export type SniffedFormat = { readonly kind: "aaf" | "omf" } | { readonly kind: "unknown"; readonly reason: string };

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** Which reader a file needs, from its first bytes (Compound File) or its last 24 (Bento label). */
export async function sniffInterchangeFormat(source: ByteSource): Promise<SniffedFormat> {
  if (source.size < 24) return { kind: "unknown", reason: `only ${source.size} bytes` };
  if (startsWith(await source.read(0, 8), CFB_SIGNATURE)) return { kind: "aaf" };
  const label = await source.read(source.size - 24, 24);
  if (startsWith(label, BENTO_MAGIC)) return { kind: "omf" };
  const head = [...(await source.read(0, 8))].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return { kind: "unknown", reason: `it starts with ${head}, neither a Compound File nor an OMF Bento label at its end` };
}
