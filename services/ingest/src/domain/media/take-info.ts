import type { TakeInfo } from "@dubstage/session/domain";

// Production sound metadata carried by a recorder's BWF: scene, take and sound roll, for the alternate-take
// index (the dialogue service) and for the editor reading a clip. Two conventions exist, and recorders
// write both: iXML (`<SCENE>`, `<TAKE>`, `<TAPE>` at the top level of `<BWFXML>`) and `key=value` lines in
// the bext description (`sSCENE=12A`, `sTAKE=3`, `sTAPE=R21`: Sound Devices, Zaxcom, Aaton). iXML wins
// where both give a field: it is the richer, later standard.

/** The session's own limit on each field (`requireTake`). */
const MAX_FIELD = 100;

/** The take named by a BWF's iXML and/or bext description; undefined when neither names a scene or take. */
export function takeInfoOf(metadata: { readonly ixml: string | null; readonly bextDescription: string | null }): TakeInfo | undefined {
  const ixml = metadata.ixml === null ? undefined : ixmlTake(metadata.ixml);
  const bext = metadata.bextDescription === null ? undefined : bextTake(metadata.bextDescription);
  const scene = ixml?.scene || bext?.scene || "";
  const take = ixml?.take || bext?.take || "";
  const soundRoll = ixml?.soundRoll || bext?.soundRoll || "";
  if (scene === "" && take === "") return undefined;
  return { scene, take, soundRoll };
}

function ixmlTake(ixml: string): TakeInfo {
  // Only the document's own fields: <HISTORY> and <TRACK_LIST> hold other files' and tracks' values.
  const top = ixml.replace(/<(HISTORY|TRACK_LIST|SYNC_POINT_LIST|BEXT|USER)\b[\s\S]*?<\/\1>/gi, "");
  const field = (tag: string) => clean(new RegExp(`<${tag}>([^<]*)</${tag}>`, "i").exec(top)?.[1]);
  return { scene: field("SCENE"), take: field("TAKE"), soundRoll: field("TAPE") };
}

function bextTake(description: string): TakeInfo {
  const values = new Map<string, string>();
  for (const line of description.split(/[\r\n]+/)) {
    const match = /^\s*([a-zA-Z])?([A-Z]+)=(.*)$/.exec(line);
    if (match?.[2] !== undefined) values.set(match[2], match[3] ?? "");
  }
  return { scene: clean(values.get("SCENE")), take: clean(values.get("TAKE")), soundRoll: clean(values.get("TAPE")) };
}

/** Trimmed, XML entities decoded, control characters dropped, at most the session's limit. */
function clean(value: string | undefined): string {
  if (value === undefined) return "";
  const decoded = value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return [...decoded.replace(/[\u0000-\u001f\u007f]/g, "").trim()].slice(0, MAX_FIELD).join("");
}
