import { describe, expect, it } from "vitest";
import { AafFormatError } from "./errors.ts";
import { openAafObjects } from "./open-aaf-objects.ts";
import { StoredForm } from "./stored-forms.ts";
import { type MemoryNode, memoryStorageTree, propertiesStream, u32s, utf16z } from "./test-support/memory-storage-tree.ts";

const props = (entries: [number, number, Uint8Array][]): MemoryNode => ({ name: "properties", bytes: propertiesStream(entries) });
/** A root whose Header (pid 2) is `header`. */
const file = (header: MemoryNode[], extraRoot: MemoryNode[] = []): MemoryNode => ({
  name: "Root Entry",
  children: [props([[2, StoredForm.strongRef, utf16z("Header-2")]]), { name: "Header-2", children: header }, ...extraRoot],
});

async function failure(root: MemoryNode, limits = {}): Promise<AafFormatError> {
  const error = await openAafObjects(memoryStorageTree(root), limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AafFormatError);
  return error as AafFormatError;
}

describe("object layer on hostile storage trees", () => {
  it("keeps properties it cannot name as raw pid + bytes, and a weak reference to nothing stays unresolved", async () => {
    const weak = new Uint8Array([0, 0, 0x01, 0x15, 16, ...new Uint8Array(16).fill(7)]);
    const f = await openAafObjects(
      memoryStorageTree(
        file([
          props([
            [0x8001, StoredForm.data, new Uint8Array([1, 2, 3])],
            [0x8002, StoredForm.weakRef, weak],
          ]),
        ]),
      ),
    );
    expect(f.header.rawProperties().map((p) => [p.pid, p.storedForm])).toEqual([
      [0x8001, "data"],
      [0x8002, "weakRef"],
    ]);
    const ref = f.header.getByPid(0x8002);
    expect(ref?.kind === "weakRef" && ref.value.target).toBeUndefined();
    expect(f.mobs.size).toBe(0);
  });

  it("rejects a file without a Header", async () => {
    const e = await failure({ name: "Root Entry", children: [props([])] });
    expect(e.message).toMatch(/no Header/);
  });

  it("rejects an object storage without a properties stream", async () => {
    const e = await failure(file([]));
    expect(e.message).toContain("/Header-2");
    expect(e.message).toMatch(/no `properties` stream/);
  });

  it("rejects a properties table longer than its stream, naming the offset", async () => {
    const bytes = propertiesStream([[0x8001, StoredForm.data, new Uint8Array(4)]]);
    bytes[2] = 50; // claims 50 entries
    const e = await failure(file([{ name: "properties", bytes }]));
    expect(e.path).toBe("/Header-2/properties");
    expect(e.offset).toBe(4);
  });

  it("rejects a value length past the end of the stream", async () => {
    const bytes = propertiesStream([[0x8001, StoredForm.data, new Uint8Array(4)]]);
    bytes[8] = 0xff; // value length 255
    const e = await failure(file([{ name: "properties", bytes }]));
    expect(e.message).toMatch(/value of property 0x8001/);
    expect(e.offset).toBe(10);
  });

  it("rejects a big-endian properties stream", async () => {
    const bytes = propertiesStream([]);
    bytes[0] = 0x42;
    expect((await failure(file([{ name: "properties", bytes }]))).message).toMatch(/big-endian/);
  });

  it("rejects a strong reference to a missing child storage", async () => {
    const e = await failure(file([props([[0x3b03, StoredForm.strongRef, utf16z("Content-3b03")]])]));
    expect(e.message).toMatch(/strong reference "Content-3b03" is missing from \/Header-2/);
  });

  it("rejects a vector without its index stream, and an index whose count exceeds its bytes", async () => {
    const vector = props([[0x3b06, StoredForm.strongRefVector, utf16z("List-3b06")]]);
    expect((await failure(file([vector]))).message).toMatch(/vector index "List-3b06 index"/);
    const huge = await failure(file([vector, { name: "List-3b06 index", bytes: u32s(0xffffffff, 0, 0) }]));
    expect(huge.path).toBe("/Header-2/List-3b06 index");
    expect(huge.message).toMatch(/4294967295 vector keys/);
  });

  it("rejects a set index with a key size that runs past the stream", async () => {
    const set = props([[0x1901, StoredForm.strongRefSet, utf16z("Mobs-1901")]]);
    const index = new Uint8Array([...u32s(2, 0, 0), 0x01, 0x44, 32]);
    expect((await failure(file([set, { name: "Mobs-1901 index", bytes: index }]))).message).toMatch(/2 set entries of 40 bytes/);
  });

  it("stops at the depth limit", async () => {
    let node: MemoryNode = { name: "Child-8001", children: [props([])] };
    for (let i = 0; i < 20; i++)
      node = { name: "Child-8001", children: [props([[0x8001, StoredForm.strongRef, utf16z("Child-8001")]]), node] };
    const e = await failure(file([props([[0x8001, StoredForm.strongRef, utf16z("Child-8001")]]), node]), { maxDepth: 10 });
    expect(e.message).toMatch(/deeper than 10 levels/);
  });

  it("detects a storage that contains itself (a cycle a hostile directory can make)", async () => {
    const tree = memoryStorageTree(file([props([[0x8001, StoredForm.strongRef, utf16z("Header-2")]])]));
    const header = tree.rootNode.kids.find((k) => k.name === "Header-2");
    if (header === undefined) throw new Error("test tree has no header");
    header.kids.push(header);
    const e = await openAafObjects(tree).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AafFormatError);
    expect((e as Error).message).toMatch(/reached twice/);
  });

  it("refuses a properties stream over the size limit without reading it", async () => {
    const e = await failure(file([props([[0x8001, StoredForm.data, new Uint8Array(5000)]])]), { maxPropertyStreamBytes: 1000 });
    expect(e.message).toMatch(/larger than the 1000-byte limit/);
  });
});
