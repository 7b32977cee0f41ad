#!/usr/bin/env python3
"""Python peers for the Lab 2.3 interop checks, in the design of Real Python's sockets
tutorial (its libclient/libserver): a 2-byte big-endian header length, a UTF-8 JSON
header with byteorder, content-type, content-encoding and content-length, then the
content. One request per connection; the server closes after its response.

Written for this course from that design (standard library only):

    app_peers.py server                      # prints "listening on HOST:PORT"
    app_peers.py client PORT ACTION VALUE    # "search" goes as text/json, others binary
"""
import json
import selectors
import socket
import struct
import sys

HOST = "127.0.0.1"
REQUIRED = ("byteorder", "content-length", "content-type", "content-encoding")
ANSWERS = {"ring": "Under the mountain. \U0001f48d", "tcp": "From Python: a byte stream."}


def build_message(content, content_type, encoding):
    header = json.dumps(
        {
            "byteorder": sys.byteorder,
            "content-type": content_type,
            "content-encoding": encoding,
            "content-length": len(content),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    return struct.pack(">H", len(header)) + header + content


class StagedParser:
    """Consumes bytes as they come and parses one message in three stages."""

    def __init__(self):
        self.buffer = b""
        self.header_length = None
        self.header = None
        self.content = None

    def feed(self, data):
        self.buffer += data
        if self.header_length is None and len(self.buffer) >= 2:
            (self.header_length,) = struct.unpack(">H", self.buffer[:2])
            self.buffer = self.buffer[2:]
        if self.header_length is not None and self.header is None:
            if len(self.buffer) >= self.header_length:
                self.header = json.loads(self.buffer[: self.header_length].decode("utf-8"))
                self.buffer = self.buffer[self.header_length :]
                missing = [name for name in REQUIRED if name not in self.header]
                if missing:
                    raise ValueError(f"missing required header {missing[0]!r}")
        if self.header is not None and self.content is None:
            length = self.header["content-length"]
            if len(self.buffer) >= length:
                self.content = self.buffer[:length]
                self.buffer = self.buffer[length:]
        return self.content is not None

    def decoded(self):
        if self.header["content-type"] == "text/json":
            return json.loads(self.content.decode(self.header["content-encoding"]))
        return self.content


def response_for(parser):
    request = parser.decoded()
    if parser.header["content-type"] != "text/json":
        content = b"First 10 bytes of request: " + request[:10]
        return build_message(content, "binary/custom-server-binary-type", "binary")
    action = request.get("action")
    if action == "search":
        value = request.get("value")
        result = {"result": ANSWERS.get(value) or f"No match for '{value}'."}
    else:
        result = {"result": f"Error: invalid action '{action}'."}
    return build_message(json.dumps(result, ensure_ascii=False).encode("utf-8"), "text/json", "utf-8")


def server():
    selector = selectors.DefaultSelector()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    listener.listen()
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ, data=None)
    host, port = listener.getsockname()
    print(f"listening on {host}:{port}", flush=True)
    while True:
        for key, _ in selector.select():
            if key.data is None:
                conn, addr = listener.accept()
                conn.setblocking(False)
                print(f"accepted connection from {addr[0]}:{addr[1]}", flush=True)
                selector.register(conn, selectors.EVENT_READ, data=StagedParser())
                continue
            conn, parser = key.fileobj, key.data
            data = conn.recv(4096)
            try:
                complete = bool(data) and parser.feed(data)
            except (ValueError, UnicodeDecodeError) as error:
                print(f"bad request: {error}", flush=True)
                complete, data = False, b""
            if complete:
                print(f"request {parser.decoded()!r}", flush=True)
                conn.setblocking(True)
                conn.sendall(response_for(parser))
            if complete or not data:
                selector.unregister(conn)
                conn.close()


def client(port, action, value):
    if action == "search":
        content = json.dumps({"action": action, "value": value}, ensure_ascii=False)
        request = build_message(content.encode("utf-8"), "text/json", "utf-8")
    else:
        request = build_message((action + value).encode("utf-8"), "binary/custom-client-binary-type", "binary")
    parser = StagedParser()
    with socket.create_connection((HOST, int(port))) as conn:
        conn.sendall(request)
        while True:
            data = conn.recv(4096)
            if not data:
                sys.exit("the server closed the connection before its response was complete")
            if parser.feed(data):
                break
    response = parser.decoded()
    if parser.header["content-type"] == "text/json":
        print(f"Got result: {response.get('result')}", flush=True)
    else:
        print(f"Got response: {response!r}", flush=True)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"server": server, "client": client}[command](*args)
