import type { FieldProblem } from '../errors';
import { unstorableTextReason } from './text';

/** How deep a caller's JSON may nest (objects and arrays, the outermost one counting as 1). */
export const MAX_NESTING_DEPTH = 32;

/** Past this many, the walk stops: a body of a megabyte could hold a hundred thousand bad strings. */
const MAX_PROBLEMS = 50;

export interface NestedTextOptions {
  /** The field `value` is, as problems name it (`gatewayOptions`); '' for a whole body. */
  field: string;
  /** What to call the whole value when `field` is '' (a key of the body itself is bad): `body`. */
  rootLabel?: string;
  /** Deepest nesting allowed, the value itself counting as 1 when it is an object or array. */
  maxDepth?: number;
  /** A problem with a key that is well-formed text (a name that must not be used), or null. */
  keyProblem?: (key: string) => string | null;
}

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function keyTextProblem(key: string): string | null {
  const reason = unstorableTextReason(key);
  if (reason === null) return null;
  return key.includes('\u0000')
    ? 'has a key with a NUL character (U+0000)'
    : 'has a key that is not well-formed Unicode (a lone surrogate)';
}

/**
 * Every string, and every key, in `value` (JSON-like data: objects, arrays, strings, numbers)
 * that cannot be stored and read back as sent ({@link unstorableTextReason}), and any nesting
 * deeper than `maxDepth`, as field problems with paths (`gatewayOptions.items[2].name`).
 *
 * The walk uses a stack of its own, never recursion, and looks no deeper than `maxDepth`: it is
 * what makes the rest of the checks, which do recurse, safe to run. A bad key is reported on the
 * object that holds it, without repeating the key. At most 50 problems are listed.
 */
export function nestedTextProblems(value: unknown, options: NestedTextOptions): FieldProblem[] {
  const maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
  const problems: FieldProblem[] = [];
  const stack: Pending[] = [{ value, path: options.field, depth: 1 }];
  const label = (path: string) => path || options.rootLabel || 'body';
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: current, path, depth } = stack.pop() as Pending;
    if (typeof current === 'string') {
      const reason = unstorableTextReason(current);
      if (reason !== null) problems.push({ field: label(path), message: reason });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) {
      problems.push({ field: label(path), message: `is nested more than ${maxDepth} levels deep` });
      continue;
    }
    const children: Pending[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => children.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
    } else {
      for (const key of Object.keys(current)) {
        const problem = keyTextProblem(key);
        if (problem !== null) {
          problems.push({ field: label(path), message: problem });
          continue;
        }
        const named = options.keyProblem?.(key) ?? null;
        if (named !== null) {
          problems.push({ field: childPath(path, key), message: named });
          continue;
        }
        children.push({
          value: (current as Record<string, unknown>)[key],
          path: childPath(path, key),
          depth: depth + 1,
        });
      }
    }
    // Reversed, so that problems come out in the order of the input.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return problems;
}
