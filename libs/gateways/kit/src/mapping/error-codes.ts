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
