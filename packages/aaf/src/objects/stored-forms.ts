/** How a property value is stored (the "stored form" of each `properties` stream entry). */
export const StoredForm = {
  data: 0x82,
  dataStream: 0x42,
  strongRef: 0x22,
  strongRefVector: 0x32,
  strongRefSet: 0x3a,
  weakRef: 0x02,
  weakRefVector: 0x12,
  weakRefSet: 0x1a,
} as const;
