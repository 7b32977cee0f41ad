/**
 * Graded checks of the contract every Lab 1 script keeps: it runs with the
 * least-privilege flags of its first line, answers `--help`, and turns bad flags and
 * network failures into one clear line with a non-zero exit code.
 *
 * @module
 */
import { defineChecks } from "../../harness/checks.ts";
import { type ContractScript, scriptContractChecks } from "../../harness/contract.ts";

/** Lab 1's scripts, the task each belongs to, and whether it is a server. */
const SCRIPTS: ContractScript[] = [
  { name: "tcp_echo_server.ts", task: "1.1", server: true },
  { name: "tcp_echo_client.ts", task: "1.1", server: false },
  { name: "udp_receiver.ts", task: "1.2", server: true },
  { name: "udp_sender.ts", task: "1.2", server: false },
  { name: "udp_echo_server.ts", task: "1.3", server: true },
  { name: "udp_echo_client.ts", task: "1.3", server: false },
  { name: "binary_server.ts", task: "1.4", server: true },
  { name: "binary_client.ts", task: "1.4", server: false },
  { name: "conversation_server.ts", task: "1.5", server: true },
  { name: "conversation_client.ts", task: "1.5", server: false },
  { name: "udp_conversation_server.ts", task: "1.5", server: true },
  { name: "udp_conversation_client.ts", task: "1.5", server: false },
  { name: "sensor_server_tcp.ts", task: "D1", server: true },
  { name: "sensor_client_tcp.ts", task: "D1", server: false },
  { name: "sensor_server_udp.ts", task: "D1", server: true },
  { name: "sensor_client_udp.ts", task: "D1", server: false },
  { name: "reliable_udp_receiver.ts", task: "O2", server: true },
  { name: "reliable_udp_sender.ts", task: "O2", server: false },
];

export const checks = defineChecks(1, scriptContractChecks(SCRIPTS));
