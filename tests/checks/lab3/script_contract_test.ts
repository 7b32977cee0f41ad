/**
 * Graded checks of the contract Lab 3's topic scripts keep (see
 * tests/harness/contract.ts); the game's scripts are listed with the game's checks.
 *
 * @module
 */
import { defineChecks } from "../../harness/checks.ts";
import { type ContractScript, scriptContractChecks } from "../../harness/contract.ts";

/** Lab 3's topic scripts: most use no network, so they take no --port. */
const SCRIPTS: ContractScript[] = [
  { name: "text_bytes.ts", task: "3.1", network: false },
  { name: "wrong_encoding.ts", task: "3.1", network: false },
  { name: "number_sizes.ts", task: "3.2", network: false },
  { name: "byte_order.ts", task: "3.2", network: false },
  { name: "bit_fields.ts", task: "3.3", network: false },
  { name: "bit_ops.ts", task: "3.3", network: false },
  { name: "twos_complement.ts", task: "3.3", network: false },
  { name: "to_binary.ts", task: "3.3", network: false },
  { name: "count_bits.ts", task: "3.4", network: false },
  { name: "compression_ratios.ts", task: "3.5", network: false },
  { name: "zlib_tool.ts", task: "3.5", network: false },
  { name: "log_levels.ts", task: "3.6", network: false },
  { name: "syslog_sender.ts", task: "3.6" },
  { name: "syslog_collector.ts", task: "3.6", server: true },
];

export const checks = defineChecks(3, scriptContractChecks(SCRIPTS));
