#!/usr/bin/env python3
"""Python peers for the interop checks of Lab 1.

Each subcommand is a small program in the style of the original Python handouts
(standard `socket` and `struct` only), so the checks can show that our Deno scripts
and the course's Python programs talk to each other in both directions.

    peers.py echo-server        # prints "listening on HOST:PORT", echoes one client
    peers.py echo-client PORT MESSAGE
    peers.py udp-receiver       # prints "listening on ...", then one line per datagram
    peers.py udp-sender PORT MESSAGE
    peers.py udp-echo-server
    peers.py udp-echo-client PORT MESSAGE
    peers.py struct-server FORMAT
    peers.py struct-client PORT FORMAT VALUE...
    peers.py request-server     # "Lab 14": accepted to each message, closed to close
    peers.py request-client PORT           (messages typed on stdin)
    peers.py echo-thread-server # Lab 1 Task 1.5: echoes each message, bye ends
    peers.py echo-thread-client PORT       (greets, then messages on stdin; end ends)

The Task 1.5 peers frame messages as the originals do: one send() per message, no
line end, and one recv() taken as one whole message.
"""
import binascii
import socket
import struct
import sys
import threading

HOST = "127.0.0.1"


def listening(sock):
    host, port = sock.getsockname()
    print(f"listening on {host}:{port}", flush=True)


def echo_server():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        s.listen()
        listening(s)
        conn, addr = s.accept()
        with conn:
            print(f"Connected by {addr[0]}:{addr[1]}", flush=True)
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                conn.sendall(data)


def echo_client(port, message):
    data = message.encode("utf-8")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((HOST, int(port)))
        s.sendall(data)
        echoed = b""
        while len(echoed) < len(data):
            chunk = s.recv(1024)
            if not chunk:
                break
            echoed += chunk
    print("Received", repr(echoed), flush=True)


def udp_receiver():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        listening(s)
        while True:
            data, (ip, port) = s.recvfrom(65535)
            print(f"IP: {ip} Port: {port} Message: {data.decode('utf-8')}", flush=True)


def udp_sender(port, message):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(message.encode("utf-8"), (HOST, int(port)))


def udp_echo_server():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        listening(s)
        while True:
            data, address = s.recvfrom(65535)
            s.sendto(data, address)


def udp_echo_client(port, message):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(message.encode("utf-8"), (HOST, int(port)))
        data, _ = s.recvfrom(65535)
    print("Received", repr(data), flush=True)


def struct_server(fmt):
    size = struct.calcsize(fmt)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        s.listen(1)
        listening(s)
        conn, _ = s.accept()
        with conn:
            data = b""
            while len(data) < size:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                data += chunk
        print('Received "%s"' % binascii.hexlify(data).decode(), flush=True)
        print("Unpacked:", struct.unpack(fmt, data), flush=True)


def parse(code, word):
    if code in "efd":
        return float(word)
    if code == "?":
        return word.lower() in ("true", "1")
    if code in "csp":
        return word.encode("utf-8")
    return int(word)


def struct_client(port, fmt, *words):
    codes = [c for c in fmt.lstrip("@=<>!") if c.isalpha() or c == "?"]
    packed = struct.pack(fmt, *(parse(c, w) for c, w in zip(codes, words)))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.connect((HOST, int(port)))
        s.sendall(packed)
    print('Sent "%s"' % binascii.hexlify(packed).decode(), flush=True)


def request_server():
    """One thread per client; each answers every message until the client says close."""

    def answer(conn, address):
        who = f"{address[0]}:{address[1]}"
        try:
            while True:
                message = conn.recv(1024).decode("utf-8")
                if message.lower() == "close":
                    conn.send(b"closed")
                    break
                print(f"Received: {message}", flush=True)
                conn.send(b"accepted")
        except OSError as error:
            print(f"Error with {who}: {error}", flush=True)
        finally:
            conn.close()
            print(f"Connection to client ({who}) closed", flush=True)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((HOST, 0))
    server.listen()
    listening(server)
    while True:
        conn, address = server.accept()
        print(f"Accepted connection from {address[0]}:{address[1]}", flush=True)
        threading.Thread(target=answer, args=(conn, address)).start()


def request_client(port):
    """Sends each typed message, prints each answer, stops when the server says closed."""
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((HOST, int(port)))
    while True:
        typed = input("Enter message: ")
        client.send(typed.encode("utf-8")[:1024])
        answer = client.recv(1024).decode("utf-8")
        if answer.lower() == "closed":
            break
        print(f"Received: {answer}", flush=True)
    client.close()
    print("Connection to server closed", flush=True)


class EchoThread(threading.Thread):
    """Serves one client, keeping its socket as an attribute as the original does: the
    socket stays open after bye, until this object is thrown away."""

    def __init__(self, sock, address):
        super().__init__()
        self.sock = sock
        self.who = f"{address[0]}:{address[1]}"
        print("New connection:", self.who, flush=True)

    def run(self):
        while True:
            text = self.sock.recv(2048).decode()
            if text == "bye":
                break
            print("From the client", text, flush=True)
            self.sock.send(bytes(text, "UTF-8"))
        print("Client", self.who, "disconnected", flush=True)


def echo_thread_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, 0))
    server.listen(1)
    listening(server)
    while True:
        sock, address = server.accept()
        worker = EchoThread(sock, address)
        worker.start()


def echo_thread_client(port):
    """Greets first, then prints each answer and sends the next typed line; end ends."""
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((HOST, int(port)))
    client.sendall(bytes("Hi from a Python client", "UTF-8"))
    while True:
        answer = client.recv(1024)
        print("From the server:", answer.decode(), flush=True)
        typed = input()
        client.sendall(bytes(typed, "UTF-8"))
        if typed == "end":
            break
    client.close()


PEERS = {
    "echo-server": echo_server,
    "echo-client": echo_client,
    "udp-receiver": udp_receiver,
    "udp-sender": udp_sender,
    "udp-echo-server": udp_echo_server,
    "udp-echo-client": udp_echo_client,
    "struct-server": struct_server,
    "struct-client": struct_client,
    "request-server": request_server,
    "request-client": request_client,
    "echo-thread-server": echo_thread_server,
    "echo-thread-client": echo_thread_client,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in PEERS:
        sys.exit(f"usage: peers.py {{{','.join(PEERS)}}} [ARGS...]")
    PEERS[sys.argv[1]](*sys.argv[2:])
