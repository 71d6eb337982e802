import type { Clip } from "./model.ts";

// The clips of one track ordered by (position, clipId): a persistent AVL tree, so a state and the state
// after an edit share all but O(log n) nodes, and every lookup, insert and delete is O(log n) worst case.
// Like the clip-id index it lives outside the state (keyed by the identity of the track's clip map), so the
// state stays plain data. A draft edits nodes it created in place (nodes carry the draft's edit token), so
// a batch allocates each path once rather than once per event; nodes of a finished state are never
// written again, since no later draft holds their token.

export interface TimelineEntry {
  readonly clipId: string;
  readonly position: number;
  readonly length: number;
}

interface TimelineNode extends TimelineEntry {
  left: TimelineNode | null;
  right: TimelineNode | null;
  height: number;
  readonly edit: object | null;
}

/** Tree nodes visited by lookups and edits: the unit test's proof that each check is O(log n). */
export const timelineIndexCounters = { visits: 0 };

function height(node: TimelineNode | null): number {
  return node === null ? 0 : node.height;
}

function compare(position: number, clipId: string, node: TimelineEntry): number {
  if (position !== node.position) return position < node.position ? -1 : 1;
  return clipId === node.clipId ? 0 : clipId < node.clipId ? -1 : 1;
}

function node(entry: TimelineEntry, left: TimelineNode | null, right: TimelineNode | null, edit: object | null): TimelineNode {
  return {
    clipId: entry.clipId,
    position: entry.position,
    length: entry.length,
    left,
    right,
    height: Math.max(height(left), height(right)) + 1,
    edit,
  };
}

/** The node with new children: edited in place when this draft made it, else copied. */
function withChildren(n: TimelineNode, left: TimelineNode | null, right: TimelineNode | null, edit: object): TimelineNode {
  if (n.edit !== edit) return node(n, left, right, edit);
  n.left = left;
  n.right = right;
  n.height = Math.max(height(left), height(right)) + 1;
  return n;
}

function balance(n: TimelineNode, edit: object): TimelineNode {
  const diff = height(n.left) - height(n.right);
  if (diff > 1) {
    let l = n.left as TimelineNode;
    if (height(l.left) < height(l.right)) {
      const lr = l.right as TimelineNode;
      l = withChildren(lr, withChildren(l, l.left, lr.left, edit), lr.right, edit);
    }
    return withChildren(l, l.left, withChildren(n, l.right, n.right, edit), edit);
  }
  if (diff < -1) {
    let r = n.right as TimelineNode;
    if (height(r.right) < height(r.left)) {
      const rl = r.left as TimelineNode;
      r = withChildren(rl, rl.left, withChildren(r, rl.right, r.right, edit), edit);
    }
    return withChildren(r, withChildren(n, n.left, r.left, edit), r.right, edit);
  }
  return withChildren(n, n.left, n.right, edit);
}

function insert(n: TimelineNode | null, entry: TimelineEntry, edit: object): TimelineNode {
  if (n === null) return node(entry, null, null, edit);
  timelineIndexCounters.visits++;
  const c = compare(entry.position, entry.clipId, n);
  if (c === 0) return n.edit === edit ? Object.assign(n, { length: entry.length }) : node(entry, n.left, n.right, edit);
  return c < 0
    ? balance(withChildren(n, insert(n.left, entry, edit), n.right, edit), edit)
    : balance(withChildren(n, n.left, insert(n.right, entry, edit), edit), edit);
}

function removeMin(n: TimelineNode, edit: object): { min: TimelineNode; rest: TimelineNode | null } {
  timelineIndexCounters.visits++;
  if (n.left === null) return { min: n, rest: n.right };
  const { min, rest } = removeMin(n.left, edit);
  return { min, rest: balance(withChildren(n, rest, n.right, edit), edit) };
}

function remove(n: TimelineNode | null, position: number, clipId: string, edit: object): TimelineNode | null {
  if (n === null) return null;
  timelineIndexCounters.visits++;
  const c = compare(position, clipId, n);
  if (c < 0) return balance(withChildren(n, remove(n.left, position, clipId, edit), n.right, edit), edit);
  if (c > 0) return balance(withChildren(n, n.left, remove(n.right, position, clipId, edit), edit), edit);
  if (n.left === null) return n.right;
  if (n.right === null) return n.left;
  const { min, rest } = removeMin(n.right, edit);
  return balance(node(min, n.left, rest, edit), edit);
}

function build(entries: readonly TimelineEntry[], from: number, to: number): TimelineNode | null {
  if (from >= to) return null;
  const mid = (from + to) >>> 1;
  return node(entries[mid] as TimelineEntry, build(entries, from, mid), build(entries, mid + 1, to), null);
}

/** An immutable ordered set of a track's clips; edits return a new index sharing unchanged nodes. */
export class TimelineIndex {
  readonly #root: TimelineNode | null;

  private constructor(root: TimelineNode | null) {
    this.#root = root;
  }

  /** Sorts once: O(n log n), for states built without a draft (e.g. from a snapshot). */
  static fromClips(clips: Iterable<Clip>): TimelineIndex {
    const entries = [...clips].map(entryOf);
    entries.sort((a, b) => compare(a.position, a.clipId, b));
    return new TimelineIndex(build(entries, 0, entries.length));
  }

  /** Adds or replaces the entry; `edit` is the token of the draft doing it. */
  with(entry: TimelineEntry, edit: object): TimelineIndex {
    return new TimelineIndex(insert(this.#root, entry, edit));
  }

  without(entry: TimelineEntry, edit: object): TimelineIndex {
    return new TimelineIndex(remove(this.#root, entry.position, entry.clipId, edit));
  }

  /** The last entry ordered before (position, clipId); clipId "" means before every clip at that position. */
  before(position: number, clipId = ""): TimelineEntry | undefined {
    let found: TimelineNode | null = null;
    for (let n = this.#root; n !== null; ) {
      timelineIndexCounters.visits++;
      if (compare(position, clipId, n) > 0) {
        found = n;
        n = n.right;
      } else n = n.left;
    }
    return found ?? undefined;
  }

  /** The first entry ordered after (position, clipId). */
  after(position: number, clipId: string): TimelineEntry | undefined {
    let found: TimelineNode | null = null;
    for (let n = this.#root; n !== null; ) {
      timelineIndexCounters.visits++;
      if (compare(position, clipId, n) < 0) {
        found = n;
        n = n.left;
      } else n = n.right;
    }
    return found ?? undefined;
  }

  /** Entries ordered after (position, clipId), in timeline order: O(log n) to the first, then O(1) each. */
  *entriesAfter(position: number, clipId: string): Generator<TimelineEntry> {
    const stack: TimelineNode[] = [];
    for (let n = this.#root; n !== null; ) {
      timelineIndexCounters.visits++;
      if (compare(position, clipId, n) < 0) {
        stack.push(n);
        n = n.left;
      } else n = n.right;
    }
    while (stack.length > 0) {
      const top = stack.pop() as TimelineNode;
      yield top;
      for (let n = top.right; n !== null; n = n.left) stack.push(n);
    }
  }

  /** Entries in timeline order: O(n), no sort. */
  *entries(): Generator<TimelineEntry> {
    const stack: TimelineNode[] = [];
    for (let n = this.#root; n !== null || stack.length > 0; ) {
      if (n !== null) {
        stack.push(n);
        n = n.left;
      } else {
        const top = stack.pop() as TimelineNode;
        yield top;
        n = top.right;
      }
    }
  }
}

export function entryOf(clip: Clip): TimelineEntry {
  return { clipId: clip.clipId, position: clip.position, length: clip.length };
}

/** A track's index as a draft keeps it: the draft replaces `index` as it edits the map it owns. */
export interface TimelineHolder {
  index: TimelineIndex;
}

const timelines = new WeakMap<ReadonlyMap<string, Clip>, TimelineHolder>();

/** The timeline index of a track's clip map, built on first use for maps no draft made. */
export function timelineOf(clips: ReadonlyMap<string, Clip>): TimelineIndex {
  let holder = timelines.get(clips);
  if (holder === undefined) {
    holder = { index: TimelineIndex.fromClips(clips.values()) };
    timelines.set(clips, holder);
  }
  return holder.index;
}

/** The timeline of a clip map as it is now, for a draft to keep in step with its own copy of that map. */
export function timelineHolderFor(copy: ReadonlyMap<string, Clip>, original: ReadonlyMap<string, Clip>): TimelineHolder {
  const holder = { index: timelineOf(original) };
  timelines.set(copy, holder);
  return holder;
}
