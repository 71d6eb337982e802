"""Writes AAF files with pyaaf2 for Dubstage's tests and benchmarks (reference tool, not product code).

  make_aaf.py reel OUT.aaf [--tracks 250] [--clips-per-track 200] [--masters 5000] [--rate 24]
      A feature reel: one composition of TRACKS mono sound tracks at 48000/1, each a sequence of clips
      (1 s clips with 0.25 s gaps of filler) cut from MASTERS master mobs, each master -> file source mob
      (PCM descriptor, linked, no media) -> tape source mob, so resolution follows three levels per clip.
  make_aaf.py embedded OUT.aaf [--seconds 10] [--channels 1] [--sample-rate 48000] [--bits 24]
      One composition with one clip of an EMBEDDED PCM essence: a sine sweep generated here, written
      chunk by chunk into the AAF's essence stream (seconds=7500 at 48 kHz/24-bit stereo is about 2 GB).

Run with the reference-tools venv: $DUBSTAGE_PYTHON bench/aaf/scripts/make_aaf.py ...
"""

import argparse
import math
import os
import struct
import sys
import tempfile
import wave

import aaf2


def make_reel(path, tracks, clips_per_track, masters, rate):
    sample_rate = 48000
    clip_len = sample_rate  # 1 s
    gap = sample_rate // 4
    with aaf2.open(path, "w") as f:
        master_mobs = []
        for m in range(masters):
            tape = f.create.SourceMob("Tape %05d" % m)
            tape.create_tape_slots("TAPE%05d" % m, sample_rate, rate, media_kind="sound", length=3600 * sample_rate)
            f.content.mobs.append(tape)
            file_mob = f.create.SourceMob("reel_%05d.wav" % m)
            descriptor = f.create.PCMDescriptor()
            descriptor["Channels"].value = 1
            descriptor["BlockAlign"].value = 3
            descriptor["SampleRate"].value = sample_rate
            descriptor["AverageBPS"].value = sample_rate * 3
            descriptor["QuantizationBits"].value = 24
            descriptor["AudioSamplingRate"].value = sample_rate
            descriptor["Length"].value = 600 * sample_rate
            locator = f.create.NetworkLocator()
            locator["URLString"].value = "file:///media/reel/reel_%05d.wav" % m
            descriptor["Locator"].append(locator)
            file_mob.descriptor = descriptor
            file_slot = file_mob.create_empty_sequence_slot(sample_rate, media_kind="sound")
            file_slot.segment = tape.create_source_clip(1, start=0, length=600 * sample_rate)
            f.content.mobs.append(file_mob)
            master = f.create.MasterMob("Take %05d" % m)
            master_slot = master.create_timeline_slot(sample_rate)
            master_slot.segment = file_mob.create_source_clip(file_slot.slot_id, start=0, length=600 * sample_rate)
            f.content.mobs.append(master)
            master_mobs.append((master, master_slot.slot_id))

        comp = f.create.CompositionMob("Reel %d tracks x %d clips" % (tracks, clips_per_track))
        f.content.mobs.append(comp)
        n = 0
        for t in range(tracks):
            slot = comp.create_sound_slot(edit_rate=sample_rate)
            slot.name = "DX %d" % (t + 1)
            sequence = slot.segment
            for c in range(clips_per_track):
                master, slot_id = master_mobs[n % masters]
                clip = master.create_source_clip(slot_id, start=(c % 500) * sample_rate, length=clip_len)
                sequence.components.append(clip)
                sequence.components.append(f.create.Filler("sound", gap))
                n += 1
    return n


def write_sine_wav(path, seconds, channels, sample_rate, bits):
    width = bits // 8
    frames_per_chunk = sample_rate
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(sample_rate)
        peak = (1 << (bits - 1)) - 1
        total = int(seconds * sample_rate)
        written = 0
        while written < total:
            count = min(frames_per_chunk, total - written)
            out = bytearray()
            for i in range(count):
                position = written + i
                value = int(0.25 * peak * math.sin(2 * math.pi * 440.0 * position / sample_rate))
                sample = value.to_bytes(4, "little", signed=True)[:width]
                out += sample * channels
            w.writeframes(bytes(out))
            written += count


def make_embedded(path, seconds, channels, sample_rate, bits):
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = os.path.join(tmp, "tone.wav")
        write_sine_wav(wav_path, seconds, channels, sample_rate, bits)
        with aaf2.open(path, "w") as f:
            master = f.create.MasterMob("tone")
            f.content.mobs.append(master)
            master_slot = master.import_audio_essence(wav_path, sample_rate)
            comp = f.create.CompositionMob("Embedded tone")
            f.content.mobs.append(comp)
            slot = comp.create_sound_slot(edit_rate=sample_rate)
            slot.name = "A1"
            length = int(seconds * sample_rate)
            slot.segment.components.append(master.create_source_clip(master_slot.slot_id, start=0, length=length))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    reel = sub.add_parser("reel")
    reel.add_argument("out")
    reel.add_argument("--tracks", type=int, default=250)
    reel.add_argument("--clips-per-track", type=int, default=200)
    reel.add_argument("--masters", type=int, default=5000)
    reel.add_argument("--rate", type=int, default=24)
    embedded = sub.add_parser("embedded")
    embedded.add_argument("out")
    embedded.add_argument("--seconds", type=float, default=10)
    embedded.add_argument("--channels", type=int, default=1)
    embedded.add_argument("--sample-rate", type=int, default=48000)
    embedded.add_argument("--bits", type=int, choices=[16, 24], default=24)
    args = parser.parse_args(argv)
    if args.kind == "reel":
        n = make_reel(args.out, args.tracks, args.clips_per_track, args.masters, args.rate)
        print("wrote %s: %d tracks, %d clips, %d masters" % (args.out, args.tracks, n, args.masters), file=sys.stderr)
    else:
        make_embedded(args.out, args.seconds, args.channels, args.sample_rate, args.bits)
        print("wrote %s: %g s embedded, %d ch, %d Hz, %d-bit" % (args.out, args.seconds, args.channels, args.sample_rate, args.bits), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
