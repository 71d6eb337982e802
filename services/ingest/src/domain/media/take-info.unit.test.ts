import { describe, expect, it } from "vitest";
import { takeInfoOf } from "./take-info.ts";

const ixml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><BWFXML><IXML_VERSION>2.10</IXML_VERSION>${body}</BWFXML>`;

describe("takeInfoOf", () => {
  it("reads scene, take and tape from iXML", () => {
    expect(
      takeInfoOf({ ixml: ixml("<PROJECT>Film</PROJECT><SCENE>12A</SCENE><TAKE>3</TAKE><TAPE>R21</TAPE>"), bextDescription: null }),
    ).toEqual({
      scene: "12A",
      take: "3",
      soundRoll: "R21",
    });
  });

  it("ignores the values of other files in <HISTORY> and of tracks in <TRACK_LIST>", () => {
    const doc = ixml(
      "<HISTORY><ORIGINAL_FILENAME>x.wav</ORIGINAL_FILENAME><SCENE>99</SCENE></HISTORY><TRACK_LIST><TRACK><NAME>Boom</NAME><TAKE>7</TAKE></TRACK></TRACK_LIST><SCENE>4</SCENE><TAKE>2</TAKE>",
    );
    expect(takeInfoOf({ ixml: doc, bextDescription: null })).toEqual({ scene: "4", take: "2", soundRoll: "" });
  });

  it("reads the recorders' key=value lines of the bext description", () => {
    const description = "zSPEED=023.976-ND\r\nsSCENE=101B\r\nsTAKE=05\r\nsTAPE=D04\r\nsNOTE=boom only\r\n";
    expect(takeInfoOf({ ixml: null, bextDescription: description })).toEqual({ scene: "101B", take: "05", soundRoll: "D04" });
  });

  it("prefers iXML field by field, filling what it lacks from bext", () => {
    const take = takeInfoOf({ ixml: ixml("<SCENE>7</SCENE><TAKE></TAKE>"), bextDescription: "sSCENE=8\nsTAKE=2\nsTAPE=R1" });
    expect(take).toEqual({ scene: "7", take: "2", soundRoll: "R1" });
  });

  it("decodes XML entities, strips control characters and keeps at most 100 characters", () => {
    const take = takeInfoOf({ ixml: ixml(`<SCENE>A&amp;B\u0007</SCENE><TAKE>${"9".repeat(150)}</TAKE>`), bextDescription: null });
    expect(take?.scene).toBe("A&B");
    expect(take?.take).toHaveLength(100);
  });

  it("is undefined when neither names a scene or a take", () => {
    expect(takeInfoOf({ ixml: null, bextDescription: null })).toBeUndefined();
    expect(takeInfoOf({ ixml: ixml("<TAPE>R1</TAPE>"), bextDescription: "Recorded on a 788T" })).toBeUndefined();
  });
});
