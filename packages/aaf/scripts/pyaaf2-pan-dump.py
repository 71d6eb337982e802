"""Dumps each AAF file's track pan as pyaaf2 reads it, as JSON on stdout: the oracle of the resolver's pan
cross-check. Usage: $DUBSTAGE_PYTHON pyaaf2-pan-dump.py FILE... -> {file: {compositions: [...]}}.

For every CompositionMob: its name and, per timeline slot whose segment is sound, the first Pan parameter
of the Mono Audio Pan groups in the chain of OperationGroups that is the slot's segment (LibAAF's "track
level"): {"constant": [num, den]} or {"points": [[time num, den, value num, den], ...]} in the file's order,
or null. A file pyaaf2 cannot open maps to {"error": "..."}."""
import json
import sys

import aaf2

MONO_AUDIO_PAN = "9d2ea893-0968-11d3-8a38-0050040ef7d2"
PAN = "e4962322-2267-11d3-8a4c-0050040ef7d2"


def rational(value):
    return [int(value.numerator), int(value.denominator)]


def track_pan(segment):
    while segment is not None and segment.classdef.class_name == "OperationGroup":
        # AAF 1.0 files (the SDK's RealWorldSample) name the property OperationDefinition.
        operation = segment.getvalue("Operation") or segment.getvalue("OperationDefinition")
        if operation is not None and str(operation.auid) == MONO_AUDIO_PAN:
            for parameter in segment.getvalue("Parameters") or []:
                if str(parameter.getvalue("Definition")) != PAN:
                    continue
                if parameter.classdef.class_name == "ConstantValue":
                    return {"constant": rational(parameter["Value"].value)}
                points = [rational(p["Time"].value) + rational(p["Value"].value) for p in parameter.getvalue("PointList") or []]
                return {"points": points}
        inputs = segment.getvalue("InputSegments") or []
        segment = inputs[0] if inputs else None
    return None


def dump(path):
    with aaf2.open(path, "r") as f:
        compositions = []
        for mob in f.content.compositionmobs():
            tracks = []
            for slot in mob.slots:
                segment = slot.getvalue("Segment")
                if slot.classdef.class_name != "TimelineMobSlot" or segment is None or segment.media_kind not in ("Sound", "LegacySound"):
                    continue
                tracks.append(track_pan(segment))
            compositions.append({"name": mob.name, "tracks": tracks})
        return {"compositions": compositions}


if __name__ == "__main__":
    out = {}
    for path in sys.argv[1:]:
        try:
            out[path] = dump(path)
        except Exception as error:  # the oracle reports, the test decides
            out[path] = {"error": "%s: %s" % (type(error).__name__, error)}
    json.dump(out, sys.stdout)
