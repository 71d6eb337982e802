"""Prints what pyaaf2's own MXF reader (aaf2.mxf) sees in an MXF file, as JSON: the oracle of
packages/mxf/src/pyaaf2.unit.test.ts. Usage: $DUBSTAGE_PYTHON pyaaf2-mxf-dump.py FILE.mxf"""
import json
import sys

import aaf2.mxf

f = aaf2.mxf.MXFFile(sys.argv[1])
packages = []
for pkg in f.packages():
    entry = {
        "class": type(pkg).__name__,
        "urn": str(pkg.mob_id),
        "storedHex": pkg.mob_id.bytes_le.hex(),
        "name": pkg.data.get("Name"),
        "descriptor": None,
    }
    ref = pkg.data.get("Descriptor")
    if ref is not None:
        d = f.resolve(ref)
        keys = ("SampleRate", "AudioSamplingRate", "Channels", "QuantizationBits", "BlockAlign", "Length")
        entry["descriptor"] = dict({"class": type(d).__name__}, **{k: str(d.data[k]) for k in keys if k in d.data})
    packages.append(entry)
print(json.dumps({"operationalPattern": f.operation_pattern, "packages": packages}))
