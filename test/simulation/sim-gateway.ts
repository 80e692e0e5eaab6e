import type { DynamicModule } from '@nestjs/common';
import type { RequestRefundCommand, StaticCredentials } from '@refundhub/core';
import type { GatewayTransport, TransportResult } from '@refundhub/gateway-kit';

import type { CallFault, GatewayPlan } from './faults';
import { CallHold, type GatewayCall, type HeldCall, type HeldCallEnd, type HoldRequest } from './held-call';

/** The gateways the simulation drives through their real modules. */
export const SIMULATED_GATEWAYS = ['leshua', 'chaoying', 'baofoo', 'umf'] as const;
export type SimGatewayId = (typeof SIMULATED_GATEWAYS)[number];

/** What the seed may choose for a gateway: the outcomes it plans, and whether it sends notifications. */
export interface SimGatewayTraits {
  /** Drawn uniformly: a repeated outcome weighs more. */
  outcomes: readonly GatewayPlan['outcome'][];
  notifies: boolean;
  /** Whether a refund may pass through an interim "query again" state first (see GatewayPlan). */
  interimState: boolean;
}

export const SIM_GATEWAY_TRAITS: Record<SimGatewayId, SimGatewayTraits> = {
  leshua: { outcomes: ['success', 'success', 'fail'], notifies: true, interimState: false },
  // ChaoYing documents no refund notification: its refunds end by query alone. NOTSURE: query again.
  chaoying: { outcomes: ['success', 'success', 'fail', 'change'], notifies: false, interimState: true },
  // ABNORMAL: query later.
  baofoo: { outcomes: ['success', 'success', 'fail'], notifies: true, interimState: true },
  // UMF notifies final refunds (REFUND_SUCCESS, REFUND_FAIL) at best four times; queries settle the rest.
  umf: { outcomes: ['success', 'success', 'fail'], notifies: true, interimState: false },
};

/** A notification the gateway has produced and not yet delivered (it may arrive late, twice, or never). */
export interface PendingNotification {
  refundNo: string;
  outcome: 'success' | 'fail' | 'processing';
  rawBody: Buffer;
  contentType: string;
}

/** What the gateway was asked, per refund number, and what it saw wrong. */
export interface GatewayObservations {
  /** Refund numbers submitted with two different parameter sets. */
  conflicts: string[];
  /**
   * Refund numbers submitted again while the gateway held them, other than by the network's own
   * duplicates: only a query that found nothing may lead to a resubmission.
   */
  blindResubmissions: string[];
  /** Refunds that reached the gateway while another refund of the same order was in flight there. */
  overlaps: string[];
  submissions: number;
  queries: number;
}

/** A refund as the gateway's ledger holds it, in the simulation's words. */
export interface GatewayRefundState {
  state: 'in_progress' | 'succeeded' | 'failed' | 'change';
  /** The gateway's own status, for traces. */
  raw: string;
}

/**
 * One gateway as the simulation sees it: its sandbox's ledger behind a {@link GatewayTransport}, so the
 * real gateway module (client, signer, codec, mapper) signs, sends and reads every call. Faults for the
 * next calls are queued by the simulation's steps; with none queued a call is answered faithfully.
 */
export interface SimulatedGateway extends GatewayTransport {
  readonly id: SimGatewayId;
  readonly merchantId: string;
  readonly observations: GatewayObservations;
  /** Notifications not yet delivered; `null` for a gateway that sends none (the notify steps do not apply). */
  readonly notifications: PendingNotification[] | null;
  queueFaults(faults: readonly CallFault[]): void;
  /** Faults not consumed by the step that queued them do not leak into the next one. */
  clearFaults(): void;
  /**
   * Holds the next call the gateway receives (of the kind asked for, if any): it processes it or not
   * (`applies`), and its answer does not come back. Resolves with the call once one is held.
   */
  holdNextCall(request: HoldRequest): Promise<GatewayCall>;
  /**
   * The held call ends, as a transport failure unless `end` is 'answer' (then with the gateway's real
   * answer); returns whether a call was held (an untaken hold is dropped).
   */
  releaseHeldCall(end?: HeldCallEnd): boolean;
  plan(refundNo: string, plan: GatewayPlan): void;
  refund(refundNo: string): GatewayRefundState | undefined;
  order(orderNo: string): { totalAmount: number; balance: number } | undefined;
  /** The gateway loses its record of a refund (the money it moved stays moved). Returns whether it held one. */
  forget(refundNo: string): boolean;
  /** Whether the gateway has lost track of a refund it holds (its queries say "not found"). */
  lost(refundNo: string): boolean;
  /** A notification signed with the wrong key; `null` for a gateway that sends none. */
  forged(input: {
    refundNo: string;
    outcome: 'success' | 'fail';
    orderNo: string;
    amount: number;
  }): PendingNotification | null;
  /** What a request of this gateway carries besides the common fields (pay method, paid time, reason). */
  requestExtras(): Pick<RequestRefundCommand, 'reason'> & { order?: Partial<RequestRefundCommand['order']> };
  /** The gateway's module for refund-core, talking to this transport, and its merchant credentials. */
  module(): DynamicModule;
  credentials(): StaticCredentials;
}

/**
 * What every simulated gateway keeps the same way: the faults the seed queued for its next calls, and
 * the refunds it has lost track of (its queries say "not found" until the refund is sent again).
 */
export abstract class SimGatewayBase {
  private readonly faults: CallFault[] = [];
  protected readonly forgotten = new Set<string>();
  private readonly hold = new CallHold();

  queueFaults(faults: readonly CallFault[]): void {
    this.faults.push(...faults);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The fault of the next call: the first queued, or none. */
  protected nextFault(): CallFault {
    return this.faults.shift() ?? 'ok';
  }

  holdNextCall(request: HoldRequest): Promise<GatewayCall> {
    return this.hold.arm(request);
  }

  releaseHeldCall(end: HeldCallEnd = 'failure'): boolean {
    return this.hold.release(end);
  }

  /** The call arriving now, when a step asked to hold a call like it. */
  protected heldCall(call: GatewayCall): HeldCall | null {
    return this.hold.take(call);
  }

  /**
   * A call of a gateway that answers synchronously: through the network the seed disturbs, or held
   * (applied first when the seed says so) until the step releases it.
   */
  protected network(options: {
    call: GatewayCall;
    apply: (networkCopy: boolean) => string;
    contentType: string;
  }): Promise<TransportResult> {
    const held = this.heldCall(options.call);
    if (!held) return Promise.resolve(throughNetwork({ fault: this.nextFault(), ...options }));
    const answer = (body: string): TransportResult => ({
      kind: 'answer',
      status: 200,
      body,
      headers: { 'content-type': options.contentType },
    });
    if (held.applies) {
      const body = options.apply(false);
      held.answerWith(() => answer(body));
    } else {
      // Released with an answer, a call the gateway never received reaches it late: should the refund
      // have been sent again meanwhile, this copy is the network's, not a resubmission of the sender's.
      held.answerWith(() => answer(options.apply(true)));
    }
    return held.answered;
  }

  forget(refundNo: string): boolean {
    if (!this.holds(refundNo)) return false;
    this.forgotten.add(refundNo);
    return true;
  }

  lost(refundNo: string): boolean {
    return this.forgotten.has(refundNo);
  }

  /** Whether the gateway's ledger has a refund of this number. */
  protected abstract holds(refundNo: string): boolean;
}

/** A fresh, empty record of observations. */
export function noObservations(): GatewayObservations {
  return { conflicts: [], blindResubmissions: [], overlaps: [], submissions: 0, queries: 0 };
}

/**
 * The gateway's side of idempotency, kept the same way for every gateway: one refund number, one set of
 * parameters, whoever sends it; and no resubmission of a refund it holds unless a query found nothing.
 */
export class SubmissionLog {
  private readonly params = new Map<string, string>();

  constructor(private readonly observations: GatewayObservations) {}

  submitted(refundNo: string, key: string, { held, networkCopy }: { held: boolean; networkCopy: boolean }): void {
    this.observations.submissions += 1;
    if (held && !networkCopy) this.observations.blindResubmissions.push(refundNo);
    const seen = this.params.get(refundNo);
    if (seen === undefined) this.params.set(refundNo, key);
    else if (seen !== key) this.observations.conflicts.push(`${refundNo}: ${seen} then ${key}`);
  }
}

export function simTimeout(): { kind: 'failure'; reason: 'timeout'; detail: string } {
  return { kind: 'failure', reason: 'timeout', detail: 'simulated: no answer within the deadline' };
}

/**
 * One call through the network the seed disturbs. `apply` is the gateway processing the call and
 * giving its answer's body: never when the call was lost on the way, twice for a duplicated request
 * (the first copy's answer is lost). Synchronous, so every gateway answers in the same turn.
 */
export function throughNetwork(options: {
  fault: CallFault;
  apply: (networkCopy: boolean) => string;
  contentType: string;
}): TransportResult {
  const { fault, apply } = options;
  if (fault === 'timeout-before-apply') return simTimeout();
  if (fault === 'duplicated') apply(false);
  const body = apply(fault === 'duplicated');
  if (fault === 'timeout-after-apply') return simTimeout();
  if (fault === '5xx-after-apply') return { kind: 'answer', status: 502, body: 'Bad Gateway', headers: {} };
  return { kind: 'answer', status: 200, body, headers: { 'content-type': options.contentType } };
}
