"""Writes an AAF with embedded audio essence using pyaaf2 (reference tool: test fixtures and benchmarks only).

  make_embedded_aaf.py OUT.aaf [--seconds 10] [--channels 2] [--sample-rate 48000] [--bits 24]
                       [--container wave|pcm] [--tape NAME] [--tape-start-seconds 3600]

One composition with one sound clip playing a master mob -> file SourceMob whose essence is stored in the
file: as a complete RIFF/WAVE file under a WAVEDescriptor (--container wave, what Premiere writes), or as raw
little-endian PCM under a PCMDescriptor (--container pcm, what pyaaf2's import and Pro Tools write). With
--tape, the file mob's slot plays a tape SourceMob (TapeDescriptor, timecode 25 fps starting at
--tape-start-seconds; its timecode slot at 25/1) from one second into it, so the essence's source timecode
is start + 1 s.

The audio is a 440 Hz / 660 Hz sine (left / right), periodic over one second, with each second's first frame
holding the second's index: one second is computed, then written over and over, so 2 GB takes minutes, not
hours. Essence bytes go into the stream a second at a time (pyaaf2 writes them through as they come).

Prints the written file's essence facts as JSON on stdout. Run: $DUBSTAGE_PYTHON make_embedded_aaf.py ...
"""

import argparse
import json
import math
import struct
import sys

import aaf2

TAPE_FPS = 25


def one_second(channels, sample_rate, bits):
    width = bits // 8
    peak = (1 << (bits - 1)) - 1
    frequencies = [440.0, 660.0][:channels] + [880.0] * max(0, channels - 2)
    out = bytearray()
    for i in range(sample_rate):
        for f in frequencies:
            value = int(0.25 * peak * math.sin(2 * math.pi * f * i / sample_rate))
            out += value.to_bytes(4, "little", signed=True)[:width]
    return bytes(out)


def wav_header(channels, sample_rate, bits, data_bytes):
    block_align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * block_align, block_align, bits)
    riff_size = 4 + (8 + len(fmt)) + (8 + data_bytes + data_bytes % 2)
    return b"RIFF" + struct.pack("<I", riff_size) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", data_bytes)


def make(path, seconds, channels, sample_rate, bits, container, tape_name, tape_start_seconds):
    frames = int(seconds * sample_rate)
    block_align = channels * bits // 8
    data_bytes = frames * block_align
    second = one_second(channels, sample_rate, bits)
    with aaf2.open(path, "w") as f:
        tape_clip = None
        if tape_name:
            tape = f.create.SourceMob(tape_name)
            f.content.mobs.append(tape)
            tape.descriptor = f.create.TapeDescriptor()
            tape_slot = tape.create_empty_slot(sample_rate, media_kind="sound", slot_id=1)
            tape_slot.segment.length = (frames // sample_rate + 2) * sample_rate
            # The timecode slot at the frame rate, so Start is in frames either way it is read.
            tc_slot = tape.create_timecode_slot(TAPE_FPS, TAPE_FPS)
            tc_slot.segment.start = tape_start_seconds * TAPE_FPS
            tape_clip = tape.create_source_clip(tape_slot.slot_id, start=sample_rate, length=frames, media_kind="sound")

        file_mob = f.create.SourceMob("tone.wav" if container == "wave" else "tone.pcm")
        f.content.mobs.append(file_mob)
        essence_data, file_slot = file_mob.create_essence(sample_rate, "sound")
        file_slot.segment.length = frames
        if tape_clip is not None:
            file_slot.segment = tape_clip
        if container == "wave":
            descriptor = f.create.WAVEDescriptor()
            descriptor["Summary"].value = wav_header(channels, sample_rate, bits, data_bytes)
        else:
            descriptor = f.create.PCMDescriptor()
            descriptor["Channels"].value = channels
            descriptor["BlockAlign"].value = block_align
            descriptor["AverageBPS"].value = sample_rate * block_align
            descriptor["QuantizationBits"].value = bits
            descriptor["AudioSamplingRate"].value = sample_rate
        descriptor["SampleRate"].value = sample_rate
        descriptor["Length"].value = frames
        file_mob.descriptor = descriptor

        master = f.create.MasterMob("tone")
        f.content.mobs.append(master)
        master_slot = master.create_timeline_slot(sample_rate)
        master_slot.segment = file_mob.create_source_clip(file_slot.slot_id, start=0, length=frames, media_kind="sound")

        comp = f.create.CompositionMob("Embedded tone")
        comp.usage = "Usage_TopLevel"
        f.content.mobs.append(comp)
        slot = comp.create_sound_slot(edit_rate=sample_rate)
        slot.name = "A1"
        slot.segment.components.append(master.create_source_clip(master_slot.slot_id, start=0, length=frames))

        stream = essence_data.open("w")
        if container == "wave":
            stream.write(wav_header(channels, sample_rate, bits, data_bytes))
        written = 0
        index = 0
        while written < data_bytes:
            block = struct.pack("<I", index)[: min(4, block_align)] + second[min(4, block_align) :]
            block = block[: data_bytes - written]
            stream.write(block)
            written += len(block)
            index += 1
        if container == "wave" and data_bytes % 2:
            stream.write(b"\0")
        return {
            "fileMobId": str(file_mob.mob_id),
            "masterMobId": str(master.mob_id),
            "frames": frames,
            "dataBytes": data_bytes,
            "channels": channels,
            "sampleRate": sample_rate,
            "bits": bits,
            "container": container,
        }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--channels", type=int, choices=[1, 2], default=2)
    parser.add_argument("--sample-rate", type=int, default=48000)
    parser.add_argument("--bits", type=int, choices=[16, 24], default=24)
    parser.add_argument("--container", choices=["wave", "pcm"], default="wave")
    parser.add_argument("--tape", default=None)
    parser.add_argument("--tape-start-seconds", type=int, default=3600)
    args = parser.parse_args(argv)
    facts = make(args.out, args.seconds, args.channels, args.sample_rate, args.bits, args.container, args.tape, args.tape_start_seconds)
    json.dump(facts, sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
