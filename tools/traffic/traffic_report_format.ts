/**
 * Deliverable 1 — what `traffic_report.ts` prints: the Markdown report of an analysis
 * (packets, conversations, bytes on the wire per transport and per reading) and the
 * layer-by-layer explanation of one packet (`--explain N`). The numbers themselves come
 * from `traffic_analysis.ts`.
 *
 * @module
 */
import { hexdump } from "../../lib/bytes.ts";
import { UsageError } from "../../lib/cli.ts";
import { decodePacket, tcpFlagNames } from "./packet.ts";
import type { Capture } from "./capture_file.ts";
import {
  decodeHeader,
  decodeReading,
  decodeResponse,
  MessageType,
} from "../../labs/lab1/sensor_protocol.ts";
import {
  type Analysis,
  type PerReading,
  sensorMessageSizes,
  type Tally,
  type TransportSummary,
} from "./traffic_analysis.ts";

// #region markdown
/** A Markdown table; columns whose header ends in ":" (removed) are right-aligned. */
function table(headers: string[], rows: (string | number)[][]): string {
  const right = headers.map((h) => h.endsWith(":"));
  const names = headers.map((h) => h.replace(/:$/, ""));
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [
    line(names),
    line(right.map((r) => (r ? "---:" : "---"))),
    ...rows.map((row) => line(row.map((cell) => String(cell).replaceAll("|", "\\|")))),
  ].join("\n");
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function packetTable(analysis: Analysis): string {
  return table(
    [
      "No.:",
      "Time (s):",
      "Source",
      "Destination",
      "Proto",
      "Flags",
      "Seq:",
      "Ack:",
      "Payload:",
      "Headers:",
      "Frame:",
      "Role",
    ],
    analysis.packets.map((p) => [
      p.number,
      fixed(p.time, 6),
      p.source,
      p.destination,
      p.protocol,
      p.flags,
      p.seq ?? "",
      p.ack ?? "",
      p.payloadBytes,
      p.headerBytes,
      p.wireBytes,
      p.error ? `not decoded: ${p.error}` : p.role ?? "",
    ]),
  );
}

const ROLE_NAMES: Record<string, string> = {
  handshake: "handshake (SYN, SYN+ACK, ACK)",
  data: "data (segments with payload)",
  ack: "pure ACKs",
  teardown: "teardown (FIN, RST and their ACKs)",
  other: "other",
  datagram: "datagrams",
};

function roleRow(name: string, tally: Tally): (string | number)[] {
  return [
    name,
    tally.packets,
    tally.wireBytes,
    tally.payloadBytes,
    tally.wireBytes - tally.payloadBytes,
  ];
}

function perReadingRow(name: string, value: PerReading): (string | number)[] {
  return [
    name,
    fixed(value.payloadBytes),
    fixed(value.wireBytes),
    fixed(value.overheadBytes),
    `${fixed(value.overheadPercent)} %`,
  ];
}

function transportSection(summary: TransportSummary): string {
  const roles = Object.entries(summary.roles).filter(([role, tally]) =>
    tally.packets > 0 || role !== "other"
  );
  const about = summary.estimated ? "about " : "";
  const parts = [
    `## ${summary.transport}`,
    "",
    `${summary.flows} conversation(s), ${about}${summary.readings} reading(s) of ` +
    `${summary.readingBytes} bytes in all, ${about}${summary.responses} response(s) of ` +
    `${summary.responseBytes} bytes.` +
    (summary.estimated ? " The counts are estimates: see the warning above." : ""),
    "",
    table(
      ["Packets", "Count:", "Bytes on the wire:", "Payload:", "Overhead:"],
      [
        ...roles.map(([role, tally]) => roleRow(ROLE_NAMES[role] ?? role, tally)),
        roleRow("**total**", summary.total),
      ],
    ),
    "",
    `Header bytes by layer: link ${summary.headers.link}, IP ${summary.headers.ip}, ` +
    `${summary.transport} ${summary.headers.transport}` +
    (summary.headers.trailer > 0 ? `, trailer ${summary.headers.trailer}` : "") + ".",
  ];
  const rows: (string | number)[][] = [];
  if (summary.perReading) {
    const whole = summary.transport === "TCP"
      ? "whole exchange (handshake and teardown shared by the readings)"
      : "whole exchange";
    rows.push(perReadingRow(whole, summary.perReading));
  }
  if (summary.perReadingOpen) {
    rows.push(perReadingRow("open connection (data and ACKs only)", summary.perReadingOpen));
  }
  if (rows.length > 0) {
    parts.push(
      "",
      "Per reading:",
      "",
      table(["", "Payload:", "Bytes on the wire:", "Overhead:", "Overhead %:"], rows),
    );
  }
  return parts.join("\n");
}

type CaptureInfo = Analysis["capture"];

/** One interface: its link type, timestamps and snap length (and name, if the file says). */
function describeInterface(i: CaptureInfo["interfaces"][number]): string {
  return `${i.name === null ? "" : `${i.name}: `}link type ${i.linkType} (${i.linkTypeName}), ` +
    `${i.timestampUnit} timestamps, ` +
    (i.snapLength === 0 ? "no snap length" : `snap length ${i.snapLength}`);
}

/** The first lines: what the file is, and a warning if the snap length cut frames. */
function captureLines(c: CaptureInfo, analysis: Analysis): string[] {
  const file = `${c.byteOrder}-endian ${c.format} file`;
  const interfaces = c.interfaces.length === 1
    ? `${describeInterface(c.interfaces[0])}, ${file}`
    : `${file}, ${c.interfaces.length} interfaces: ` +
      c.interfaces.map((i, n) => `#${n} ${describeInterface(i)}`).join("; ");
  const lines = [
    `${c.packets} packets, ${interfaces}` +
    (c.filteredOut > 0 ? `; ${c.filteredOut} packets of other ports left out.` : "."),
  ];
  if (c.cutFrames > 0) {
    const estimated = analysis.flows.filter((f) => f.estimated).map((f) => f.id);
    const undecoded = analysis.packets.filter((p) => p.error).length;
    lines.push(
      "",
      `> **Warning: ${c.cutFrames} of the ${c.packets - c.filteredOut} frames were cut short: ` +
        `the capture kept at most ${c.cutLength} bytes of each (a snap length, \`-s\`).** ` +
        "Bytes on the wire and payload bytes are counted from the IP and TCP/UDP headers, " +
        "so they are right; readings and responses are found from the message headers the " +
        "capture kept" +
        (estimated.length > 0
          ? `, and estimated where it kept none (conversation${estimated.length > 1 ? "s" : ""} ` +
            `${estimated.join(", ")})`
          : "") +
        "." +
        (undecoded > 0
          ? ` ${undecoded} frame(s) were cut inside their headers and are left out of the sums.`
          : "") +
        " Capture again without `-s` to keep every byte.",
    );
  }
  return lines;
}

/** Marks a conversation's application when its bytes or counts are not all known. */
function completeness(f: Analysis["flows"][number]): string {
  if (f.estimated) return " (counts estimated)";
  return f.complete ? "" : " (payload cut; counted from headers)";
}

/** The report of `analysis` of capture `file`, with the per-packet table if `withPackets`. */
export function markdownReport(analysis: Analysis, file: string, withPackets: boolean): string {
  const sections = [`# Traffic report: ${file}`, "", ...captureLines(analysis.capture, analysis)];
  if (withPackets) sections.push("", "## Packets", "", packetTable(analysis));
  if (analysis.flows.length > 0) {
    sections.push(
      "",
      "## Conversations",
      "",
      table(
        [
          "#:",
          "Transport",
          "Client",
          "Server",
          "Application",
          "Packets:",
          "Readings:",
          "Responses:",
          "Payload:",
          "Bytes on the wire:",
        ],
        analysis.flows.map((f) => [
          f.id,
          f.transport,
          f.client,
          f.server,
          f.application + completeness(f),
          f.total.packets,
          f.readings,
          f.responses,
          f.total.payloadBytes,
          f.total.wireBytes,
        ]),
      ),
    );
  }
  for (const summary of analysis.transports) sections.push("", transportSection(summary));
  const tcp = analysis.transports.find((t) => t.transport === "TCP")?.perReading;
  const udp = analysis.transports.find((t) => t.transport === "UDP")?.perReading;
  if (tcp && udp) {
    sections.push(
      "",
      "## TCP against UDP",
      "",
      `Per reading, TCP put ${fixed(tcp.wireBytes)} bytes on the wire and UDP ${
        fixed(udp.wireBytes)
      }: ` +
        `TCP sent ${fixed(tcp.wireBytes - udp.wireBytes)} bytes more (${
          fixed(tcp.wireBytes / udp.wireBytes, 2)
        } ` +
        `times as many), for ${fixed(tcp.payloadBytes)} and ${
          fixed(udp.payloadBytes)
        } bytes of payload.`,
    );
  }
  return sections.join("\n");
}
// #endregion markdown

// #region explain
/** Packet `number` of the capture: its layers, their offsets and the bytes. */
export function explainPacket(capture: Capture, analysis: Analysis, number: number): string {
  const record = capture.records[number - 1];
  if (!record) {
    throw new UsageError(
      `--explain: the capture has packets 1 to ${capture.records.length}, not ${number}`,
    );
  }
  const row = analysis.packets.find((p) => p.number === number);
  const packet = decodePacket(record.linkType, record.data, record.originalLength);
  const range = (offset: number, length: number) =>
    length === 0
      ? "—"
      : `${offset}–${offset + length - 1} (0x${offset.toString(16)}–0x${
        (offset + length - 1).toString(16)
      })`;
  const describe = (name: string): string => {
    const ip = packet.ip;
    if ((name === "IPv4" || name === "IPv6") && ip) {
      return `${ip.source} → ${ip.destination}, ${
        name === "IPv4" ? "TTL" : "hop limit"
      } ${ip.ttl}, ` +
        `protocol ${ip.protocol} (${packet.transport}), ${ip.totalLength} bytes with its payload`;
    }
    if (name === "TCP" && packet.tcp) {
      const t = packet.tcp;
      return `port ${t.sourcePort} → ${t.destinationPort}, flags ${
        tcpFlagNames(t.flags).join(" ") || "none"
      }, ` +
        `seq ${t.seq} (relative ${row?.seq ?? "?"}), ack ${t.ack}` +
        (row?.ack !== null && row?.ack !== undefined ? ` (relative ${row.ack})` : "") +
        `, window ${t.window}` +
        (t.headerLength > 20 ? `, ${t.headerLength - 20} bytes of options` : "");
    }
    if (name === "UDP" && packet.udp) {
      const u = packet.udp;
      return `port ${u.sourcePort} → ${u.destinationPort}, length ${u.length} (8 of header + ${
        u.length - 8
      })`;
    }
    if (name === "payload") return "the bytes the application wrote";
    if (name === "trailer") return "padding after the IP packet";
    return `link-layer header: what follows is ${packet.network}`;
  };
  const lines = [
    `Packet ${number}: ${row?.source || packet.network} → ${row?.destination || ""}, ` +
    `${packet.frameLength} bytes on the wire, ${packet.payloadLength} of them payload` +
    (row?.role ? ` (${row.protocol} ${row.role}, conversation ${row.flow})` : ""),
    "",
    table(
      ["Layer", "Bytes (offsets in the frame)", "Length:", "What it says"],
      packet.spans.map((
        span,
      ) => [span.name, range(span.offset, span.length), span.length, describe(span.name)]),
    ),
    "",
    "```text",
    hexdump(record.data),
    "```",
  ];
  if (record.data.length < packet.frameLength) {
    lines.push("", `(the capture kept ${record.data.length} of the ${packet.frameLength} bytes)`);
  }
  lines.push(...sensorMessages(packet.payload, packet.payloadOffset));
  return lines.join("\n");
}

/** The sensor messages a payload holds, if it holds whole ones. */
function sensorMessages(payload: Uint8Array, base: number): string[] {
  const sizes = sensorMessageSizes(payload);
  if (sizes === null) return [];
  const lines = ["", "The payload is sensor-protocol messages (see sensor_protocol.md):", ""];
  let offset = 0;
  for (const size of sizes) {
    const message = payload.subarray(offset, offset + size);
    const { type } = decodeHeader(message);
    let text: string;
    try {
      text = type === MessageType.READING
        ? `READING ${JSON.stringify(decodeReading(message))}`
        : `RESPONSE ${JSON.stringify(decodeResponse(message))}`;
    } catch (error) {
      text = `invalid message: ${(error as Error).message}`;
    }
    lines.push(`- bytes ${base + offset}–${base + offset + size - 1} (${size}): ${text}`);
    offset += size;
  }
  return lines;
}
// #endregion explain
