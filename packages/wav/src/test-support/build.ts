/** Builds WAV files byte by byte for the parser tests, independent of the writer under test. */
export class Bytes {
  private readonly parts: number[] = [];
  ascii(s: string): this {
    for (const ch of s) this.parts.push(ch.charCodeAt(0));
    return this;
  }
  u8(...values: number[]): this {
    this.parts.push(...values);
    return this;
  }
  u16(v: number): this {
    return this.u8(v & 0xff, (v >>> 8) & 0xff);
  }
  u32(v: number): this {
    return this.u8(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  u64(v: bigint): this {
    return this.u32(Number(v & 0xffffffffn)).u32(Number(v >> 32n));
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A 16-byte PCM fmt body. */
export function pcmFmt(
  b: Bytes,
  channels: number,
  sampleRate: number,
  bits: number,
  tag = 1,
  blockAlign = channels * Math.ceil(bits / 8),
): Bytes {
  return b
    .ascii("fmt ")
    .u32(16)
    .u16(tag)
    .u16(channels)
    .u32(sampleRate)
    .u32(sampleRate * blockAlign)
    .u16(blockAlign)
    .u16(bits);
}

/** A minimal RIFF file: header, a 16-byte fmt, and a data chunk holding `data`; `riffSize` is computed unless given. */
export function simpleWav(
  options: { channels?: number; bits?: number; tag?: number; data?: number[]; blockAlign?: number; dataSize?: number } = {},
): Uint8Array {
  const channels = options.channels ?? 1;
  const bits = options.bits ?? 16;
  const data = options.data ?? [0, 0, 1, 0];
  const body = pcmFmt(new Bytes(), channels, 48000, bits, options.tag ?? 1, options.blockAlign);
  body
    .ascii("data")
    .u32(options.dataSize ?? data.length)
    .u8(...data);
  if (data.length % 2 === 1) body.u8(0);
  return new Bytes()
    .ascii("RIFF")
    .u32(4 + body.length)
    .ascii("WAVE")
    .u8(...body.bytes())
    .bytes();
}
