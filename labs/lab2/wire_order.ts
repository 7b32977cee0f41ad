#!/usr/bin/env -S deno run
/**
 * Task 2.4 — byte order: this machine's and the wire's.
 *
 * A typed array (`Uint32Array`, …) holds numbers the way this machine's CPU does, in
 * its own byte order: what `sys.byteorder` reports in Python. Sending that memory as it
 * is works only if the receiver's CPU agrees. A protocol therefore fixes one order for
 * the wire, usually network order (big-endian, struct's `!`), or says which one the
 * sender used, as the `byteorder` field of Task 2.3's JSON header does; the receiver
 * unpacks with that order, whatever its own.
 *
 * Run: ./labs/lab2/wire_order.ts                      (1 258 305419896 as 'I')
 *      ./labs/lab2/wire_order.ts --code h -- -2 300
 */
import { parseCommandLine, runMain, UsageError } from "../../lib/cli.ts";
import { hexlify } from "../../lib/bytes.ts";
import { pack, unpack } from "../../lib/struct.ts";
import { formatTuple, parseValues } from "../../lib/values.ts";

const { values, positionals } = parseCommandLine({
  summary: "Byte order (Task 2.4): numbers in this machine's memory and on the wire.",
  options: { code: { default: "I", description: "struct code: h H i I f d" } },
  arguments: "[-- VALUE...]",
});

/** Each struct code's numbers as this machine's memory holds them: a typed array. */
const IN_MEMORY: Record<string, (numbers: number[]) => ArrayBufferView> = {
  h: (numbers) => Int16Array.from(numbers),
  H: (numbers) => Uint16Array.from(numbers),
  i: (numbers) => Int32Array.from(numbers),
  I: (numbers) => Uint32Array.from(numbers),
  f: (numbers) => Float32Array.from(numbers),
  d: (numbers) => Float64Array.from(numbers),
};

await runMain(() => {
  const code = values.code;
  if (!Object.hasOwn(IN_MEMORY, code)) {
    throw new UsageError(`--code must be one of h H i I f d (got "${code}")`);
  }
  const words = positionals.length > 0 ? positionals : ["1", "258", "305419896"];
  const codes = words.map(() => code);
  const format = `${words.length}${code}`;
  const wire = pack(`!${format}`, ...parseValues(codes, words)); // checks every range
  const numbers = unpack(`!${format}`, wire).map(Number);

  // #region machine
  const machine = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? "little" : "big";
  console.log(`This machine is ${machine}-endian (Python's sys.byteorder: '${machine}')`);
  const memory = IN_MEMORY[code](numbers);
  console.log(`${formatTuple(codes, numbers)} as '${code}':`);
  console.log(
    `  in this machine's memory (${memory.constructor.name}): ` +
      hexlify(new Uint8Array(memory.buffer), " "),
  );
  console.log(`  on the wire in network order ('!${format}'): ${hexlify(wire, " ")}`);
  // #endregion machine

  // #region receiver
  console.log("A receiver that unpacks those wire bytes");
  for (const [prefix, how] of [["!", "in network order"], ["<", "as little-endian"]]) {
    console.log(
      `  ${how} ('${prefix}${format}') gets ` +
        formatTuple(codes, unpack(`${prefix}${format}`, wire)),
    );
  }
  // #endregion receiver
});
