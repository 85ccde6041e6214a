import type { z } from 'zod';
import { TrajectoryStoreError, type Issue } from '../errors.js';

/** `['steps', 2, 'tool_calls', 0]` -> `steps[2].tool_calls[0]`: the form people read in error messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.flatMap((issue) => {
    const at = joinPath(prefix, formatPath(issue.path));
    // One issue per unknown key, at the key itself: "agent: is not a known field" reads better than a list at the parent.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath(at, key), message: 'is not a known field' }));
    }
    return [{ path: at, message: issue.message }];
  });
}

/**
 * Checks `input` with `schema` and gives back the input itself, not zod's copy of it: zod rebuilds every
 * record and leaves out a `__proto__` key, which in a document is a key like any other (a testgen category,
 * say). For schemas that only check (no transforms or defaults), where the input is what was meant.
 */
export function check<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { success: true; data: z.output<S> } | { success: false; error: z.ZodError } {
  const result = schema.safeParse(input);
  return result.success ? { success: true, data: input as z.output<S> } : result;
}

/** Parses `input` with `schema`, or throws a validation error that lists every issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw TrajectoryStoreError.validation(what, zodIssues(result.error));
  return result.data;
}
