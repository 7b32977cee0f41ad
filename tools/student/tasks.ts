/**
 * The course's tasks as a student meets them: for each task the graded checks know
 * (`1.1`, `D1`, `O2`…), its title, the handout section that teaches it, the files the
 * student writes (each with a starter in `starters/labN/`), the modules copied whole
 * from `labs/labN/` because the task needs them but does not ask for them, and the
 * files of other tasks its checks run (O1 grades Deliverable 1's TCP server).
 *
 * `deno task start` builds the student's folder from this list, `deno task watch`
 * finds the task of a saved file in it, and `deno task progress` orders and names
 * the tasks with it. A unit test holds it to the checks and to `labs/`.
 *
 * Handout paths are the site's: `/lab1/task-1-1#task-1-1` is the task box of Task 1.1 on the
 * Lab 1 page (`deno task serve` serves the site).
 *
 * @example Find the task of a file
 * ```ts
 * import assert from "node:assert/strict";
 * import { tasksOfFile } from "./tasks.ts";
 *
 * assert.deepEqual(tasksOfFile("lab1/tcp_echo_server.ts").map((t) => t.id), ["1.1"]);
 * assert.deepEqual(tasksOfFile("lab1/sensor_server_tcp.ts").map((t) => t.id), ["D1", "O1"]);
 * ```
 *
 * @module
 */

/** One task of the course, as the student's folder holds it. */
export interface CourseTask {
  /** The task as the checks number it: `1.1`, `D1`, `O2`, `X1`. */
  id: string;
  /** The lab it belongs to; its files live in `labN/`. */
  lab: number;
  /** Its title, as the handout's task box names it. */
  title: string;
  /** The handout section: site path and anchor, e.g. `/lab1/task-1-1#task-1-1`. */
  handout: string;
  /** Optional tasks (O…, X…) come after the others when choosing what is next. */
  optional: boolean;
  /** Files the student writes, from `starters/labN/`. */
  write: string[];
  /** Modules copied whole from `labs/labN/`: needed, not asked for. */
  given: string[];
  /** Files of other tasks that this task's checks run too. */
  uses: string[];
}

type Entry = Pick<CourseTask, "id" | "title" | "handout"> & Partial<CourseTask>;

function lab(number: number, entries: Entry[]): CourseTask[] {
  return entries.map((entry) => ({
    lab: number,
    optional: /^[OX]/.test(entry.id),
    write: [],
    given: [],
    uses: [],
    ...entry,
  }));
}

/** Every task, in the order the handouts present them. */
export const TASKS: readonly CourseTask[] = [
  ...lab(1, [
    {
      id: "1.1",
      title: "TCP echo server and client",
      handout: "/lab1/task-1-1#task-1-1",
      write: ["tcp_echo_server.ts", "tcp_echo_client.ts"],
    },
    {
      id: "1.2",
      title: "UDP send and receive",
      handout: "/lab1/task-1-2#task-1-2",
      write: ["udp_receiver.ts", "udp_sender.ts"],
    },
    {
      id: "1.3",
      title: "UDP echo",
      handout: "/lab1/task-1-3#task-1-3",
      write: ["udp_echo_server.ts", "udp_echo_client.ts"],
    },
    {
      id: "1.4",
      title: "Binary data with struct",
      handout: "/lab1/task-1-4#task-1-4",
      write: ["binary_server.ts", "binary_client.ts"],
    },
    {
      id: "1.5",
      title: "Concurrent server with a conversational client",
      handout: "/lab1/task-1-5#task-1-5",
      write: [
        "conversation_server.ts",
        "conversation_client.ts",
        "udp_conversation_server.ts",
        "udp_conversation_client.ts",
      ],
    },
    {
      id: "D1",
      title: "Sensor telemetry over TCP and UDP",
      handout: "/lab1/deliverable-1#deliverable-1",
      write: [
        "sensor_server_tcp.ts",
        "sensor_client_tcp.ts",
        "sensor_server_udp.ts",
        "sensor_client_udp.ts",
      ],
      given: [
        "sensor_protocol.md",
        "sensor_protocol.ts",
        "sensor_server_core.ts",
        "sensor_simulator.ts",
      ],
    },
    {
      id: "O1",
      title: "A concurrent server for the deliverable",
      handout: "/lab1/optional-concurrent-server#optional-a-concurrent-server-for-the-deliverable",
      uses: ["sensor_server_tcp.ts", "sensor_client_tcp.ts"],
    },
    {
      id: "O2",
      title: "Reliable, in-order delivery over UDP",
      handout: "/lab1/optional-reliable-udp#optional-reliable-in-order-delivery-over-udp",
      write: ["reliable_udp_receiver.ts", "reliable_udp_sender.ts"],
    },
    {
      id: "X1",
      title: "Server and client on two hosts",
      handout: "/lab1/extra-tasks#optional-server-and-client-on-two-hosts",
      uses: [
        "conversation_server.ts",
        "conversation_client.ts",
        "udp_conversation_server.ts",
        "udp_conversation_client.ts",
      ],
    },
    {
      id: "X2",
      title: "Ports and privileged ports",
      handout: "/lab1/extra-tasks#optional-ports-and-privileged-ports",
      uses: ["conversation_server.ts"],
    },
  ]),
  ...lab(2, [
    {
      id: "2.1",
      title: "Many connections at once",
      handout: "/lab2/task-2-1#task-2-1",
      write: ["multiconn_server.ts", "multiconn_client.ts", "load_generator.ts"],
    },
    {
      id: "2.2",
      title: "Message boundaries",
      handout: "/lab2/task-2-2#task-2-2",
      write: ["boundaries.ts", "boundaries_server.ts", "dribble_client.ts"],
    },
    {
      id: "2.3",
      title: "An application protocol",
      handout: "/lab2/task-2-3#task-2-3",
      write: ["app_server.ts", "app_client.ts"],
    },
    {
      id: "2.4",
      title: "Byte order",
      handout: "/lab2/task-2-4#task-2-4",
      write: ["wire_order.ts"],
    },
    {
      id: "2.5",
      title: "Every core",
      handout: "/lab2/task-2-5#task-2-5",
      write: ["reuseport_server.ts"],
    },
  ]),
  ...lab(3, [
    {
      id: "3.1",
      title: "Text and its encodings",
      handout: "/lab3/task-3-1#task-3-1",
      write: ["text_bytes.ts", "wrong_encoding.ts"],
    },
    {
      id: "3.2",
      title: "Numbers on the wire",
      handout: "/lab3/task-3-2#task-3-2",
      write: ["number_sizes.ts", "byte_order.ts"],
    },
    {
      id: "3.3",
      title: "Bits",
      handout: "/lab3/task-3-3#task-3-3",
      write: ["bit_fields.ts", "bit_ops.ts", "twos_complement.ts", "to_binary.ts"],
    },
    {
      id: "3.4",
      title: "Bit exercises",
      handout: "/lab3/task-3-4#task-3-4",
      write: ["exercises.ts"],
      given: ["count_bits.ts"],
    },
    {
      id: "3.5",
      title: "Compression",
      handout: "/lab3/task-3-5#task-3-5",
      write: ["compression_ratios.ts", "zlib_tool.ts"],
    },
    {
      id: "3.6",
      title: "Logging",
      handout: "/lab3/task-3-6#task-3-6",
      write: ["log_levels.ts", "syslog_sender.ts", "syslog_collector.ts"],
    },
    {
      id: "3.7",
      title: "The networked game",
      handout: "/lab3/task-3-7#task-3-7",
      write: ["game_wire.ts", "game_server.ts", "game_client.ts"],
      given: ["game_state.ts", "game_view.ts", "game_bot.ts", "game_client_table.ts"],
    },
  ]),
];

/**
 * The task with this id; `undefined` for an unknown one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findTask } from "./tasks.ts";
 *
 * assert.equal(findTask("3.4")?.handout, "/lab3/task-3-4#task-3-4");
 * assert.equal(findTask("9.9"), undefined);
 * ```
 */
export function findTask(id: string): CourseTask | undefined {
  return TASKS.find((task) => task.id === id);
}

/**
 * The tasks whose checks run `path` (`labN/name`, relative to the work folder): the
 * task that writes or gives it, then those that use it. Empty for any other file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tasksOfFile } from "./tasks.ts";
 *
 * assert.deepEqual(tasksOfFile("lab3/count_bits.ts").map((t) => t.id), ["3.4"]);
 * assert.deepEqual(tasksOfFile("lab2/count_bits.ts"), []);
 * assert.deepEqual(tasksOfFile("notes.txt"), []);
 * ```
 */
export function tasksOfFile(path: string): CourseTask[] {
  const match = /^lab(\d+)\/([^/]+)$/.exec(path.replaceAll("\\", "/"));
  if (!match) return [];
  const [, labNumber, name] = match;
  return TASKS.filter((task) =>
    task.lab === Number(labNumber) &&
    [...task.write, ...task.given, ...task.uses].includes(name)
  );
}

/**
 * The files a task's checks run, as `labN/name` paths: the ones it writes, gives and uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filesOf, findTask } from "./tasks.ts";
 *
 * assert.deepEqual(filesOf(findTask("3.4")!), ["lab3/exercises.ts", "lab3/count_bits.ts"]);
 * ```
 */
export function filesOf(task: CourseTask): string[] {
  return [...task.write, ...task.given, ...task.uses].map((name) => `lab${task.lab}/${name}`);
}
