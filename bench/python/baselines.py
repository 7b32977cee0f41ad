#!/usr/bin/env python3
"""The Python programs the benchmark measures ours against (standard library only).

    baselines.py tcp-echo      # prints "listening on HOST:PORT"; echoes every client,
                               # each in a thread, a recv(1024) and a sendall() at a time
    baselines.py udp-echo      # prints "listening on HOST:PORT"; a recvfrom()/sendto() loop
    baselines.py struct FORMAT LOOPS VALUE...
                               # prints the best time of one pack, unpack and pack_into,
                               # in nanoseconds, as JSON (CPython's timeit, best of 5)

The echo servers are written the way the course's Python handouts write theirs, so the
numbers say what a student's Python server does, not what the fastest Python could.
"""
import json
import socket
import struct
import sys
import threading
import timeit

HOST = "127.0.0.1"


def listening(sock):
    host, port = sock.getsockname()
    print(f"listening on {host}:{port}", flush=True)


def serve_echo(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                return
            conn.sendall(data)


def tcp_echo():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind((HOST, 0))
        server.listen(128)
        listening(server)
        while True:
            conn, _ = server.accept()
            threading.Thread(target=serve_echo, args=(conn,), daemon=True).start()


def udp_echo():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        listening(sock)
        while True:
            data, sender = sock.recvfrom(65535)
            sock.sendto(data, sender)


def value(code, word):
    """A command-line word as the Python value the format code packs."""
    if code == "s":
        return word.encode("ascii")
    if code in "efd":
        return float(word)
    return int(word)


def struct_timings(fmt, loops, words):
    packer = struct.Struct(fmt)
    codes = [c for c in fmt if c.isalpha() and c != "x"]
    values = [value(code, word) for code, word in zip(codes, words)]
    # The values are written into the statements, as a program would write them.
    literals = ", ".join(repr(v) for v in values)
    setup = f"import struct; packer = struct.Struct({fmt!r}); target = bytearray(packer.size)"
    setup += f"; packed = packer.pack({literals})"
    loops = int(loops)

    def best(statement):
        runs = timeit.repeat(statement, setup, number=loops, repeat=5)
        return min(runs) / loops * 1e9

    print(json.dumps({
        "pack": best(f"packer.pack({literals})"),
        "unpack": best("packer.unpack(packed)"),
        "packInto": best(f"packer.pack_into(target, 0, {literals})"),
    }))


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "tcp-echo":
        tcp_echo()
    elif command == "udp-echo":
        udp_echo()
    elif command == "struct":
        struct_timings(args[0], args[1], args[2:])
    else:
        print(__doc__)
        sys.exit(2)
