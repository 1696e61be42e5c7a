import type { z } from "zod";
import { InvalidInputError } from "../errors.js";

/** One failing field: dotted path inside the validated value ("history.0.role") and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The failing fields of a zod error. */
export function zodIssues(err: z.ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/**
 * Validates request input; failures become a 400 naming every failing field.
 * @param where "body", "query" or "path" (used in the message)
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = zodIssues(result.error);
  const summary = errors
    .slice(0, 5)
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
    .join("; ");
  throw new InvalidInputError(`invalid request ${where}: ${summary}`, { details: { errors } });
}
