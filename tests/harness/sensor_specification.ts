/**
 * Marks checks that hold a student's scripts to the course's sensor protocol rather than
 * to their own design (Deliverable 1), so the grader's `--own-design` can leave them out.
 *
 * @module
 */
import type { Check } from "./checks.ts";

/** The course's protocol for Deliverable 1. */
export const SENSOR_SPECIFICATION = "labs/lab1/sensor_protocol.md";

/** The same checks, each marked as following {@linkcode SENSOR_SPECIFICATION}. */
export function holdToSpecification(checks: Check[]): Check[] {
  return checks.map((check) => ({ ...check, specification: SENSOR_SPECIFICATION }));
}
