/**
 * Tests of the Wireshark dissector for the Lab 2.3 protocol
 * (`tools/wireshark/app_protocol_dissector.lua`), run by tshark: on captures built byte by
 * byte (messages split over segments, several in one, Python's spacing, a malformed
 * header, a port found by its contents), and on a live capture of `app_server.ts` and
 * `app_client.ts` made with `capture.ts` (that one needs root and tcpdump). The
 * dissector is a tool of the course, not a graded task: these are plain tests, skipped
 * with a printed reason where tshark is missing.
 *
 * @module
 */
import assert from "node:assert/strict";
import { encodeJsonMessage, encodeMessage } from "../../../lib/app_message.ts";
import { concat, utf8Encode } from "../../../lib/bytes.ts";
import { LinkType, writePcap } from "../../../tools/traffic/pcap.ts";
import { REFERENCE_DIR, TOOLS_DIR } from "../../harness/checks.ts";
import { hasProgram } from "../../../tools/script/host.ts";
import { assertSuccess } from "../../harness/expect.ts";
import { records, tcpConversation } from "../../harness/pcap_builder.ts";
import { runScript, startServer } from "../../../tools/script/process.ts";

const DISSECTOR = `${TOOLS_DIR}/wireshark/app_protocol_dissector.lua`;
const CAPTURE = `${TOOLS_DIR}/capture/capture.ts`;
const FIELDS = ["tcp.srcport", "appmsg.content_type", "appmsg.content_length", "appmsg.text"];

const noTshark = !hasProgram("tshark");
if (noTshark) console.log("skipping the 2.3 dissector tests: tshark is not installed");
const isRoot = (() => {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
})();
const cannotCapture = noTshark || !hasProgram("tcpdump") || !isRoot;
if (cannotCapture && !noTshark) {
  console.log("skipping the 2.3 live-capture dissector test: it needs root and tcpdump");
}

/** The given fields of the packets matching `filter`, as tshark decodes them with our dissector. */
async function tsharkFields(file: string, filter: string, fields = FIELDS): Promise<string[][]> {
  const output = await new Deno.Command("tshark", {
    args: [
      ...["-X", `lua_script:${DISSECTOR}`, "-r", file, "-Y", filter, "-T", "fields"],
      ...["-E", "occurrence=a", "-E", "aggregator=|", ...fields.flatMap((f) => ["-e", f])],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `tshark failed:\n${stderr}`);
  assert.doesNotMatch(stderr, /Lua|error/i, "the dissector loads without errors");
  const lines = new TextDecoder().decode(output.stdout).split("\n").slice(0, -1);
  return lines.map((line) => line.split("\t"));
}

/** A request as Python's json.dumps writes it: a space after each colon and comma. */
function pythonStyleRequest(): Uint8Array {
  const content = utf8Encode('{"action": "search", "value": "ring"}');
  const header = utf8Encode(
    `{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", ` +
      `"content-length": ${content.length}}`,
  );
  return concat(new Uint8Array([0, header.length]), header, content);
}

Deno.test({
  name: "2.3 dissector: stages across segments, messages sharing one, any port, bad headers",
  ignore: noTshark,
  async fn() {
    const request = encodeJsonMessage({ action: "search", value: "🧦" });
    const response = encodeJsonMessage({ result: "a pair of socks" });
    const binary = encodeMessage(
      new Uint8Array([0, 1, 2, 3]),
      "binary/custom-client-binary-type",
      "binary",
    );
    const badHeader = concat(new Uint8Array([0, 20]), utf8Encode("{not json at all!!!}"));
    const packets = [
      // Port 65432: the request cut inside the fixed header and inside the JSON header.
      ...tcpConversation([
        { from: "client", dataNoAck: request.subarray(0, 1) },
        { from: "client", dataNoAck: request.subarray(1, 20) },
        { from: "client", data: request.subarray(20) },
        { from: "server", data: response },
      ], { startTime: 1, server: ["127.0.0.1", 65432], client: ["127.0.0.1", 40001] }),
      // Another port, found by its contents: two messages in one segment.
      ...tcpConversation([{ from: "client", data: concat(pythonStyleRequest(), binary) }], {
        startTime: 2,
        server: ["127.0.0.1", 40404],
        client: ["127.0.0.1", 40002],
      }),
      // A binary message cut inside its content, then a header that is not JSON.
      ...tcpConversation([
        { from: "client", dataNoAck: binary.subarray(0, binary.length - 2) },
        { from: "client", data: binary.subarray(binary.length - 2) },
        { from: "client", data: badHeader },
      ], { startTime: 3, server: ["127.0.0.1", 65432], client: ["127.0.0.1", 40003] }),
    ];
    const dir = await Deno.makeTempDir({ prefix: "app-dissector-" });
    try {
      const file = `${dir}/app.pcap`;
      await Deno.writeFile(
        file,
        writePcap({ linkType: LinkType.ETHERNET }, records(LinkType.ETHERNET, packets)),
      );
      const rows = await tsharkFields(file, "appmsg.content_length");
      assert.deepEqual(rows, [
        ["40001", "text/json", "34", '{"action":"search","value":"🧦"}'],
        ["65432", "text/json", "28", '{"result":"a pair of socks"}'],
        [
          "40002",
          "text/json|binary/custom-client-binary-type",
          "37|4",
          '{"action": "search", "value": "ring"}',
        ],
        ["40003", "binary/custom-client-binary-type", "4", ""],
      ]);
      const bytesOrders = await tsharkFields(file, "appmsg.content_length", ["appmsg.byteorder"]);
      assert.deepEqual(bytesOrders.map(([order]) => order), [
        "little",
        "little",
        "big|little",
        "little",
      ]);
      const malformed = await tsharkFields(file, "appmsg && _ws.expert", [
        "appmsg.header_length",
        "_ws.expert.message",
      ]);
      assert.deepEqual(malformed, [[
        "20",
        "no JSON object with a whole-number content-length",
      ]]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "2.3 dissector: a live capture of app_client.ts and app_server.ts",
  ignore: cannotCapture,
  async fn() {
    const server = await startServer(`${REFERENCE_DIR}/lab2/app_server.ts`);
    const dir = await Deno.makeTempDir({ prefix: "app-capture-" });
    try {
      const file = `${dir}/app.pcap`;
      const port = `${server.port}`;
      const client = `${REFERENCE_DIR}/lab2/app_client.ts`;
      const result = await runScript(CAPTURE, [
        ...["--port", port, "--out", file, "--", client, "--port", port, "reverse", "stressed"],
      ], 30_000);
      assertSuccess(result);
      const rows = await tsharkFields(file, "appmsg", ["appmsg.content_type", "appmsg.text"]);
      assert.deepEqual(rows, [
        ["text/json", '{"action":"reverse","value":"stressed"}'],
        ["text/json", '{"result":"desserts"}'],
      ]);
    } finally {
      await server.script.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
