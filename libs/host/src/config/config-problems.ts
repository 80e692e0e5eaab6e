import { z } from 'zod';

import { ConfigProblem, formatConfigPath } from './config-path';

/**
 * Messages for operators, written to name what is expected and never to echo the
 * value found: the value may be a secret that landed in the wrong field.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      if (issue.input === null) return 'required (the value is empty)';
      if (issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')) {
        return `expected a string, got ${describe(issue.input)} (quote it so it is kept as written)`;
      }
      return `expected ${expectedName(issue.expected)}, got ${describe(issue.input)}`;
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
};

/**
 * One problem per line: unknown keys are split so each names its own path, and
 * issues at a path whose `${VAR}` already failed are dropped (already reported).
 */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], skipPaths: ReadonlySet<string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (skipPaths.has(formatConfigPath(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ path: [...issue.path, key], message: 'unknown key' });
      }
    } else if (issue.code === 'invalid_key') {
      for (const inner of issue.issues) problems.push({ path: issue.path, message: inner.message });
    } else {
      problems.push({ path: issue.path, message: issue.message });
    }
  }
  return problems;
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string {
  if (origin === 'string') {
    return minimum <= 1 ? 'must not be empty' : `must have at least ${minimum} characters`;
  }
  if (origin === 'array') {
    return `must have at least ${minimum} ${minimum === 1 ? 'entry' : 'entries'}`;
  }
  return `must be ${inclusive ? '>=' : '>'} ${minimum}`;
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string {
  if (origin === 'string') return `must have at most ${maximum} characters`;
  if (origin === 'array') return `must have at most ${maximum} entries`;
  return `must be ${inclusive ? '<=' : '<'} ${maximum}`;
}

function expectedName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    default:
      return `a ${expected}`;
  }
}

function describe(input: unknown): string {
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object' && input !== null) return 'a mapping';
  return `a ${typeof input}`;
}
