import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** The trailer that carries a serialized `google.rpc.Status` with rich error details. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";
export const ERROR_INFO_TYPE_URL = "type.googleapis.com/google.rpc.ErrorInfo";

/** `google.rpc.ErrorInfo`: a machine-readable reason, the domain that defines it, and string context. */
export interface ErrorInfo {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** `google.rpc.Status` restricted to what we read: code, message and the ErrorInfo details among `details`. */
export interface RichStatus {
  readonly code: number;
  readonly message: string;
  readonly errorInfos: readonly ErrorInfo[];
}

// Hand-written wire codec for three tiny, frozen Google messages; a generated dependency would be larger
// than the code. Field numbers: Status{code=1,message=2,details=3}, Any{type_url=1,value=2},
// ErrorInfo{reason=1,domain=2,metadata=3 (map entry key=1,value=2)}.

export function encodeRichStatus(status: RichStatus): Uint8Array {
  const writer = new BinaryWriter();
  if (status.code !== 0) writer.tag(1, WireType.Varint).int32(status.code);
  if (status.message) writer.tag(2, WireType.LengthDelimited).string(status.message);
  for (const info of status.errorInfos) {
    writer.tag(3, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(ERROR_INFO_TYPE_URL);
    writer.tag(2, WireType.LengthDelimited).bytes(encodeErrorInfo(info));
    writer.join();
  }
  return writer.finish();
}

function encodeErrorInfo(info: ErrorInfo): Uint8Array {
  const writer = new BinaryWriter();
  if (info.reason) writer.tag(1, WireType.LengthDelimited).string(info.reason);
  if (info.domain) writer.tag(2, WireType.LengthDelimited).string(info.domain);
  for (const [key, value] of Object.entries(info.metadata)) {
    writer
      .tag(3, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.LengthDelimited)
      .string(key)
      .tag(2, WireType.LengthDelimited)
      .string(value)
      .join();
  }
  return writer.finish();
}

/** Decodes a `google.rpc.Status`, keeping only ErrorInfo details; other detail types are skipped. */
export function decodeRichStatus(bytes: Uint8Array): RichStatus {
  const reader = new BinaryReader(bytes);
  let code = 0;
  let message = "";
  const errorInfos: ErrorInfo[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Varint) code = reader.int32();
    else if (field === 2 && wireType === WireType.LengthDelimited) message = reader.string();
    else if (field === 3 && wireType === WireType.LengthDelimited) {
      const any = decodeAny(reader.bytes());
      if (any.typeUrl === ERROR_INFO_TYPE_URL) errorInfos.push(decodeErrorInfo(any.value));
    } else reader.skip(wireType, field);
  }
  return { code, message, errorInfos };
}

function decodeAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  const reader = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) typeUrl = reader.string();
    else if (field === 2 && wireType === WireType.LengthDelimited) value = reader.bytes();
    else reader.skip(wireType, field);
  }
  return { typeUrl, value };
}

function decodeErrorInfo(bytes: Uint8Array): ErrorInfo {
  const reader = new BinaryReader(bytes);
  let reason = "";
  let domain = "";
  const metadata: Record<string, string> = {};
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) reason = reader.string();
    else if (field === 2 && wireType === WireType.LengthDelimited) domain = reader.string();
    else if (field === 3 && wireType === WireType.LengthDelimited) {
      const entry = new BinaryReader(reader.bytes());
      let key = "";
      let value = "";
      while (entry.pos < entry.len) {
        const [f, w] = entry.tag();
        if (f === 1 && w === WireType.LengthDelimited) key = entry.string();
        else if (f === 2 && w === WireType.LengthDelimited) value = entry.string();
        else entry.skip(w, f);
      }
      metadata[key] = value;
    } else reader.skip(wireType, field);
  }
  return { reason, domain, metadata };
}
