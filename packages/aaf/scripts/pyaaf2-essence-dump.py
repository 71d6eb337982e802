"""Prints, for each AAF file, its file SourceMobs as pyaaf2 reads them, as JSON on stdout: the oracle the
essence details test compares with. Usage: $DUBSTAGE_PYTHON pyaaf2-essence-dump.py FILE...
-> {file: {"fileMobs": [{fileMobId, masterMobIds, tapeName, embeddedBytes, pcmMd5}]}} (a file pyaaf2 cannot
open maps to {"error": "..."}). Mob ids are the 32 stored bytes in hex (MobID.bytes_le). pcmMd5 is the md5 of
the embedded sample data: the raw stream for PCM descriptors, the frames Python's wave module reads for WAVE."""
import hashlib
import io
import json
import sys
import wave

import aaf2

MAX_CHAIN = 16


def first_source_clip(segment):
    if segment is None:
        return None
    name = segment.classdef.class_name
    if name == "SourceClip":
        return segment
    if name == "Sequence":
        for component in segment.components:
            clip = first_source_clip(component)
            if clip is not None:
                return clip
    return None


def slot_by_id(mob, slot_id):
    for slot in mob.slots:
        if slot.slot_id == slot_id:
            return slot
    return None


def tape_name(f, file_mob):
    mob, tape = file_mob, None
    slot = mob.slots[0] if len(mob.slots) else None
    for _ in range(MAX_CHAIN):
        clip = first_source_clip(slot.segment) if slot is not None else None
        if clip is None:
            break
        next_mob = clip.mob
        if next_mob is None or next_mob.classdef.class_name != "SourceMob" or next_mob is mob:
            break
        mob = tape = next_mob
        slot = slot_by_id(next_mob, clip["SourceMobSlotID"].value)
    return tape.name if tape is not None else None


def pcm_md5(file_mob, data):
    descriptor = file_mob.descriptor
    if descriptor.classdef.class_name == "WAVEDescriptor":
        with wave.open(io.BytesIO(data), "rb") as w:
            return hashlib.md5(w.readframes(w.getnframes())).hexdigest()
    if descriptor.classdef.class_name == "PCMDescriptor":
        return hashlib.md5(data).hexdigest()
    return None


def dump(path):
    with aaf2.open(path, "r") as f:
        masters = {}
        for mob in f.content.mastermobs():
            for slot in mob.slots:
                clip = first_source_clip(slot.segment)
                target = clip.mob if clip is not None else None
                if target is not None:
                    masters.setdefault(target.mob_id.bytes_le.hex(), []).append(mob.mob_id.bytes_le.hex())
        out = []
        for mob in f.content.sourcemobs():
            descriptor = mob.descriptor
            if descriptor is None or descriptor.classdef.class_name in ("TapeDescriptor", "ImportDescriptor"):
                continue
            essence = mob.essence
            data = essence.open("r").read() if essence is not None else None
            out.append({
                "fileMobId": mob.mob_id.bytes_le.hex(),
                "masterMobIds": masters.get(mob.mob_id.bytes_le.hex(), []),
                "tapeName": tape_name(f, mob),
                "embeddedBytes": None if data is None else len(data),
                "pcmMd5": None if data is None else pcm_md5(mob, data),
            })
        return {"fileMobs": out}


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
