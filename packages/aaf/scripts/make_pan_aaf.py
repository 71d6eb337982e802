"""Writes a small AAF with pan and volume automation using pyaaf2 (reference tool: test fixtures only).

  make_pan_aaf.py OUT.aaf

One top-level composition at 25/1 starting at 01:00:00:00 with one audio track: the track's whole Sequence
inside a Mono Audio Pan group (ConstantValue Pan 0.25: left of centre) inside a Mono Audio Gain group whose
Amplitude is a VaryingValue (track volume automation: 1.0 at 0, 0.5 at 1/4, 0.25 at the end). The Sequence
is a 25-frame Filler, a 50-frame clip inside a Mono Audio Pan group with a VaryingValue Pan (0 at 0, 1 at
1/2, 0.5 at 1, written out of time order as OTIO does), and a 25-frame clip inside a Mono Audio Pan group
with a VaryingValue of two equal points (0.75: a constant). The clips play a master mob of nothing but a
tape source, enough for positions. Prints {"file": OUT} on stdout.
"""

import json
import sys
from fractions import Fraction

import aaf2
from aaf2.auid import AUID


def make(path):
    with aaf2.open(path, "w") as f:
        tape = f.create.SourceMob("tape")
        tape.create_tape_slots("tape", 25, 25, media_kind="sound")
        f.content.mobs.append(tape)
        master = f.create.MasterMob("pan fixture")
        master_slot = master.create_empty_sequence_slot(25, media_kind="sound")
        master_slot.segment.components.append(tape.create_source_clip(slot_id=1, start=0, length=100))
        f.content.mobs.append(master)

        comp = f.create.CompositionMob("pan fixture")
        comp.usage = "Usage_TopLevel"
        f.content.mobs.append(comp)
        tc = f.create.Timecode(25, drop=False)
        tc.start = 90000
        tc.length = 100
        comp.create_timeline_slot(25).segment = tc

        # The SMPTE-registered definitions (pyaaf2 registers none of these by itself).
        pan_def = f.create.ParameterDef(AUID("e4962322-2267-11d3-8a4c-0050040ef7d2"), "Pan", "", "Rational")
        amplitude_def = f.create.ParameterDef(AUID("e4962321-2267-11d3-8a4c-0050040ef7d2"), "Amplitude", "", "Rational")
        for definition in (pan_def, amplitude_def):
            f.dictionary.register_def(definition)
        for auid, name in (("9d2ea893-0968-11d3-8a38-0050040ef7d2", "MonoAudioPan"), ("9d2ea894-0968-11d3-8a38-0050040ef7d2", "MonoAudioGain")):
            operation = f.create.OperationDef(AUID(auid), name, "")
            operation.media_kind = "sound"
            operation.number_inputs = 1
            f.dictionary.register_def(operation)
        linear = f.create.InterpolationDef(AUID("5b6c85a4-0ede-11d3-80a9-006008143e6f"), "LinearInterp", "")
        f.dictionary.register_def(linear)

        def group(operation, length, inner, parameter):
            g = f.create.OperationGroup(operation, length, media_kind="sound")
            g.segments.append(inner)
            g.parameters.append(parameter)
            return g

        def varying(definition, points):
            v = f.create.VaryingValue(definition, "LinearInterp")
            for time, value in points:
                cp = f.create.ControlPoint()
                cp.time = time
                cp["Value"].add_pid_entry()
                cp["Value"].data = cp["Value"].typedef.encode(value, v.typedef)
                cp["Value"].mark_modified()
                v["PointList"].append(cp)  # as given: out of time order on purpose
            return v

        sequence = f.create.Sequence(media_kind="sound")
        sequence.components.append(f.create.Filler("sound", 25))
        panned = varying(pan_def, [(Fraction(1, 2), Fraction(1)), (Fraction(0), Fraction(0)), (Fraction(1), Fraction(1, 2))])
        sequence.components.append(group("MonoAudioPan", 50, master.create_source_clip(slot_id=1, start=10, length=50), panned))
        flat = varying(pan_def, [(Fraction(0), Fraction(3, 4)), (Fraction(1), Fraction(3, 4))])
        sequence.components.append(group("MonoAudioPan", 25, master.create_source_clip(slot_id=1, start=60, length=25), flat))
        sequence.length = 100

        track_pan = f.create.ConstantValue(pan_def, Fraction(1, 4))
        volume = varying(amplitude_def, [(Fraction(0), Fraction(1)), (Fraction(1, 4), Fraction(1, 2)), (Fraction(1), Fraction(1, 4))])
        segment = group("MonoAudioGain", 100, group("MonoAudioPan", 100, sequence, track_pan), volume)
        slot = comp.create_timeline_slot(25)
        slot.segment = segment
        slot.name = "A1"
    print(json.dumps({"file": path}))


if __name__ == "__main__":
    make(sys.argv[1])
