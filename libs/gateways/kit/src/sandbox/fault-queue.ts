/**
 * How a simulated gateway misbehaves on demand:
 * - `timeout`: holds the request unanswered until released or stopped;
 * - `5xx`: answers HTTP 502;
 * - `malformed`: answers a body that is not the gateway's format;
 * - `badsign`: answers as usual but with a wrong signature;
 * - `unsigned`: answers as usual with the signature left out;
 * - `other_refund` / `other_amount`: answers as usual, correctly signed, but about another refund
 *   number or another amount (what an answer that is not about our refund looks like).
 */
export type FaultMode = 'timeout' | '5xx' | 'malformed' | 'badsign' | 'unsigned' | 'other_refund' | 'other_amount';

/** Modes whose answer is the real one, altered: the call is always processed first. */
const ALTERS_REAL_ANSWER: readonly FaultMode[] = ['badsign', 'unsigned', 'other_refund', 'other_amount'];

export interface FaultOptions<Op extends string> {
  /** Only calls of this operation (Leshua `service`, ChaoYing `method`, a UMF path) consume it. Default: any. */
  operation?: Op;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /**
   * Process the call as usual before misbehaving, so a timed-out refund exists afterwards. The modes
   * that alter the real answer (`badsign`, `unsigned`, `other_refund`, `other_amount`) always
   * process; the others default to false.
   */
  process?: boolean;
}

/** A fault taken for one call. */
export interface Fault {
  mode: FaultMode;
  process: boolean;
}

interface Queued<Op extends string, T> {
  operation?: Op;
  remaining: number;
  value: T;
}

/**
 * Misbehaviour and refusals scheduled by tests, consumed in order by the calls they match. Every
 * simulator has the same needs; only the shape of a refusal (an error code and message, a `retCode`,
 * an `errCode` with a state) differs, hence `Rejection`.
 *
 * @typeParam Op the gateway's operation names.
 * @typeParam Rejection what a refusal answer needs, e.g. `{ errorCode: string; errorMsg: string }`.
 */
export class FaultQueue<Op extends string, Rejection = unknown> {
  private readonly faults: Array<Queued<Op, Fault>> = [];
  private readonly rejections: Array<Queued<Op, Rejection>> = [];

  /** The next matching call(s) misbehave as `mode`. */
  failNext(mode: FaultMode, options: FaultOptions<Op> = {}): void {
    const times = options.times ?? 1;
    if (!Number.isSafeInteger(times) || times < 1) throw new Error('times must be a positive integer');
    this.faults.push({
      operation: options.operation,
      remaining: times,
      value: { mode, process: ALTERS_REAL_ANSWER.includes(mode) || (options.process ?? false) },
    });
  }

  /** The next matching, correctly signed call is refused with `rejection` and does nothing. */
  rejectNext(rejection: Rejection, operation?: Op): void {
    this.rejections.push({ operation, remaining: 1, value: rejection });
  }

  /** The fault for this call, if one is scheduled; consumes one of its `times`. */
  takeFault(operation: string): Fault | undefined {
    const fault = take(this.faults, operation);
    return fault && { ...fault };
  }

  /** The refusal for this call, if one is scheduled; consumes it. */
  takeRejection(operation: string): Rejection | undefined {
    return take(this.rejections, operation);
  }

  /** Forgets everything scheduled (between tests sharing one simulator). */
  clear(): void {
    this.faults.length = 0;
    this.rejections.length = 0;
  }
}

function take<Op extends string, T>(queue: Array<Queued<Op, T>>, operation: string): T | undefined {
  const index = queue.findIndex((entry) => entry.operation === undefined || entry.operation === operation);
  if (index < 0) return undefined;
  const entry = queue[index];
  entry.remaining -= 1;
  if (entry.remaining === 0) queue.splice(index, 1);
  return entry.value;
}
