import assert from "node:assert/strict";
import {
  type CapturedPacket,
  groupFlows,
  type Stream,
  streamBytes,
  streamSlice,
} from "../../../tools/traffic/flows.ts";
import { decodePacket, TcpFlag } from "../../../tools/traffic/packet.ts";
import { LinkType } from "../../../tools/traffic/pcap.ts";
import { ipv4, ipv6, tcp, tcpConversation, udp } from "../../harness/pcap_builder.ts";

const text = (s: string) => new TextEncoder().encode(s);

function captured(packets: { time: number; ip: Uint8Array }[]): CapturedPacket[] {
  return packets.map(({ time, ip }, i) => ({
    number: i + 1,
    time,
    packet: decodePacket(LinkType.RAW, ip),
  }));
}

/** Every byte of a stream, or null if the capture missed some. */
const whole = (stream: Stream) => streamSlice(stream, 0, stream.length);

Deno.test("groupFlows finds the client, the roles and the relative numbers of a TCP connection", () => {
  const packets = captured(tcpConversation([
    { from: "client", data: text("reading 1") },
    { from: "server", data: text("ok 1") },
    { from: "client", data: text("reading 2") },
    { from: "server", data: text("ok 2") },
    { from: "client", close: true },
  ], { clientIsn: 0xfffffffe, serverIsn: 77 }));
  const flows = groupFlows(packets);
  assert.equal(flows.length, 1);
  const [flow] = flows;
  assert.equal(flow.transport, "TCP");
  assert.deepEqual(flow.client, { address: "127.0.0.1", port: 45678 });
  assert.deepEqual(flow.server, { address: "127.0.0.1", port: 50000 });
  assert.deepEqual(flow.segments.map((s) => s.role), [
    "handshake",
    "handshake",
    "handshake",
    "data",
    "ack",
    "data",
    "ack",
    "data",
    "ack",
    "data",
    "ack",
    "teardown",
    "teardown",
    "teardown",
  ]);
  assert.deepEqual(flow.segments.map((s) => s.fromClient), [
    true,
    false,
    true,
    true,
    false,
    false,
    true,
    true,
    false,
    false,
    true,
    true,
    false,
    true,
  ]);
  // Relative numbers as Wireshark shows them, across the 2^32 wrap of the client's.
  assert.deepEqual(flow.segments.map((s) => [s.relativeSeq, s.relativeAck]), [
    [0, 0],
    [0, 1],
    [1, 1],
    [1, 1],
    [1, 10],
    [1, 10],
    [10, 5],
    [10, 5],
    [5, 19],
    [5, 19],
    [19, 9],
    [19, 9],
    [9, 20],
    [20, 10],
  ]);
});

Deno.test("the ACK of a FIN is teardown; a FIN sent alone gets its own ACK", () => {
  const packets = captured(tcpConversation([
    { from: "server", dataNoAck: text("bye") },
    { from: "client", ack: true },
    { from: "server", close: true },
  ]));
  const [flow] = groupFlows(packets);
  assert.deepEqual(flow.segments.slice(3).map((s) => s.role), [
    "data",
    "ack",
    "teardown",
    "teardown",
    "teardown",
  ]);
});

Deno.test("without the SYN, the server is the side whose port is a server port", () => {
  const packets = captured(
    tcpConversation([
      { from: "server", data: text("hello") },
      { from: "client", data: text("hi") },
    ]).slice(3),
  );
  assert.equal(groupFlows(packets)[0].client.port, 50000, "first sender by default");
  const [flow] = groupFlows(packets, { serverPorts: [50000] });
  assert.equal(flow.client.port, 45678);
  assert.deepEqual(flow.segments.map((s) => s.role), ["data", "ack", "data", "ack"]);
  assert.equal(flow.segments[0].relativeSeq, 1, "a side first seen without SYN starts at 1");
  assert.deepEqual(whole(streamBytes(flow, true)), text("hi"));
});

Deno.test("a SYN-ACK seen first still tells the client apart", () => {
  const packets = captured(tcpConversation([]).slice(1));
  const [flow] = groupFlows(packets);
  assert.equal(flow.client.port, 45678);
  assert.deepEqual(flow.segments.map((s) => s.role), ["handshake", "handshake"]);
});

Deno.test("a new SYN on the same ports starts a new flow", () => {
  const first = tcpConversation([{ from: "client", close: true }], { clientIsn: 100 });
  const second = tcpConversation([{ from: "client", close: true }], {
    clientIsn: 9000,
    startTime: 1700000100,
  });
  const flows = groupFlows(captured([...first, ...second]));
  assert.equal(flows.length, 2);
  assert.deepEqual(flows.map((flow) => flow.segments.length), [6, 6]);
  assert.deepEqual(flows.map((flow) => flow.id), [1, 2]);
});

Deno.test("UDP flows: the first sender is the client; every packet is a datagram", () => {
  const packets = captured([
    { time: 1, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, text("one"))) },
    { time: 2, ip: ipv6("::1", "::1", udp(40000, 50000, text("v6"))) },
    { time: 3, ip: ipv4("127.0.0.1", "127.0.0.1", udp(50000, 40000, text("reply"))) },
    { time: 4, ip: ipv4("127.0.0.1", "127.0.0.1", udp(40000, 50000, text("two"))) },
  ]);
  const flows = groupFlows(packets);
  assert.equal(flows.length, 2, "IPv4 and IPv6 are different flows");
  const [v4] = flows;
  assert.equal(v4.transport, "UDP");
  assert.deepEqual(v4.segments.map((s) => [s.number, s.fromClient, s.role]), [
    [1, true, "datagram"],
    [3, false, "datagram"],
    [4, true, "datagram"],
  ]);
  const sent = streamBytes(v4, true);
  assert.deepEqual(whole(sent), text("onetwo"));
  assert.deepEqual(sent.chunks, [3, 3]);
  assert.equal(sent.complete, true);
});

Deno.test("packets without ports are left out", () => {
  const icmp = ipv4("1.2.3.4", "5.6.7.8", { protocol: 6, bytes: new Uint8Array(8), checksumAt: 2 });
  icmp[9] = 1;
  assert.deepEqual(groupFlows(captured([{ time: 0, ip: icmp }])), []);
});

Deno.test("streamBytes puts retransmitted and reordered segments back in order", () => {
  const segment = (seq: number, payload: string) =>
    ipv4(
      "127.0.0.1",
      "127.0.0.1",
      tcp({
        sourcePort: 45678,
        destinationPort: 50000,
        seq,
        ack: 1,
        flags: TcpFlag.ACK | TcpFlag.PSH,
        payload: text(payload),
      }),
    );
  const syn = ipv4(
    "127.0.0.1",
    "127.0.0.1",
    tcp({ sourcePort: 45678, destinationPort: 50000, seq: 99, flags: TcpFlag.SYN }),
  );
  const packets = captured([
    { time: 0, ip: syn },
    { time: 1, ip: segment(100, "abc") },
    { time: 2, ip: segment(106, "ghi") }, // before "def"
    { time: 3, ip: segment(103, "def") },
    { time: 4, ip: segment(100, "abc") }, // retransmission
    { time: 5, ip: segment(104, "efgh") }, // overlaps what we have, then 1 new byte
    { time: 6, ip: segment(109, "j") },
  ]);
  const stream = streamBytes(groupFlows(packets)[0], true);
  assert.equal(new TextDecoder().decode(whole(stream)!), "abcdefghij");
  assert.equal(stream.complete, true);
  assert.equal(stream.missing, 0);
  assert.deepEqual(
    stream.chunks,
    [3, 3, 2, 1, 1],
    "the new bytes of each segment, in sequence order",
  );

  const gap = streamBytes(
    groupFlows(
      captured([{ time: 0, ip: syn }, { time: 1, ip: segment(100, "abc") }, {
        time: 2,
        ip: segment(110, "xyz"),
      }]),
    )[0],
    true,
  );
  assert.equal(gap.length, 13, "the sequence numbers say 13 bytes were sent");
  assert.equal(gap.missing, 7, "7 of them in segments the capture missed");
  assert.deepEqual(gap.chunks, [3, 3]);
  assert.equal(new TextDecoder().decode(streamSlice(gap, 0, 3)!), "abc");
  assert.equal(new TextDecoder().decode(streamSlice(gap, 10, 13)!), "xyz");
  assert.equal(streamSlice(gap, 2, 11), null);
  assert.equal(gap.complete, false);
});

Deno.test("streamBytes counts what the snap length cut from the headers", () => {
  const full = tcpConversation([{ from: "client", data: text("0123456789") }]);
  const packets = captured(full);
  const cut = packets[3].packet;
  packets[3] = {
    ...packets[3],
    packet: decodePacket(
      LinkType.RAW,
      full[3].ip.subarray(0, full[3].ip.length - 4),
      full[3].ip.length,
    ),
  };
  assert.equal(cut.payloadLength, 10);
  const stream = streamBytes(groupFlows(packets)[0], true);
  assert.equal(stream.length, 10, "all ten bytes were sent");
  assert.deepEqual(stream.chunks, [10]);
  assert.equal(stream.missing, 0, "the segment was captured, only cut");
  assert.equal(new TextDecoder().decode(streamSlice(stream, 0, 6)!), "012345");
  assert.equal(streamSlice(stream, 5, 7), null);
  assert.equal(stream.complete, false);
  assert.equal(streamBytes(groupFlows(packets)[0], false).length, 0);
});
