/**
 * Unit tests of what lib/ does against hostile peers and hostile input: the accept loop's
 * per-connection errors, descriptor exhaustion and idle timeout; a reuseport worker's
 * failure; read deadlines; text for logs; negative and huge numbers on the command line;
 * the reliable-UDP receiver's memory bound.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { previewText, utf8Encode } from "../../../lib/bytes.ts";
import {
  MAX_DELAY_MS,
  parseCommandLine,
  parseCount,
  parseIdleTimeout,
  parseMilliseconds,
} from "../../../lib/cli.ts";
import { BufferedReader, type Reader, ReadTimeoutError } from "../../../lib/framing.ts";
import { acceptConnections, listenTcp, serveConnection } from "../../../lib/net.ts";
import { type DataSegment, SelectiveRepeatReceiver } from "../../../lib/reliable_udp.ts";
import { assertCleanFailure } from "../../harness/expect.ts";
import { startProgram } from "../../../tools/script/process.ts";

/** A listener whose accept() gives each outcome in turn, then reports being closed. */
function scriptedListener(outcomes: (() => Deno.TcpConn)[]): Deno.Listener<Deno.TcpConn> {
  return {
    accept: () => {
      const next = outcomes.shift() ?? (() => {
        throw new Deno.errors.BadResource("Listener has been closed");
      });
      return Promise.resolve().then(next);
    },
  } as unknown as Deno.Listener<Deno.TcpConn>;
}

Deno.test("acceptConnections skips connections reset before accept, at once and quietly", async () => {
  const conn = {} as Deno.TcpConn;
  const failures = [
    new Deno.errors.NotConnected("Transport endpoint is not connected (os error 107)"),
    new Deno.errors.ConnectionAborted("Software caused connection abort (os error 103)"),
    new Deno.errors.ConnectionReset("Connection reset by peer (os error 104)"),
  ];
  const outcomes = [
    ...failures.map((error) => () => {
      throw error;
    }),
    () => conn,
  ];
  const logged: string[] = [];
  const console_error = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    const started = performance.now();
    const accepted = [];
    for await (const each of acceptConnections(scriptedListener(outcomes))) accepted.push(each);
    assert.deepEqual(accepted, [conn]);
    assert.ok(performance.now() - started < 50, "no pause after a client's own failure");
    assert.deepEqual(logged, []);
  } finally {
    console.error = console_error;
  }
});

Deno.test("acceptConnections says once that descriptors ran out, backs off, and recovers", async () => {
  const exhausted = () => {
    throw Object.assign(new Error("Too many open files (os error 24)"), { code: "EMFILE" });
  };
  const conn = {} as Deno.TcpConn;
  const logged: string[] = [];
  const console_error = console.error;
  console.error = (line: string) => logged.push(line);
  try {
    const started = performance.now();
    const accepted = [];
    const outcomes = [exhausted, exhausted, exhausted, () => conn];
    for await (const each of acceptConnections(scriptedListener(outcomes))) accepted.push(each);
    const waited = performance.now() - started;
    assert.deepEqual(accepted, [conn]);
    assert.ok(waited >= 10 + 20 + 40 - 5 && waited < 1000, `paused ${waited} ms`);
    assert.equal(logged.length, 2, logged.join("\n"));
    assert.match(logged[0], /^accept failed: Too many open files .*ulimit -n.*retrying$/);
    assert.equal(logged[1], "accepting connections again");
  } finally {
    console.error = console_error;
  }
});

Deno.test("acceptConnections closes a connection idle for idleTimeoutMs, not a busy one", async () => {
  const listener = listenTcp("127.0.0.1", 0);
  const logged: string[] = [];
  const console_error = console.error;
  console.error = (line: string) => logged.push(line);
  const idle = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const busy = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const served: Promise<void>[] = [];
  const loop = (async () => {
    for await (const conn of acceptConnections(listener, { idleTimeoutMs: 150 })) {
      served.push(serveConnection(conn, async (c) => {
        const buffer = new Uint8Array(16);
        for (let n; (n = await c.read(buffer)) !== null;) await c.write(buffer.subarray(0, n));
      }));
    }
  })();
  try {
    const started = performance.now();
    const buffer = new Uint8Array(16);
    for (let i = 0; i < 8; i++) { // 400 ms of traffic, every 50 ms
      await busy.write(Uint8Array.of(i));
      assert.equal(await busy.read(buffer), 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await idle.read(buffer), null, "the idle connection was closed");
    const closedAfter = performance.now() - started;
    assert.ok(closedAfter >= 150 && closedAfter < 800, `closed after ${closedAfter} ms`);
    await busy.write(Uint8Array.of(9));
    assert.equal(await busy.read(buffer), 1, "the busy connection is still served");
    assert.equal(logged.length, 1, logged.join("\n"));
    assert.match(logged[0], /nothing received or sent for 150 ms: closing the connection$/);
  } finally {
    console.error = console_error;
    idle.close();
    busy.close();
    listener.close();
    await loop;
    await Promise.all(served);
  }
});

Deno.test("a reuseport worker that fails ends the process with one line and code 1", async () => {
  const net = new URL("../../../lib/net.ts", import.meta.url).href;
  const program = `
    import { startTcpWorker } from "${net}";
    function crash() { setTimeout(() => { throw new Error("worker bug"); }, 10); }
    startTcpWorker("worker 3", crash);
    setTimeout(() => console.log("the main thread went on"), 5000);`;
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/main.ts`;
    await Deno.writeTextFile(path, program);
    const result = await startProgram(Deno.execPath(), ["run", "--no-config", "-A", path])
      .finished(20_000);
    assertCleanFailure(result, /^error: worker 3 stopped: worker bug$/, 1);
    assert.equal(result.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BufferedReader timeoutMs bounds a whole line, however it trickles in", async () => {
  let sent = 0;
  const trickle: Reader = { // one byte every 20 ms, never a line feed
    read: (p) =>
      new Promise((resolve) =>
        setTimeout(() => {
          p[0] = 0x41;
          sent++;
          resolve(1);
        }, 20)
      ),
  };
  const reader = new BufferedReader(trickle, { timeoutMs: 100 });
  const started = performance.now();
  await assert.rejects(reader.readLine(), (error) => {
    assert.ok(error instanceof ReadTimeoutError);
    assert.equal(error.timeoutMs, 100);
    return true;
  });
  const took = performance.now() - started;
  assert.ok(took >= 95 && took < 300, `gave up after ${took} ms`);
  assert.ok(sent >= 3, "bytes did arrive, just too slowly");
  await assert.rejects(reader.readExact(1), ReadTimeoutError, "the reader stays failed");
  await new Promise((resolve) => setTimeout(resolve, 30)); // the last pending read ends
});

Deno.test("BufferedReader timeoutMs lets each read have the whole time again", async () => {
  const lines = utf8Encode("one\ntwo\n");
  let offset = 0;
  const slow: Reader = { // 60 ms per line, under the 100 ms each read may take
    read: (p) =>
      new Promise((resolve) =>
        setTimeout(() => {
          const end = lines.indexOf(0x0a, offset) + 1;
          if (end === 0) return resolve(null);
          p.set(lines.subarray(offset, end));
          resolve(end - offset);
          offset = end;
        }, 60)
      ),
  };
  const reader = new BufferedReader(slow, { timeoutMs: 100 });
  assert.equal(await reader.readLine(), "one");
  assert.equal(await reader.readLine(), "two");
  assert.equal(await reader.readLine(), null);
});

Deno.test("previewText escapes what could forge a log line or drive a terminal", () => {
  assert.equal(previewText("ok\r\n2025-01-01 INFO forged"), "ok\\r\\n2025-01-01 INFO forged");
  assert.equal(previewText("\x1b]0;title\x07\x00\x7f\x9b"), "\\x1b]0;title\\x07\\x00\\x7f\\x9b");
  assert.equal(previewText("\u202egnp.exe\u2028"), "\\u202egnp.exe\\u2028");
  assert.equal(previewText("tab\there, é and 🧦 stay"), "tab\\there, é and 🧦 stay");
  const big = "x".repeat(1 << 20);
  assert.equal(previewText(big, 3), `xxx… (${1 << 20} bytes in all)`);
  assert.equal(previewText(utf8Encode(big), 3), `xxx… (${1 << 20} bytes in all)`);
  assert.equal(previewText("🧦🧦", 3), "🧦… (8 bytes in all)", "never half a surrogate pair");
  assert.equal(previewText(Uint8Array.of(0x68, 0xff, 0x0a)), "h\ufffd\\n");
});

Deno.test("negative numbers reach the flag's own check, or stay words", () => {
  const spec = {
    summary: "t",
    options: { port: { default: "1", description: "p" } },
    arguments: "[WORDS...]",
  };
  const parsed = parseCommandLine(spec, ["--port", "-1", "-5", "x", "-0.5", "--", "-2"]);
  assert.equal(parsed.values.port, "-1");
  assert.deepEqual(parsed.positionals, ["-5", "x", "-0.5", "-2"]);
  assert.throws(() => parseCount(parsed.values.port, "--port", 0), /from 0 up \(got "-1"\)/);
});

Deno.test("durations stop at the timer's limit, counts at their maximum", () => {
  assert.equal(parseMilliseconds(String(MAX_DELAY_MS), "--delay"), MAX_DELAY_MS);
  assert.throws(() => parseMilliseconds("3000000000", "--delay"), /up to 2147483647/);
  assert.throws(() => parseMilliseconds("-1", "--delay"), /positive number/);
  assert.equal(parseIdleTimeout("0"), 0);
  assert.throws(() => parseIdleTimeout("2147483648"), /from 0 to 2147483647/);
  assert.throws(() => parseCount("99999999999999999999", "--count"), /whole number from 1 up/);
});

Deno.test("a script's negative --port gets the usual one-line error", async () => {
  const server = fileURLToPath(new URL("../../../labs/lab1/tcp_echo_server.ts", import.meta.url));
  const result = await startProgram(Deno.execPath(), [
    "run",
    "--no-config",
    "--allow-net=127.0.0.1",
    server,
    "--port",
    "-1",
  ]).finished(20_000);
  assertCleanFailure(
    result,
    /^error: --port must be a whole number from 0 to 65535 \(got "-1"\)$/,
    2,
  );
});

Deno.test("the reliable-UDP receiver holds at most maxBufferedBytes of early segments", () => {
  const receiver = new SelectiveRepeatReceiver(1, 1024, 10_000);
  const segment = (seq: number): DataSegment => ({
    kind: "data",
    stream: 1,
    seq,
    fin: false,
    attempt: 1,
    payload: new Uint8Array(4000),
  });
  assert.notEqual(receiver.receive(segment(1)).ack, null);
  assert.notEqual(receiver.receive(segment(2)).ack, null);
  assert.equal(receiver.receive(segment(3)).ack, null, "a third early segment would pass 10,000");
  assert.equal(receiver.stats.outsideWindow, 1);
  const { ack, data } = receiver.receive(segment(0)); // the one needed next is always taken
  assert.notEqual(ack, null);
  assert.equal(data.length, 3);
  assert.notEqual(receiver.receive(segment(3)).ack, null, "room again once delivered");
});
