import type { UnknownOutcome } from '@refundhub/core';

import { unknownOutcome } from './unknown-outcome';

/**
 * A gateway's error codes by what they prove. DESIGN: a refusal is a definite failure only for a
 * code the gateway documents as "did not and will not refund"; "busy" and "no such refund" are
 * named too; any other code is an unknown outcome. A module lists what its documentation proves;
 * the operator adds what the module could not know.
 */
export interface ErrorCodeOptions {
  /** Refused for good: the refund is FAILED and its money released. */
  failedErrorCodes?: readonly string[];
  /** Busy, ask later: UNKNOWN with reason `gateway_busy`. */
  busyErrorCodes?: readonly string[];
  /** A query's "no such refund": the core resubmits with the same refund number. */
  notFoundErrorCodes?: readonly string[];
}

export interface ErrorCodes {
  failed: ReadonlySet<string>;
  busy: ReadonlySet<string>;
  notFound: ReadonlySet<string>;
}

/** The module's own documented codes plus the operator's. */
export function errorCodesOf(options: ErrorCodeOptions, documented: ErrorCodeOptions = {}): ErrorCodes {
  const merge = (a: readonly string[] = [], b: readonly string[] = []) => new Set([...a, ...b]);
  return {
    failed: merge(documented.failedErrorCodes, options.failedErrorCodes),
    busy: merge(documented.busyErrorCodes, options.busyErrorCodes),
    notFound: merge(documented.notFoundErrorCodes, options.notFoundErrorCodes),
  };
}

/** The three lists of a configuration section, to hand to the module as they are. */
export function errorCodeOptionsOf(config: Required<ErrorCodeOptions>): Required<ErrorCodeOptions> {
  return {
    failedErrorCodes: config.failedErrorCodes,
    busyErrorCodes: config.busyErrorCodes,
    notFoundErrorCodes: config.notFoundErrorCodes,
  };
}

/**
 * What a mapper needs, besides the answer itself, to judge a gateway's answer about one refund: whether
 * its signature verified, which refund and amount we asked about, and the codes by meaning.
 */
export interface AnswerContext {
  signatureValid: boolean;
  refundNo: string;
  /** Fen: an answer about another amount is not about this refund. */
  amount: number;
  codes: ErrorCodes;
}

/**
 * A refusal whose code is not listed as a definite failure: whether the refund happened stays unknown,
 * `gateway_busy` when the code is listed as busy, `unrecognized` otherwise. The gateway's code and
 * message are kept for support.
 */
export function unlistedCodeOutcome(input: {
  gateway: string;
  code: string;
  message?: string;
  rawStatus?: string;
  codes: ErrorCodes;
}): UnknownOutcome {
  const extras = { code: input.code, message: input.message, rawStatus: input.rawStatus };
  if (input.codes.busy.has(input.code)) {
    return unknownOutcome('gateway_busy', `${input.gateway} is busy; the refund is queried`, extras);
  }
  return unknownOutcome(
    'unrecognized',
    `${input.gateway} code ${input.code} is not listed as a refusal; the refund is queried`,
    extras,
  );
}
