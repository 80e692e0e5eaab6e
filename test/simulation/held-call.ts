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

/** A call the gateway received and answers only once its sender is gone. */
export interface HeldCall {
  /** Whether the gateway processes the call (the money may move) before holding its answer. */
  applies: boolean;
  /** The transport's result: a failure, settled only when the hold is released. */
  answered: Promise<TransportResult>;
}

/**
 * The gateway's side of a crash while a call is in flight: armed by a step, it holds the next call
 * the gateway receives (of the kind the step names, if it names one), tells the step which call is
 * out (so the step crashes the process at that moment, no timing involved), and lets the call end
 * only when the step says the process that sent it is closed.
 */
export class CallHold {
  private armed: { request: HoldRequest; taken: (call: GatewayCall) => void } | null = null;
  private held: { release: () => void } | null = null;

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
    const answered = new Promise<TransportResult>((resolve) => {
      // Its answer is lost with the process that waited for it: the old incarnation sees a failure.
      this.held = {
        release: () =>
          resolve({ kind: 'failure', reason: 'connection', detail: 'simulated: the process died before the answer' }),
      };
    });
    armed.taken({ ...call });
    return { applies: armed.request.applies, answered };
  }

  /** Ends the held call (returns whether there was one) and drops a hold no call took. */
  release(): boolean {
    const held = this.held;
    this.armed = null;
    this.held = null;
    held?.release();
    return held !== null;
  }
}

function wanted(request: HoldRequest, call: GatewayCall): boolean {
  if (request.kind !== undefined && request.kind !== call.kind) return false;
  return request.refundNos === undefined || request.refundNos.has(call.refundNo);
}
