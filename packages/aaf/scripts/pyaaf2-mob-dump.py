"""Dumps each AAF file's mobs as pyaaf2 reads them, as JSON on stdout: the oracle the object layer's
cross-check test compares with. Usage: $DUBSTAGE_PYTHON pyaaf2-mob-dump.py FILE... -> {file: {mobs: [...]}}.
A file pyaaf2 cannot open maps to {"error": "..."}."""
import json
import sys

import aaf2


def segment_summary(segment):
    if segment is None:
        return None, None
    components = segment.getvalue("Components")
    count = len(components) if components is not None else None
    return segment.classdef.class_name, count


def dump(path):
    with aaf2.open(path, "r") as f:
        mobs = []
        for mob in f.content.mobs:
            slots = []
            for slot in mob.slots:
                rate = slot.getvalue("EditRate")
                segment_class, count = segment_summary(slot.getvalue("Segment"))
                slots.append({
                    "slotId": slot.getvalue("SlotID"),
                    "editRate": None if rate is None else "%d/%d" % (rate.numerator, rate.denominator),
                    "segmentClass": segment_class,
                    "componentCount": count,
                })
            mobs.append({
                "mobId": mob.mob_id.bytes_le.hex(),
                "className": mob.classdef.class_name,
                "name": mob.getvalue("Name"),
                "slots": slots,
            })
        return {"mobs": mobs}


def main():
    out = {}
    for path in sys.argv[1:]:
        try:
            out[path] = dump(path)
        except Exception as e:  # an oracle failure is reported, not fatal
            out[path] = {"error": "%s: %s" % (type(e).__name__, e)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
