import { codePointCount, unstorableTextReason } from '../domain/text';
import { ACTOR_COLUMN_LENGTH } from '../entities/refund-history.entity';
import type { FieldProblem } from '../errors';
import type { GatewayOutcome } from '../gateway/refund-gateway.port';

/** The statuses a person may settle a refund in: only a final one, since that is what a person decides. */
export const RESOLVED_STATUSES = ['SUCCEEDED', 'FAILED'] as const;
export type ResolvedStatus = (typeof RESOLVED_STATUSES)[number];

/** The longest reason an operator may give, in characters (it must fit the history's message). */
export const RESOLVE_REASON_MAX_LENGTH = 256;

/** The failure code of a refund a person settled FAILED; its message is the person's reason. */
export const RESOLVED_BY_OPERATOR = 'RESOLVED_BY_OPERATOR';

/**
 * A person settles an unfinished refund by hand, after checking with the gateway or the bank (a
 * ChaoYing CHANGE, a refund the gateway lost, one that never settled). `actor` names who (apps/api
 * gives the API key's name), `reason` says why; both are kept in the refund's history.
 */
export interface ResolveRefundCommand {
  refundId: string;
  status: ResolvedStatus;
  reason: string;
  actor: string;
}

/** Every problem of the command's fields, in one list; empty when it may be applied. */
export function checkResolveCommand(cmd: ResolveRefundCommand): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(RESOLVED_STATUSES as readonly string[]).includes(cmd.status)) {
    problems.push({ field: 'status', message: `must be one of ${RESOLVED_STATUSES.join(', ')}` });
  }
  problems.push(...textProblems('reason', cmd.reason, RESOLVE_REASON_MAX_LENGTH));
  problems.push(...textProblems('actor', cmd.actor, ACTOR_COLUMN_LENGTH));
  return problems;
}

/**
 * What the person decided, as the outcome the transitions apply like any gateway's answer. The raw
 * status is a placeholder: with an operator's note the transitions keep what the gateway last said.
 */
export function outcomeOfResolution(cmd: ResolveRefundCommand, now: Date): GatewayOutcome {
  return cmd.status === 'SUCCEEDED'
    ? { kind: 'succeeded', rawStatus: RESOLVED_BY_OPERATOR, finishedAt: now }
    : { kind: 'failed', code: RESOLVED_BY_OPERATOR, message: cmd.reason };
}

function textProblems(field: string, value: unknown, max: number): FieldProblem[] {
  if (typeof value !== 'string') return [{ field, message: 'must be a string' }];
  // An audit entry of blanks says nothing about why.
  if (value.trim() === '') return [{ field, message: 'must not be empty or blank' }];
  const unstorable = unstorableTextReason(value);
  if (unstorable !== null) return [{ field, message: unstorable }];
  if (codePointCount(value) > max) return [{ field, message: `must be at most ${max} characters` }];
  return [];
}
