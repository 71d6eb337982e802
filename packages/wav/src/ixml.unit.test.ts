import { describe, expect, it } from "vitest";
import { buildIxml, parseIxml } from "./ixml.ts";

const encode = (s: string) => new TextEncoder().encode(s);

describe("parseIxml", () => {
  it("reads a recorder's track list with entities, CDATA, attributes and trailing NULs", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<BWFXML><IXML_VERSION>1.61</IXML_VERSION><PROJECT>Caf&#233; &amp; Bar</PROJECT><SCENE>12A</SCENE><TAKE>3</TAKE>
<NOTE><![CDATA[boom <off> mic]]></NOTE>
<TRACK_LIST><TRACK_COUNT>2</TRACK_COUNT>
<TRACK><CHANNEL_INDEX>1</CHANNEL_INDEX><INTERLEAVE_INDEX>1</INTERLEAVE_INDEX><NAME>Boom</NAME><FUNCTION>BOOM</FUNCTION></TRACK>
<TRACK kind="x"><CHANNEL_INDEX>2</CHANNEL_INDEX><INTERLEAVE_INDEX>2</INTERLEAVE_INDEX><NAME> Lav &lt;Anna&gt; </NAME></TRACK>
</TRACK_LIST></BWFXML>\0\0`;
    const ixml = parseIxml(encode(xml));
    expect(ixml.xml.endsWith("</BWFXML>")).toBe(true);
    expect(ixml).toMatchObject({ project: "Café & Bar", scene: "12A", take: "3", tape: undefined, note: "boom <off> mic" });
    expect(ixml.tracks).toEqual([
      { name: "Boom", channelIndex: 1, interleaveIndex: 1, function: "BOOM" },
      { name: "Lav <Anna>", channelIndex: 2, interleaveIndex: 2, function: undefined },
    ]);
  });

  it("yields no fields from text that is not iXML, without throwing", () => {
    expect(parseIxml(encode("<TRACK_LIST><TRACK><NAME>unclosed"))).toMatchObject({ tracks: [], project: undefined });
  });

  it("reads back what buildIxml writes", () => {
    const xml = buildIxml(
      { project: "A & B", tape: "T1", tracks: ["L", { name: "R", function: "RIGHT" }], timecodeRate: "24000/1001", timecodeFlag: "NDF" },
      { sampleRate: 48000, bitDepth: 24, timeReference: 2n ** 32n + 5n, channels: 2 },
    );
    const ixml = parseIxml(encode(xml));
    expect(ixml).toMatchObject({ project: "A & B", tape: "T1" });
    expect(ixml.tracks.map((t) => [t.name, t.function])).toEqual([
      ["L", undefined],
      ["R", "RIGHT"],
    ]);
    expect(xml).toContain("<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>1</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>");
    expect(xml).toContain("<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>5</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>");
    expect(xml).toContain("<TIMECODE_RATE>24000/1001</TIMECODE_RATE>");
  });
});
