/**
 * Graded checks of the contract Lab 2's scripts keep (see tests/harness/contract.ts).
 *
 * @module
 */
import { defineChecks } from "../../harness/checks.ts";
import { type ContractScript, scriptContractChecks } from "../../harness/contract.ts";

/**
 * Lab 2's scripts. The every-core server is not graded on "port in use" here: with
 * reusePort, a second copy joins the first on purpose (reuseport_test.ts checks a port
 * held by a program without reusePort).
 */
const SCRIPTS: ContractScript[] = [
  { name: "multiconn_server.ts", task: "2.1", server: true },
  { name: "multiconn_client.ts", task: "2.1" },
  { name: "load_generator.ts", task: "2.1" },
  { name: "boundaries_server.ts", task: "2.2", server: true },
  { name: "dribble_client.ts", task: "2.2" },
  { name: "app_server.ts", task: "2.3", server: true },
  { name: "app_client.ts", task: "2.3" },
  { name: "wire_order.ts", task: "2.4", network: false },
  { name: "reuseport_server.ts", task: "2.5" },
];

export const checks = defineChecks(2, scriptContractChecks(SCRIPTS));
