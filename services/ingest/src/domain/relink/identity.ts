// Normalised keys for the evidence relink compares: UMIDs, file names from URIs and paths, tape names.

const HEX = /^[0-9a-f]+$/;

/** The 32-byte basic UMID of a MobID or bext UMID as 64 lowercase hex digits; null when absent, malformed or all zero. */
export function basicUmid(value: string | null): string | null {
  if (value === null) return null;
  const digits = value
    .trim()
    .toLowerCase()
    .replace(/^urn:smpte:umid:/, "")
    .replace(/[\s.:-]/g, "");
  if (!HEX.test(digits) || digits.length < 64) return null;
  const basic = digits.slice(0, 64);
  return /^0+$/.test(basic) ? null : basic;
}

/**
 * The same UMID with its material number's GUID fields byte-swapped (Data1, Data2, Data3): AAF stores the
 * material number as an AUID in GUID (little-endian) layout, a bext chunk and a URN in SMPTE byte order, and
 * writers are not consistent about converting, so both orders are tried.
 */
export function swappedMaterial(umid: string): string {
  const bytes = umid.match(/../g) as string[];
  const material = bytes.slice(16, 32);
  const swapped = [
    ...material.slice(0, 4).reverse(),
    ...material.slice(4, 6).reverse(),
    ...material.slice(6, 8).reverse(),
    ...material.slice(8),
  ];
  return [...bytes.slice(0, 16), ...swapped].join("");
}

export function umidsMatch(a: string | null, b: string | null): boolean {
  const x = basicUmid(a);
  const y = basicUmid(b);
  return x !== null && y !== null && (x === y || swappedMaterial(x) === y);
}

/** Extensions a linked audio file may have; only these are dropped, so "Take 1.L" keeps its ".L". */
const AUDIO_EXTENSIONS = /\.(wav|wave|bwf|rf64|w64|aif|aiff|aifc|caf|mxf|flac|mp3|m4a|aac|sd2|ogg|opus)$/i;

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not UTF-8 throughout: decode the sequences that are, keep the rest as written.
    return text.replace(/(%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * The last path segment of a file URI (file:///..., file://host/..., file:C:/...) or a plain POSIX, Windows
 * or UNC path, percent-decoded as UTF-8 for URIs. Null when there is none.
 */
export function baseName(uriOrPath: string): string | null {
  let path = uriOrPath.trim();
  const isUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^file:/i.test(path);
  if (isUri) {
    path = path.replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/]*)?/i, "").replace(/[?#].*$/, "");
    path = percentDecode(path);
  }
  const segments = path.split(/[/\\]/).filter((s) => s !== "");
  const last = segments[segments.length - 1];
  return last === undefined || /^[a-z]:$/i.test(last) ? null : last;
}

/** The key two file names are compared by: Unicode NFC (macOS writes NFD), case folded, audio extension dropped. */
export function fileNameKey(name: string): string {
  return name.normalize("NFC").toLowerCase().replace(AUDIO_EXTENSIONS, "").trim();
}

/** Tape names match when equal (case and surrounding spaces aside) or when one is the other cut to 8 characters (EDL and Avid limits). */
export function tapeNamesMatch(a: string | null, b: string | null): "equal" | "truncated" | false {
  if (a === null || b === null) return false;
  const x = a.normalize("NFC").trim().toUpperCase();
  const y = b.normalize("NFC").trim().toUpperCase();
  if (x === "" || y === "") return false;
  if (x === y) return "equal";
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.length === 8 && long.startsWith(short) ? "truncated" : false;
}
