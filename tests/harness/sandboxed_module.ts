/**
 * A student's module, imported in a sandboxed process of its own (`module_host.ts`) and
 * used from a check: its exports' values, calls of its functions, and what they throw,
 * each answer within a deadline. The check's assertions run here, out of the module's
 * reach.
 *
 * @module
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningScript, startScript } from "../../tools/script/process.ts";
import {
  type Answer,
  ANSWER_PREFIX,
  decodeValue,
  encodeValue,
  type Thrown,
} from "./module_host.ts";

const HOST = fileURLToPath(new URL("./module_host.ts", import.meta.url));

/** How long one answer may take (a student's function may loop forever). */
const ANSWER_TIMEOUT_MS = 10_000;

/** What a function of the module threw. */
export class ModuleError extends Error {
  /** The exported classes the thrown value is an instance of (e.g. `["WireError"]`). */
  readonly instanceOf: string[];

  constructor(thrown: Thrown) {
    super(`${thrown.name}: ${thrown.message}`);
    this.instanceOf = thrown.instanceOf;
  }
}

/** A module served by a sandboxed process. Close it when done. */
export class SandboxedModule {
  #host: RunningScript;
  #read = 0; // how much of the host's stdout has been read
  #next = 1;
  /** The names the module exports. */
  exports: string[] = [];

  private constructor(host: RunningScript, readonly path: string) {
    this.#host = host;
  }

  /** Imports the module at `path` in a sandboxed process; fails if it cannot be imported. */
  static async open(path: string): Promise<SandboxedModule> {
    // An import whose name is computed is checked against read permissions, unlike a
    // static one, and so are the modules it imports: the host may read the tree the
    // module is in (`<tree>/labs/lab3/game_wire.ts` beside `<tree>/lib/`), nothing else.
    const extraFlags = [`--allow-read=${dirname(dirname(dirname(path)))}`];
    const host = await startScript(HOST, [path], { stdin: true, extraFlags });
    const module = new SandboxedModule(host, path);
    try {
      module.exports = await module.#answer(0, "import") as string[];
      return module;
    } catch (error) {
      await host.stop("SIGKILL");
      throw error;
    }
  }

  /** The value of export `name` (a function comes as `{ function: name }`). */
  async get(name: string): Promise<unknown> {
    return await this.#request("get", name);
  }

  /** Calls exported function `name` with `args`; a throw rejects with a {@linkcode ModuleError}. */
  async call(name: string, ...args: unknown[]): Promise<unknown> {
    return await this.#request("call", name, args);
  }

  /** The source text of exported function `name`. */
  async source(name: string): Promise<string> {
    return String(await this.#request("source", name));
  }

  /** Ends the process. */
  async close(): Promise<void> {
    await this.#host.stop("SIGKILL");
  }

  async #request(op: string, name: string, args?: unknown[]): Promise<unknown> {
    const id = this.#next++;
    const request = { id, op, name, args: args && encodeValue(args) };
    await this.#host.write(JSON.stringify(request) + "\n");
    return await this.#answer(id, op === "call" ? `${name}(…)` : name);
  }

  /** Waits for the answer with `id` on the host's stdout. */
  async #answer(id: number, what: string): Promise<unknown> {
    const pattern = new RegExp(`^${ANSWER_PREFIX}(\\{"id":${id}[,}].*)$`, "m");
    let match: RegExpMatchArray;
    try {
      match = await this.#host.waitFor(
        { [Symbol.match]: (text: string) => text.slice(this.#read).match(pattern) } as RegExp,
        ANSWER_TIMEOUT_MS,
      );
    } catch (error) {
      await this.#host.stop("SIGKILL");
      const ended = error instanceof Error && /ended before/.test(error.message);
      throw new Error(
        `${this.path}: ${what} ${ended ? "ended the program" : "did not answer within 10 s"}` +
          (this.#host.stderr.trim() ? `\n${this.#host.stderr.trim().slice(-1500)}` : ""),
      );
    }
    this.#read += (match.index ?? 0) + match[0].length;
    const answer: Answer = JSON.parse(match[1]);
    if (answer.thrown) throw new ModuleError(answer.thrown);
    return decodeValue(answer.value);
  }
}

/** Opens the module at `path`, runs `body` with it, and closes it. */
export async function withModule<T>(
  path: string,
  body: (module: SandboxedModule) => Promise<T>,
): Promise<T> {
  const module = await SandboxedModule.open(path);
  try {
    return await body(module);
  } finally {
    await module.close();
  }
}
