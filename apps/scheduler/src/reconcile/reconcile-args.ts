import { parseArgs } from 'node:util';

import { parseReconcileInstant } from './reconcile-dates';

export const RECONCILE_USAGE = `Usage: npm run reconcile -- --from <date> --to <date> [--gateway <id>] [--apply] [--json]

  --from <date>     first instant of the window: an RFC 3339 date (midnight China time) or date-time with offset
  --to <date>       end of the window, exclusive (--to 2026-12-01 takes all of November 30)
  --gateway <id>    only this gateway's refunds (one configured in the operator file)
  --apply           correct the refunds the gateway has settled; without it nothing changes
  --json            one JSON document on stdout instead of the table
  --help            this text`;

export interface ReconcileArgs {
  from: Date;
  to: Date;
  gateway?: string;
  apply: boolean;
  json: boolean;
}

export type ParsedReconcileArgs =
  { kind: 'run'; args: ReconcileArgs } | { kind: 'help' } | { kind: 'usage_error'; problems: string[] };

/** The command line, or every problem with it at once. Which gateways exist is checked against the configuration later. */
export function parseReconcileArgs(argv: readonly string[]): ParsedReconcileArgs {
  let values: { from?: string; to?: string; gateway?: string; apply?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        gateway: { type: 'string' },
        apply: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // node:util names the unknown option or the missing value; its text is the usage error.
    return { kind: 'usage_error', problems: [(error as Error).message] };
  }
  if (values.help) return { kind: 'help' };
  const problems: string[] = [];
  const instant = (name: 'from' | 'to'): Date | null => {
    const text = values[name];
    if (text === undefined) {
      problems.push(`--${name} is required`);
      return null;
    }
    const at = parseReconcileInstant(text);
    if (at === null) problems.push(`--${name} '${text}' is not an RFC 3339 date (2026-11-01) or date-time with offset`);
    return at;
  };
  const from = instant('from');
  const to = instant('to');
  if (from && to && from.getTime() >= to.getTime()) problems.push('--from must be before --to (--to is exclusive)');
  if (values.gateway !== undefined && !/^[a-z0-9-]{1,32}$/.test(values.gateway)) {
    problems.push(`--gateway '${values.gateway}' is not a gateway id`);
  }
  if (problems.length || !from || !to) return { kind: 'usage_error', problems };
  return {
    kind: 'run',
    args: { from, to, gateway: values.gateway, apply: values.apply ?? false, json: values.json ?? false },
  };
}
