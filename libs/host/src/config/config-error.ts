/**
 * A configuration that cannot be used. The host prints the message and exits, so the
 * message must be complete on its own: where the configuration came from and every
 * problem, one per line. Problems never contain a configured value (secrets).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** File path, or 'embedded demo'. */
    readonly source: string,
    /** `<dotted.path>: <what is wrong>`, in file order as far as the parser allows. */
    readonly problems: readonly string[],
  ) {
    super(formatConfigErrorMessage(source, problems));
  }
}

function formatConfigErrorMessage(source: string, problems: readonly string[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`${source}: invalid refundhub configuration (${count})`, ...problems.map((p) => `  - ${p}`)].join('\n');
}
