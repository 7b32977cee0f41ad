#!/usr/bin/env -S deno run
/**
 * Task 3.6 — logging instead of printing: levels, and filtering by level.
 *
 * STARTER: the command line is in place (the contract every lab script keeps); each
 * TODO is a step of the task, and the handout explains it: /lab3/task-3-6#task-3-6.
 *
 * Run:   ./mywork/lab3/log_levels.ts                  (warning and worse)
 *        ./mywork/lab3/log_levels.ts --level debug    (everything)
 * Grade: deno task watch      (or: deno task grade --dir mywork --task 3.6)
 */
import { parseCommandLine, runMain } from "../../lib/cli.ts";
import { todo } from "../../lib/todo.ts";

const { values } = parseCommandLine({
  summary: "Plays three game ticks, logging at every level; --level filters the log.",
  options: { level: { default: "warning", description: "least severe level that is logged" } },
});

await runMain(() => {
  // TODO(3.6): make a `Logger("lab3_game", { level, handlers: [stderrHandler] })` from
  // ../../lib/logging.ts, with the level of --level (`parseLogLevel` refuses a bad one),
  // and play three ticks: info `game started with 2 players`; each tick debug
  // `tick <n>: moving players`, and on tick 2 warning `ignored a command from unknown
  // player id 12`; then error `lost contact with player 7` and critical `state file is
  // corrupt; the next game will start empty`.
  // TODO(3.6): the program's own output stays on stdout: `game over after 3 ticks`.
  todo("/lab3/task-3-6#task-3-6", `log three game ticks at level ${values.level}`);
});
