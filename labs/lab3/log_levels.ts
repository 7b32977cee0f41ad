#!/usr/bin/env -S deno run
/**
 * Task 3.6 — logging instead of printing: levels, and filtering by level.
 *
 * `console.log` lines cannot be told apart or turned down. A logger stamps each message
 * with a time, a level and the name of the program part, writes it to stderr (stdout
 * stays for the program's real output) and drops what is below its level: a game logs
 * every tick at `debug`, and in normal use only warnings and errors are kept. Python's
 * default level is `warning`; so is ours.
 *
 * Run: ./labs/lab3/log_levels.ts                  (warning and worse)
 *      ./labs/lab3/log_levels.ts --level debug    (everything)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { Logger, parseLogLevel, stderrHandler } from "../../lib/logging.ts";

const { values } = parseCommandLine({
  summary: "Plays three game ticks, logging at every level; --level filters the log.",
  options: { level: { default: "warning", description: "least severe level that is logged" } },
});

await runMain(() => {
  // #region logger
  const log = new Logger("lab3_game", {
    level: parseLogLevel(values.level),
    handlers: [stderrHandler],
  });
  log.info("game started with 2 players");
  for (let tick = 1; tick <= 3; tick++) {
    log.debug(`tick ${tick}: moving players`);
    if (tick === 2) log.warning("ignored a command from unknown player id 12");
  }
  log.error("lost contact with player 7");
  log.critical("state file is corrupt; the next game will start empty");
  // #endregion logger
  console.log("game over after 3 ticks"); // the program's output, not a log message
});
