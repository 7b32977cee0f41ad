#!/usr/bin/env -S deno run
/**
 * Serves the exports of a student's module to a check that runs in another process.
 *
 * Some checks grade a module rather than a script (`exercises.ts`, `game_wire.ts`):
 * importing it into the grader would run the student's code with the grader's
 * permissions, and in the grader's own JavaScript world, where it could replace the
 * built-ins the assertions use. Instead this program imports it in a process of its own,
 * started in the course's sandbox with no permission at all, and answers requests on
 * stdin with one JSON line each on stdout: an export's value, a call of an exported
 * function, a function's source. The check judges the answers in its own process
 * (`sandboxed_module.ts`).
 *
 * Values travel as JSON, with what JSON cannot carry tagged: byte arrays, `undefined`,
 * big integers, non-finite numbers and -0; a function travels as its name.
 *
 * @module
 */
import { pathToFileURL } from "node:url";

/** The prefix of every line this program answers with (the module may print too). */
export const ANSWER_PREFIX = "@module-host ";

/** A request: `get` an export, `call` an exported function, or read its `source`. */
export interface Request {
  id: number;
  op: "get" | "call" | "source";
  name: string;
  args?: unknown;
}

/** What was thrown, as the check sees it: which exported classes it is an instance of. */
export interface Thrown {
  name: string;
  message: string;
  instanceOf: string[];
}

/** An answer: the value, or what was thrown. */
export interface Answer {
  id: number;
  value?: unknown;
  thrown?: Thrown;
}

/** `value` as JSON-safe data, tagging what JSON cannot carry. */
export function encodeValue(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === undefined) return { $undefined: true };
  if (typeof value === "bigint") return { $bigint: String(value) };
  if (typeof value === "number") {
    return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: String(value) };
  }
  if (typeof value === "function") return { $function: value.name };
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return { $circular: true };
  seen.add(value);
  try {
    if (value instanceof Uint8Array) return { $bytes: [...value] };
    if (Array.isArray(value)) return value.map((item) => encodeValue(item, seen));
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, encodeValue(item, seen)]),
    );
  } finally {
    seen.delete(value);
  }
}

/** The value {@linkcode encodeValue} tagged, back as it was. */
export function decodeValue(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(decodeValue);
  if (typeof data !== "object" || data === null) return data;
  const tagged = data as Record<string, unknown>;
  if ("$undefined" in tagged) return undefined;
  if ("$bigint" in tagged) return BigInt(String(tagged.$bigint));
  if ("$number" in tagged) return tagged.$number === "-0" ? -0 : Number(tagged.$number);
  if ("$bytes" in tagged) return Uint8Array.from(tagged.$bytes as number[]);
  if ("$function" in tagged) return { function: tagged.$function };
  return Object.fromEntries(Object.entries(tagged).map(([key, item]) => [key, decodeValue(item)]));
}

/** Answers requests on stdin about the module at `path` until stdin ends. */
async function serve(path: string): Promise<void> {
  const encoder = new TextEncoder();
  const answer = (reply: Answer) =>
    Deno.stdout.writeSync(encoder.encode(`${ANSWER_PREFIX}${JSON.stringify(reply)}\n`));
  let module: Record<string, unknown>;
  const thrown = (error: unknown): Thrown => ({
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    instanceOf: Object.entries(module ?? {})
      .filter(([, value]) => typeof value === "function" && safeInstanceOf(error, value))
      .map(([name]) => name),
  });
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    answer({ id: 0, thrown: thrown(error) });
    return;
  }
  answer({ id: 0, value: Object.keys(module) });
  let buffered = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    for (let end; (end = buffered.indexOf("\n")) >= 0;) {
      const request: Request = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      try {
        const exported = module[request.name];
        let value: unknown = exported;
        if (request.op === "source") value = String(exported);
        if (request.op === "call") {
          if (typeof exported !== "function") {
            throw new TypeError(`${request.name} is not a function`);
          }
          value = await exported(...decodeValue(request.args) as unknown[]);
        }
        answer({ id: request.id, value: encodeValue(value) });
      } catch (error) {
        answer({ id: request.id, thrown: thrown(error) });
      }
    }
  }
}

function safeInstanceOf(value: unknown, type: unknown): boolean {
  try {
    return value instanceof (type as new () => unknown);
  } catch {
    return false;
  }
}

if (import.meta.main) await serve(Deno.args[0]);
