#!/usr/bin/env python3
"""CPython's struct module as an oracle for tests/lib/struct_python_test.ts.

Reads one JSON case per line on stdin and answers one JSON line per case on stdout:
  {"op": "pack", "format": F, "values": [V...]}  ->  {"hex": H} or {"error": MESSAGE}
  {"op": "unpack", "format": F, "hex": H}        ->  {"values": [V...]} or {"error": MESSAGE}
  {"op": "pack_into", "format": F, "values": [V...], "hex": H, "offset": N}
      ->  {"hex": <the buffer H afterwards>}, with "error": MESSAGE if pack_into failed
Values travel tagged so nothing is lost in JSON: {"int": "123"}, {"float": "<16 hex digits
of the IEEE double>"}, {"bool": true}, {"bytes": "<hex>"}.
"""
import json
import struct
import sys


def decode(tagged):
    (kind, value), = tagged.items()
    if kind == "int":
        return int(value)
    if kind == "float":
        return struct.unpack(">d", bytes.fromhex(value))[0]
    if kind == "bool":
        return value
    return bytes.fromhex(value)


def encode(value):
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": struct.pack(">d", value).hex()}
    return {"bytes": value.hex()}


def pack_into(case):
    buffer = bytearray.fromhex(case["hex"])
    try:
        values = [decode(v) for v in case["values"]]
        struct.pack_into(case["format"], buffer, case["offset"], *values)
        return {"hex": buffer.hex()}
    except (struct.error, OverflowError, TypeError, ValueError) as error:
        return {"hex": buffer.hex(), "error": str(error)}


def answer(case):
    if case["op"] == "pack_into":
        return pack_into(case)
    try:
        if case["op"] == "pack":
            values = [decode(v) for v in case["values"]]
            return {"hex": struct.pack(case["format"], *values).hex()}
        values = struct.unpack(case["format"], bytes.fromhex(case["hex"]))
        return {"values": [encode(v) for v in values]}
    except (struct.error, OverflowError, TypeError, ValueError) as error:
        return {"error": str(error)}


for line in sys.stdin:
    print(json.dumps(answer(json.loads(line))), flush=True)
