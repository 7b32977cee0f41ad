/**
 * Graded checks for Task 1.4: `binary_client.ts` and `binary_server.ts`.
 * Expected bytes and values were produced by CPython's `struct` module.
 *
 * @module
 */
import assert from "node:assert/strict";
import { hexlify as hex, unhexlify as unhex } from "../../../lib/bytes.ts";
import { defineChecks } from "../../harness/checks.ts";
import {
  assertCleanFailure,
  assertHasLine,
  assertRanUntilStopped,
  assertSuccess,
} from "../../harness/expect.ts";
import { chunks, readAll, tcpExchange, TestTcpServer } from "../../harness/peers.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const CLIENT = "binary_client.ts";
const SERVER = "binary_server.ts";
const DEFAULT_RECORD = "0100000004000000cdcc2c40"; // struct.pack("=iif", 1, 4, 2.7)

/** Runs the client against a server of ours and returns what it printed and sent. */
async function sendWithClient(clientPath: string, args: string[]) {
  const received: Uint8Array[] = [];
  const server = new TestTcpServer(async (conn) => {
    received.push(await readAll(conn));
  });
  try {
    const result = await runScript(clientPath, ["--port", String(server.port), ...args]);
    // A client that exited after sending: its connection may not be read yet.
    if (result.code === 0) await server.served(1, 5000);
    return { result, sent: hex(received[0] ?? new Uint8Array()) };
  } finally {
    await server.close();
  }
}

export const checks = defineChecks(1, [
  {
    id: "1.4-client-default",
    task: "1.4",
    title: "binary client sends =iif (1, 4, 2.7) as 12 bytes and prints them as hex",
    points: 2,
    hint: "pack with the format '=iif' (native byte order, standard sizes: 4+4+4 bytes), send " +
      'all 12 bytes and print `Sending "<hex>"`',
    async run({ script }) {
      const { result, sent } = await sendWithClient(script(CLIENT), []);
      assertSuccess(result);
      assert.equal(sent, DEFAULT_RECORD, "the bytes sent are not struct.pack('=iif', 1, 4, 2.7)");
      assertHasLine(result.stdout, new RegExp(`Sending "${DEFAULT_RECORD}"`));
    },
  },
  {
    id: "1.4-client-format",
    task: "1.4",
    title: "binary client packs another format and byte order given on the command line",
    points: 2,
    hint: "take --format and the values after `--`; read each value by its format code (whole " +
      "numbers, decimals, true/false) and let the struct check the ranges",
    async run({ script }) {
      const { result, sent } = await sendWithClient(
        script(CLIENT),
        ["--format", ">hq?", "--", "-2", "9000000000", "true"],
      );
      assertSuccess(result);
      assert.equal(
        sent,
        "fffe0000000218711a0001",
        "the bytes sent are not struct.pack('>hq?', ...)",
      );
    },
  },
  {
    id: "1.4-client-bad-values",
    task: "1.4",
    title: "binary client rejects malformed or out-of-range values in one line",
    points: 1,
    hint:
      "check each value before packing; print one line naming the problem (not a stack trace) " +
      "and exit non-zero",
    async run({ script }) {
      const cases: [string[], RegExp][] = [
        [["--", "1", "x", "2.7"], /whole number|integer/i],
        [["--", "1", "4"], /3 values|expected 3|got 2/i],
        [["--format", "=h", "--", "70000"], /-32768 <= number <= 32767/],
        [["--format", "=iQz", "--", "1"], /bad char in struct format/],
      ];
      for (const [args, pattern] of cases) {
        const { result, sent } = await sendWithClient(script(CLIENT), args);
        assertCleanFailure(result, pattern);
        assert.equal(sent, "", `nothing should be sent for ${args.join(" ")}`);
      }
    },
  },
  {
    id: "1.4-server-default",
    task: "1.4",
    title: "binary server prints the received hex and the unpacked values",
    points: 2,
    hint: 'print `Received "<hex>"` and `Unpacked: (1, 4, 2.700000047683716)` (Python\'s tuple ' +
      "notation: the float is what 2.7 becomes in 4 bytes)",
    async run({ script }) {
      await using server = await startServer(script(SERVER));
      await tcpExchange(server.port, [unhex(DEFAULT_RECORD)]);
      await server.script.waitFor(/Unpacked: \(1, 4, 2\.700000047683716\)/);
      assertHasLine(server.script.stdout, new RegExp(`Received "${DEFAULT_RECORD}"`));
    },
  },
  {
    id: "1.4-server-stream",
    task: "1.4",
    title: "binary server reassembles records split across reads and joined in one write",
    points: 2,
    hint: "TCP is a byte stream: read exactly calcsize(format) bytes per record, looping over " +
      "partial reads, and keep going until the client closes",
    async run({ script }) {
      await using server = await startServer(script(SERVER), ["--format", "<d?"]);
      const first = "9a9999999999b93f00"; // (0.1, False)
      const second = "000000000000f0bf01"; // (-1.0, True)
      await tcpExchange(server.port, chunks(unhex(first + second + first), 2));
      await server.script.waitFor(/(Unpacked: .*\n[^]*){3}/);
      const unpacked = server.script.stdout.match(/Unpacked: .*/g);
      assert.deepEqual(unpacked, [
        "Unpacked: (0.1, False)",
        "Unpacked: (-1.0, True)",
        "Unpacked: (0.1, False)",
      ]);
    },
  },
  {
    id: "1.4-server-partial",
    task: "1.4",
    title: "binary server reports a truncated record in one line and keeps serving",
    points: 1,
    hint: "a client that closes in the middle of a record is an error for that client only: log " +
      "one line and go on accepting",
    async run({ script }) {
      const server = await startServer(script(SERVER));
      try {
        await tcpExchange(server.port, [unhex("0100000004")]);
        await tcpExchange(server.port, [unhex(DEFAULT_RECORD)]);
        await server.script.waitFor(/Unpacked: \(1, 4, 2\.700000047683716\)/);
        const truncation = /\b5\b[^\n]*\b12\b|incomplete|truncated|partial/i;
        assert.match(server.script.stderr, truncation, "the truncated record was not reported");
      } finally {
        assertRanUntilStopped(await server.script.stop());
      }
    },
  },
]);
