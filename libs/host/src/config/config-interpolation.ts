import { ConfigProblem, formatConfigPath } from './config-path';

/** The environment the configuration reads `${VAR}` from (process.env by default). */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  /** The same tree with every `${VAR}` in a string value replaced. */
  value: unknown;
  problems: ConfigProblem[];
  /**
   * Formatted paths whose value could not be built; validation skips them, as a second
   * problem there ("required", "must be a URL") would only mislead.
   */
  failedPaths: ReadonlySet<string>;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` in every string value (never in keys: keys are merchant ids and
 * field names, which belong in the file). `$${X}` is the escape for a literal `${X}`.
 * An unset variable is a problem, not an empty string: an empty secret would only
 * fail later, at the gateway, with a signature error.
 */
export function interpolateEnv(value: unknown, env: ConfigEnv): InterpolationResult {
  const problems: ConfigProblem[] = [];
  const failedPaths = new Set<string>();

  const visit = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') {
      const result = interpolateString(node, env);
      if (result.problems.length > 0) {
        failedPaths.add(formatConfigPath(path));
        problems.push(...result.problems.map((message) => ({ path, message })));
      }
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = visit(child, [...path, key]);
      return out;
    }
    return node;
  };

  return { value: visit(value, []), problems, failedPaths };
}

interface StringResult {
  value: string;
  problems: string[];
}

/** Problems name the variable, never its value. */
export function interpolateString(text: string, env: ConfigEnv): StringResult {
  const problems: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      problems.push('unclosed "${" (write $${ for a literal "${")');
      out += text.slice(i);
      break;
    }
    const name = text.slice(i + 2, close);
    if (!VARIABLE_NAME.test(name)) {
      problems.push('invalid environment variable reference: use ${NAME} with letters, digits and _');
    } else if (env[name] === undefined) {
      problems.push(`environment variable ${name} is not set`);
    } else {
      out += env[name];
    }
    i = close + 1;
  }
  return { value: out, problems };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
