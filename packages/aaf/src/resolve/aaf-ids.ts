/**
 * SMPTE-registered AUIDs the resolver compares against (data, operation, parameter and interpolation
 * definitions, mob usage codes), in the object layer's string form.
 */
export const DATA_DEF = {
  sound: ["01030202-0200-0000-060e-2b3404010101", "78e1ebe1-6cef-11d2-807d-006008143e6f"],
  picture: ["01030202-0100-0000-060e-2b3404010101", "6f3c8ce1-6cef-11d2-807d-006008143e6f"],
  timecode: ["01030201-0100-0000-060e-2b3404010101", "7f275e81-77e5-11d2-807f-006008143e6f"],
  descriptiveMetadata: ["01030201-1000-0000-060e-2b3404010101"],
} as const;

export const OPERATION = {
  monoAudioDissolve: "0c3bea41-fc05-11d2-8a29-0050040ef7d2",
  audioChannelCombiner: "6b46dd7a-132d-4856-ab21-8b751d8462ec",
  monoAudioGain: "9d2ea894-0968-11d3-8a38-0050040ef7d2",
  monoAudioPan: "9d2ea893-0968-11d3-8a38-0050040ef7d2",
} as const;

export const PARAMETER = {
  amplitude: "e4962321-2267-11d3-8a4c-0050040ef7d2",
  level: "e4962320-2267-11d3-8a4c-0050040ef7d2",
  pan: "e4962322-2267-11d3-8a4c-0050040ef7d2",
} as const;

export const INTERPOLATION = {
  linear: "5b6c85a4-0ede-11d3-80a9-006008143e6f",
  power: "c09153f7-bd18-4e5a-ad09-cbdd654fa001",
} as const;

export const USAGE = {
  topLevel: "0d010102-0101-0700-060e-2b3404010101",
  subClip: "0d010102-0101-0500-060e-2b3404010101",
  adjustedClip: "0d010102-0101-0600-060e-2b3404010101",
} as const;

export const EDIT_PROTOCOL = "0d011201-0100-0000-060e-2b3404010105";
