#!/usr/bin/env python3
"""Hostile peers that Deno cannot play: resets need SO_LINGER, and a datagram from port 0
needs a raw socket. Loopback only. It reads one command per line on stdin (so that one
Python start serves a whole check) and prints `done ID` when command ID is done:

    ID resets PORT N            # N connections reset right after the handshake
    ID midstream PORT N BYTES   # N connections that send BYTES bytes, then reset
    ID port0 PORT N             # N one-byte UDP datagrams from port 0 (needs root)
"""
import socket
import struct
import sys

HOST = "127.0.0.1"
RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST, not FIN


def reset_connection(port, payload=b""):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
    s.settimeout(5)
    s.connect((HOST, port))
    if payload:
        s.sendall(payload)
    s.close()


def port0(port, count):
    # The kernel writes the IP header; we write the UDP header, with source port 0.
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    datagram = struct.pack("!HHHH", 0, port, 9, 0) + b"\x01"  # checksum 0: none (IPv4)
    for _ in range(count):
        s.sendto(datagram, (HOST, 0))
    s.close()


def run(command, port, count, *rest):
    if command == "resets":
        for _ in range(count):
            reset_connection(port)
    elif command == "midstream":
        payload = bytes(i % 251 for i in range(int(rest[0])))
        for _ in range(count):
            reset_connection(port, payload)
    elif command == "port0":
        port0(port, count)
    else:
        raise ValueError(f"unknown command {command}")


def main():
    print("ready", flush=True)
    for line in sys.stdin:
        ident, command, port, count, *rest = line.split()
        run(command, int(port), int(count), *rest)
        print(f"done {ident}", flush=True)


if __name__ == "__main__":
    main()
