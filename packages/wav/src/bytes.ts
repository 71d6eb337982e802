/** Little-endian field access and ASCII helpers shared by the chunk parsers and writers. */

export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

export function i16(b: Uint8Array, at: number): number {
  return (u16(b, at) << 16) >> 16;
}

export function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export function u64(b: Uint8Array, at: number): bigint {
  return (BigInt(u32(b, at + 4)) << 32n) | BigInt(u32(b, at));
}

export function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** A fixed-width ASCII field: the characters up to the first NUL. */
export function asciiField(b: Uint8Array, at: number, width: number): string {
  let s = "";
  for (let i = at; i < at + width && i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}

export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function put64(b: Uint8Array, at: number, v: bigint | number): void {
  const big = BigInt(v);
  put32(b, at, Number(big & 0xffffffffn));
  put32(b, at + 4, Number((big >> 32n) & 0xffffffffn));
}

export function putFourcc(b: Uint8Array, at: number, id: string): void {
  for (let i = 0; i < 4; i++) b[at + i] = id.charCodeAt(i);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
