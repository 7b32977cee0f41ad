import assert from "node:assert/strict";
import {
  formatLogRecord,
  levelNumber,
  Logger,
  type LogRecord,
  parseLogLevel,
  TrafficLog,
} from "../../../lib/logging.ts";

Deno.test("logging: levels have Python's numbers and parse from any case", () => {
  assert.deepEqual(
    (["debug", "info", "warning", "error", "critical"] as const).map(levelNumber),
    [10, 20, 30, 40, 50],
  );
  assert.equal(parseLogLevel("WARN"), "warning");
  assert.equal(parseLogLevel("Error"), "error");
  assert.throws(() => parseLogLevel("loud"), /unknown log level "loud" \(use one of debug, info/);
});

Deno.test("logging: a logger passes records at or above its level to every handler", () => {
  const first: LogRecord[] = [];
  const second: string[] = [];
  const log = new Logger("game", {
    level: "warning",
    handlers: [(record) => void first.push(record), (record) => void second.push(record.level)],
  });
  assert.equal(log.debug("a"), false);
  assert.equal(log.info("b"), false);
  assert.equal(log.warning("c"), true);
  assert.equal(log.error("d"), true);
  assert.equal(log.critical("e"), true);
  assert.deepEqual(first.map((record) => record.message), ["c", "d", "e"]);
  assert.deepEqual(second, ["warning", "error", "critical"]);
  assert.equal(first[0].logger, "game");
  log.level = "debug";
  assert.equal(log.debug("f"), true);
  assert.equal(first.at(-1)?.message, "f");
});

Deno.test("logging: the default level is warning, like Python's root logger", () => {
  const log = new Logger("x");
  assert.equal(log.isEnabledFor("info"), false);
  assert.equal(log.isEnabledFor("warning"), true);
});

Deno.test("logging: flush waits for asynchronous handlers and reports their failure", async () => {
  const done: string[] = [];
  const log = new Logger("net", {
    level: "debug",
    handlers: [async (record) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (record.message === "bad") throw new Error("send failed");
      done.push(record.message);
    }],
  });
  log.info("one");
  log.info("two");
  await log.flush();
  assert.deepEqual(done, ["one", "two"]);
  log.info("bad");
  await assert.rejects(log.flush(), /send failed/);
  await log.flush(); // nothing left pending
});

Deno.test("logging: a record formats as one line with ISO time, level and name", () => {
  const line = formatLogRecord({
    time: new Date(Date.UTC(2025, 1, 3, 4, 5, 6, 7)),
    logger: "game",
    level: "error",
    message: "lost player 7",
  });
  assert.equal(line, "2025-02-03T04:05:06.007Z ERROR game: lost player 7");
});

Deno.test("TrafficLog logs a read at once and sums up the reads of the next interval in one line", async () => {
  const lines: string[] = [];
  const log = new TrafficLog<string>(({ reads, bytes, preview, first }) => {
    lines.push(`${reads} ${bytes} ${first} ${preview}`);
  }, 50);
  log.add(new TextEncoder().encode("hi"), "a");
  assert.deepEqual(lines, ["1 2 a b'hi'"], "the first read is logged at once");
  log.add(new TextEncoder().encode("one"), "b");
  log.add(new TextEncoder().encode("two!"), "c");
  assert.equal(lines.length, 1, "reads within the interval wait");
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.deepEqual(lines, ["1 2 a b'hi'", "2 7 b b'one'"], "the interval's end logs them");
  log.add(new Uint8Array(3), "d"); // the interval after that line is over: at once
  assert.equal(lines.at(-1), "1 3 d b'\\x00\\x00\\x00'");
  log.add(new Uint8Array(1), "e"); // gathered, until the connection ends
  log.flush();
  assert.equal(lines.at(-1), "1 1 e b'\\x00'");
  log.flush(); // nothing left: nothing logged
  assert.equal(lines.length, 4);
});
