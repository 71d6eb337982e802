"""The peer for bench/aaf: pyaaf2 walking AAF files the way our reader resolves them.

  walk_pyaaf2.py [--chains] FILE...

For each file: every mob, every slot, every segment (recursively through sequences, operation groups,
transitions, selectors, essence groups, nested scopes), every parameter and control point, and every source
clip's reference resolved to its mob. With --chains, every source clip is also followed down its whole
source chain (master -> file -> tape mob), as our resolution must. Prints one JSON line per file with
counts and seconds, then a total line.
"""

import json
import sys
import time

import aaf2


def walk_segment(seg, counts, chains, depth=0):
    if seg is None or depth > 64:
        return
    counts["segments"] += 1
    name = type(seg).__name__
    if name == "Sequence":
        for component in seg.components:
            walk_segment(component, counts, chains, depth + 1)
    elif name == "OperationGroup":
        for parameter in seg.parameters:
            counts["parameters"] += 1
            points = getattr(parameter, "pointlist", None)
            if points is not None:
                for _point in points:
                    counts["controlPoints"] += 1
        for segment in seg.segments:
            walk_segment(segment, counts, chains, depth + 1)
    elif name == "Transition":
        walk_segment(seg.getvalue("OperationGroup"), counts, chains, depth + 1)
    elif name in ("Selector",):
        walk_segment(seg.getvalue("Selected"), counts, chains, depth + 1)
        for alternate in seg.getvalue("Alternates") or []:
            walk_segment(alternate, counts, chains, depth + 1)
    elif name == "EssenceGroup":
        for choice in seg.getvalue("Choices") or []:
            walk_segment(choice, counts, chains, depth + 1)
    elif name == "NestedScope":
        for slot in seg.getvalue("Slots") or []:
            walk_segment(slot, counts, chains, depth + 1)
    elif name == "SourceClip":
        counts["sourceClips"] += 1
        mob = seg.mob
        if mob is None:
            counts["unresolved"] += 1
        elif chains:
            follow_chain(seg, counts)


def follow_chain(clip, counts):
    current = clip
    for _ in range(16):
        mob = current.mob
        if mob is None:
            return
        counts["chainSteps"] += 1
        try:
            slot = mob.slot_at(current.slot_id)
        except (IndexError, AttributeError):
            return
        segment = slot.segment
        while type(segment).__name__ == "Sequence":
            components = list(segment.components)
            if not components:
                return
            segment = components[0]
        if type(segment).__name__ != "SourceClip":
            return
        current = segment


def walk_file(path, chains):
    counts = {"mobs": 0, "slots": 0, "segments": 0, "parameters": 0, "controlPoints": 0, "sourceClips": 0, "unresolved": 0, "chainSteps": 0}
    started = time.perf_counter()
    with aaf2.open(path, "r") as f:
        for mob in f.content.mobs:
            counts["mobs"] += 1
            for slot in mob.slots:
                counts["slots"] += 1
                walk_segment(slot.segment, counts, chains)
    return counts, time.perf_counter() - started


def main(argv):
    chains = "--chains" in argv
    files = [a for a in argv if a != "--chains"]
    total = 0.0
    failed = 0
    for path in files:
        try:
            counts, seconds = walk_file(path, chains)
            total += seconds
            print(json.dumps({"file": path, "seconds": seconds, **counts}))
        except Exception as error:  # the peer's failures are reported, not fatal: we compare what it reads
            failed += 1
            print(json.dumps({"file": path, "error": "%s: %s" % (type(error).__name__, error)}))
    print(json.dumps({"total": True, "files": len(files), "failed": failed, "seconds": total}))


if __name__ == "__main__":
    main(sys.argv[1:])
