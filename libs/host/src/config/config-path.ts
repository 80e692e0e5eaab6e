/** A location inside the configuration tree. */
export type ConfigPath = readonly PropertyKey[];

/** One thing wrong with the configuration, at a path. */
export interface ConfigProblem {
  path: ConfigPath;
  message: string;
}

/** `gateways.leshua.merchants.0000000018.tradeKey`; the root is `(root)`. */
export function formatConfigPath(path: ConfigPath): string {
  if (path.length === 0) return '(root)';
  // An empty key would vanish between two dots; quote it so the operator can find it.
  return path.map((segment) => (segment === '' ? '""' : String(segment))).join('.');
}

export function formatConfigProblem(problem: ConfigProblem): string {
  return `${formatConfigPath(problem.path)}: ${problem.message}`;
}

/**
 * Sorts problems into the order of the file, so the list reads top to bottom next to
 * it; a missing key sorts after its siblings that are present. The sort is stable.
 */
export function sortProblemsByTree(problems: readonly ConfigProblem[], tree: unknown): ConfigProblem[] {
  const keyed = problems.map((problem) => ({ problem, position: positionOf(problem.path, tree) }));
  keyed.sort((a, b) => comparePositions(a.position, b.position));
  return keyed.map(({ problem }) => problem);
}

function positionOf(path: ConfigPath, tree: unknown): number[] {
  const position: number[] = [];
  let node = tree;
  for (const segment of path) {
    const keys = typeof node === 'object' && node !== null ? Object.keys(node) : [];
    const index = keys.indexOf(String(segment));
    if (index < 0) {
      position.push(Number.MAX_SAFE_INTEGER);
      break;
    }
    position.push(index);
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return position;
}

function comparePositions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
