// The choices of `dubstage render`'s options, apart from the proto enums: the command's definition is
// loaded for every invocation (help, parsing), which must not load gRPC.
export const LAYOUT_CHOICES = ["5.1", "stereo", "7.1"] as const;
export const OUTPUT_CHOICES = ["DX", "MX", "FX", "BG", "FOLEY", "PRINTMASTER", "ME"] as const;
