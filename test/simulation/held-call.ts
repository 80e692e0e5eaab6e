import type { TransportResult } from '@refundhub/gateway-kit';

/** What a gateway call does: hand a refund over (a submission or resubmission), or ask after one. */
export type GatewayCallKind = 'submit' | 'query';

/** A call as the gateway received it: its kind and the refund number it is about. */
export interface GatewayCall {
  kind: GatewayCallKind;
  refundNo: string;
}

/** What a step asks of the gateway's next call. */
export interface HoldRequest {
  /** Whether the gateway processes the call (the money may move) before holding its answer. */
  applies: boolean;
  /** Only a call of this kind is held (calls of the other kind pass); any call when absent. */
  kind?: GatewayCallKind;
  /** Only a call about one of these refunds is held (the step's own work); a call about any when absent. */
  refundNos?: ReadonlySet<string>;
}

/** How a held call ends: lost with the process that sent it, or answered as the gateway answers it. */
export type HeldCallEnd = 'failure' | 'answer';

/** A call the gateway received and answers only when the step releases it. */
export interface HeldCall {
  /** Whether the gateway processes the call (the money may move) before holding its answer. */
  applies: boolean;
  /** The transport's result, settled only when the hold is released: a failure, or the gateway's answer. */
  answered: Promise<TransportResult>;
  /**
   * The gateway's answer should the call be released with one: the answer it gave as it applied the
   * call, or (when it did not apply it) its processing of the call at the moment of release.
   */
  answerWith(respond: () => TransportResult): void;
}

/**
 * The gateway's side of a call that is out: armed by a step, it holds the next call the gateway
 * receives (of the kind the step names, if it names one), tells the step which call is out (so the
 * step acts at that moment, no timing involved), and lets the call end only when the step says so:
 * as a failure once the process that sent it is closed (a crash), or with the gateway's answer once
 * other work has run meanwhile.
 */
export class CallHold {
  private armed: { request: HoldRequest; taken: (call: GatewayCall) => void } | null = null;
  private held: { release: (end: HeldCallEnd) => void } | null = null;

  /** Resolves with the call once it is held. */
  arm(request: HoldRequest): Promise<GatewayCall> {
    if (this.armed || this.held) throw new Error('A call is already held or about to be');
    return new Promise<GatewayCall>((taken) => {
      this.armed = { request, taken };
    });
  }

  /** Called by the gateway as a call arrives: the held call, or null when no hold is armed for it. */
  take(call: GatewayCall): HeldCall | null {
    const armed = this.armed;
    if (!armed || !wanted(armed.request, call)) return null;
    this.armed = null;
    let respond: (() => TransportResult) | null = null;
    const answered = new Promise<TransportResult>((resolve) => {
      this.held = {
        release: (end) =>
          resolve(
            end === 'answer' && respond
              ? respond()
              : // Its answer is lost with the process that waited for it: the old incarnation sees a failure.
                { kind: 'failure', reason: 'connection', detail: 'simulated: the process died before the answer' },
          ),
      };
    });
    armed.taken({ ...call });
    return {
      applies: armed.request.applies,
      answered,
      answerWith: (answer) => {
        respond = answer;
      },
    };
  }

  /**
   * Ends the held call (returns whether there was one) and drops a hold no call took. The call ends as
   * a failure unless `end` asks for the gateway's answer (which a gateway that named none cannot give).
   */
  release(end: HeldCallEnd = 'failure'): boolean {
    const held = this.held;
    this.armed = null;
    this.held = null;
    held?.release(end);
    return held !== null;
  }
}

function wanted(request: HoldRequest, call: GatewayCall): boolean {
  if (request.kind !== undefined && request.kind !== call.kind) return false;
  return request.refundNos === undefined || request.refundNos.has(call.refundNo);
}
