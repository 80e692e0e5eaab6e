import { Injectable, Logger } from '@nestjs/common';

import { nextSyncDelay, withJitter } from '../domain/backoff';
import { Clock } from '../domain/clock';
import { statusOfOutcome } from '../domain/outcome-status';
import { assertTransition } from '../domain/refund-state-machine';
import { RefundStatus, isFinal } from '../domain/refund-status';
import { codePointCount, textForLog, truncateText } from '../domain/text';
import { CODE_COLUMN_LENGTH, MESSAGE_COLUMN_LENGTH } from '../entities/column-types';
import { RefundHistorySource } from '../entities/refund-history.entity';
import { RefundOrder } from '../entities/refund-order.entity';
import { Refund } from '../entities/refund.entity';
import {
  AnyRefundEvent,
  RefundEventPublisher,
  RefundFailedEvent,
  RefundNeedsAttentionEvent,
  RefundSucceededEvent,
  snapshotOf,
} from '../events';
import type { AttentionReason, GatewayOutcome, UnknownOutcome } from '../gateway/refund-gateway.port';
import { RefundNotFoundError } from '../errors';
import { type HistoryRow, countRepeat, insertHistory } from '../persistence/sql/history-table';
import {
  type RowState,
  lockRefund,
  orderState,
  refundState,
  sameState,
  updateOrder,
  updateRefund,
} from '../persistence/sql/refund-tables';
import { type RelayRecord, recordRelayWith } from '../persistence/sql/outbox-table';
import type { SqlSession } from '../persistence/sql/sql-session';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { RefundSettings } from '../refund-settings';
import { OrderSlots } from './order-slots';
import { RefundClaims } from './refund-claims';
import { ExchangeNote, exchangeOutcomeOf, recordExchange } from './refund-exchanges';
import { RevealedOrderReferences, orderFactsOf, withOrderConflict } from './revealed-order-references';

export interface ApplyContext {
  source: RefundHistorySource;
  /** This outcome answers a submission: count it as an attempt. */
  submission?: boolean;
  /** When that submission was sent; the first one is kept as the refund's submission time. */
  submittedAt?: Date;
  /** This outcome comes from a sync round: count it for the backoff. */
  sync?: boolean;
  /** The lease under which the gateway was asked; it ends with this answer. */
  lease?: string;
  /** A person settles the refund (`source: 'operator'`): who, and why, for the history. */
  operator?: OperatorNote;
  /** The gateway exchange this outcome comes from: logged in the same transaction as what it changed. */
  exchange?: ExchangeNote;
  /** What deliveries of the refund's earlier events did, written in this transaction (one commit fewer). */
  deliveries?: readonly RelayRecord[];
}

/** Who settled a refund by hand and why: kept on the history row instead of a gateway's words. */
export interface OperatorNote {
  actor: string;
  reason: string;
}

/** What became of an outcome that was heard but not applied: a new history row, or a repeat counted on one. */
export type Heard = 'recorded' | 'repeated';

export interface ApplyResult {
  refund: Refund;
  /** The status changed. */
  changed: boolean;
  /** Set when the refund was final and the outcome conflicted with it: kept in the history, not applied. */
  heard?: Heard;
  events: AnyRefundEvent[];
  /** A queued refund of the same order that was handed the order's submission slot: submit it now. */
  handoff: string | null;
}

type Outcome<K extends GatewayOutcome['kind']> = Extract<GatewayOutcome, { kind: K }>;

/**
 * Whether a refund flagged for one reason stays flagged for it when a later answer gives another. A
 * refund the gateway moved to manual payout (ChaoYing CHANGE) owes a person that payout: a later "not
 * found" (gateways drop such refunds from their query) must not hide it behind `gateway_lost_refund`.
 */
function keepsAttentionReason(current: AttentionReason | null, incoming: AttentionReason): boolean {
  return current === 'gateway_change' && incoming === 'gateway_lost_refund';
}

/** What deliveries of the refund's earlier events did, written in the transaction applying the answer. */
function recordDeliveries(session: SqlSession, ctx: ApplyContext): void {
  for (const delivery of ctx.deliveries ?? []) recordRelayWith(session, delivery);
}

/**
 * Applies what a gateway said to a refund, under a row lock, with the money and the history
 * in the same transaction. The rules that protect money live here: final is final, PROCESSING
 * never goes back, only a definite failure releases the reservation, a deferral or a refund that
 * needs attention keeps it.
 */
@Injectable()
export class RefundTransitions {
  private readonly logger = new Logger(RefundTransitions.name);

  constructor(
    private readonly writes: RefundWrites,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
    private readonly slots: OrderSlots,
    private readonly claims: RefundClaims,
    private readonly publisher: RefundEventPublisher,
    private readonly revealed: RevealedOrderReferences,
  ) {}

  apply(refundId: string, answer: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    return this.writes.transaction((session) => this.applyIn(session, refundId, answer, ctx));
  }

  private async applyIn(
    session: SqlSession,
    refundId: string,
    answer: GatewayOutcome,
    ctx: ApplyContext,
  ): Promise<ApplyResult> {
    const refund = await this.lock(session, refundId);
    const before = { refund: refundState(refund), order: orderState(refund.order) };
    const history: HistoryRow[] = [];
    const now = this.clock.now();
    // First, before anything of the refund changes: what the answer says about the order.
    const problems = await this.revealed.record(session, refund, orderFactsOf(answer), now);
    if (problems.length) {
      this.logger.warn(
        `Refund ${refund.id}: the gateway's answer contradicts its recorded order: ${problems.join('; ')}`,
      );
    }
    const outcome = isFinal(refund.status) ? answer : withOrderConflict(answer, problems);
    const target = statusOfOutcome(outcome);
    const from = refund.status;
    const result: ApplyResult = { refund, changed: false, events: [], handoff: null };

    this.claims.releaseIn(refund, ctx.lease);
    if (isFinal(from)) {
      // Final is final: the refund row is left exactly as it is (but for a lease that ends here).
      if (target !== null && target !== from && target !== 'UNKNOWN') {
        result.heard = await this.hear(session, refund, {
          at: now,
          source: ctx.source,
          from,
          to: target,
          outcome,
          note: ctx.operator,
        });
        this.logger.warn(
          `Refund ${refund.id} is ${from}; ${ctx.source} said ${target}: kept ${from}, ` +
            (result.heard === 'recorded' ? 'recorded in history' : 'counted as a repeat in history'),
        );
      }
      await this.logExchange(session, refund, ctx, {
        answer,
        now,
        mismatch: result.heard !== undefined,
        changed: false,
      });
      this.write(session, refund, before, []);
      recordDeliveries(session, ctx);
      return result;
    }
    if (ctx.submission) {
      refund.attempts += 1;
      refund.submittedAt ??= ctx.submittedAt ?? now;
    }
    if (ctx.sync) refund.syncCount += 1;
    // Balances and the submission slot live on the order row, locked with the refund's (PostgreSQL).
    const holdsSlot = refund.order.slotRefundId === refund.id;
    const order = holdsSlot || (target !== null && isFinal(target)) ? refund.order : undefined;

    if (outcome.kind === 'deferred') {
      // "Not now" answers one submission. A refund the gateway has already accepted (a duplicate
      // submission raced its own acceptance) is not waiting for anything: keep asking about it.
      if (from === 'PROCESSING') refund.nextSyncAt = this.nextSync(refund, now);
      else this.defer(history, refund, outcome, now, ctx.source);
    } else {
      refund.deferredAt = null;
      // A person's decision says nothing about the gateway's own state: what it last said stays.
      if (!ctx.operator) this.noteGatewayState(refund, outcome);
      const to = target ?? from;
      if (to !== from && !(from === 'PROCESSING' && to === 'UNKNOWN')) {
        assertTransition(from, to);
        refund.status = to;
        result.changed = true;
      }
      result.events.push(
        ...this.enter(history, refund, order, outcome, {
          now,
          source: ctx.source,
          from,
          changed: result.changed,
          note: ctx.operator,
        }),
      );
    }
    if (ctx.sync) result.events.push(...this.exhaustion(history, refund, { now, source: ctx.source, from }));
    result.handoff = await this.slots.afterOutcome(session, refund, order, outcome, now);
    refund.updatedAt = now;
    this.write(session, refund, before, history);
    // Before the new events: delivered, the earlier ones no longer hold these up, which are then
    // written held by this process and delivered at once after the commit.
    recordDeliveries(session, ctx);
    await this.publisher.record(session, result.events);
    await this.logExchange(session, refund, ctx, {
      answer,
      now,
      mismatch: problems.length > 0,
      changed: result.changed || result.events.length > 0,
    });
    return result;
  }

  /** Writes what changed of the refund and its order, and the history rows the change left. */
  private write(
    session: SqlSession,
    refund: Refund,
    before: { refund: RowState; order: RowState },
    history: readonly HistoryRow[],
  ): void {
    if (!sameState(refundState(refund), before.refund)) updateRefund(session, refund);
    if (!sameState(orderState(refund.order), before.order)) updateOrder(session, refund.order);
    for (const row of history) insertHistory(session, row);
  }

  /** Records what was heard about a refund without applying it (for example a wrong amount), once: a repeat is counted. */
  refuse(
    refundId: string,
    outcome: GatewayOutcome,
    source: RefundHistorySource,
    reason: string,
    exchange?: ExchangeNote,
  ): Promise<Heard> {
    return this.writes.transaction(async (session) => {
      const refund = await this.lock(session, refundId);
      const heard = await this.hear(session, refund, {
        at: this.clock.now(),
        source,
        from: refund.status,
        to: statusOfOutcome(outcome) ?? refund.status,
        outcome,
        message: reason,
      });
      if (exchange) {
        const heardOutcome = exchange.answer ?? outcome;
        await recordExchange(session, refund, {
          at: this.clock.now(),
          note: exchange,
          heard: heardOutcome,
          outcome: 'mismatched',
          changed: false,
        });
      }
      return heard;
    });
  }

  /**
   * A history row, not applied, for what was heard; or, when the refund already has one saying exactly
   * the same (source, statuses, the gateway's status, code and message), one more repeat on that row.
   * A replayed notification, however often and in whatever order, leaves one row per different thing
   * it said. The caller holds the refund's row lock, so two copies heard at once count twice, on one row.
   */
  private async hear(
    session: SqlSession,
    refund: Refund,
    entry: {
      at: Date;
      source: RefundHistorySource;
      from: RefundStatus;
      to: RefundStatus;
      outcome: GatewayOutcome;
      message?: string;
      /** An operator's decision that came too late is kept as their own row, never counted as a repeat. */
      note?: OperatorNote;
    },
  ): Promise<Heard> {
    if (entry.note) {
      insertHistory(session, this.historyRow(refund, { ...entry, applied: false }));
      return 'recorded';
    }
    const text = historyTextOf(entry.outcome);
    const code = text.code === null ? null : asCode(text.code);
    const message =
      entry.message !== undefined ? asMessage(entry.message) : text.message === null ? null : asMessage(text.message);
    const gatewayStatus = entry.outcome.rawStatus === undefined ? null : asCode(entry.outcome.rawStatus);
    const heard = {
      refundId: refund.id,
      at: entry.at,
      applied: false,
      source: entry.source,
      fromStatus: entry.from,
      toStatus: entry.to,
      gatewayStatus,
      code,
      message,
    };
    if (await countRepeat(session, heard)) return 'repeated';
    insertHistory(session, { ...heard, actor: null });
    return 'recorded';
  }

  /** The exchange row of the outcome applied, when it came from a gateway exchange. */
  private async logExchange(
    session: SqlSession,
    refund: Refund,
    ctx: ApplyContext,
    applied: { answer: GatewayOutcome; now: Date; mismatch: boolean; changed: boolean },
  ): Promise<void> {
    if (!ctx.exchange) return;
    const heard = ctx.exchange.answer ?? applied.answer;
    await recordExchange(session, refund, {
      at: applied.now,
      note: ctx.exchange,
      heard,
      outcome: exchangeOutcomeOf({ answer: heard, mismatch: applied.mismatch, changed: applied.changed }),
      changed: applied.changed,
    });
  }

  /** The refund and its order, both locked (PostgreSQL) for the rest of the transaction. */
  protected async lock(session: SqlSession, refundId: string): Promise<Refund> {
    const refund = await lockRefund(session, refundId);
    if (!refund) throw new RefundNotFoundError(refundId);
    return refund;
  }

  /**
   * The effects of an outcome on a refund not yet final. `changed` says whether the status moved;
   * an outcome that leaves it (still in progress, or an unreadable answer about a refund the
   * gateway already accepted) only reschedules the next sync.
   */
  private enter(
    history: HistoryRow[],
    refund: Refund,
    order: RefundOrder | undefined,
    outcome: Exclude<GatewayOutcome, Outcome<'deferred'>>,
    at: { now: Date; source: RefundHistorySource; from: RefundStatus; changed: boolean; note?: OperatorNote },
  ): AnyRefundEvent[] {
    const { now } = at;
    const record = () => {
      if (at.changed)
        this.record(history, refund, {
          at: now,
          source: at.source,
          from: at.from,
          to: refund.status,
          outcome,
          applied: true,
          note: at.note,
        });
    };
    switch (outcome.kind) {
      case 'processing': {
        refund.failureCode = null;
        refund.failureMessage = null;
        const next = this.nextSync(refund, now);
        // "Still in progress", notified again and again (a replay), must not keep the query away.
        const keep = at.source === 'notify' && !at.changed && refund.nextSyncAt !== null && refund.nextSyncAt < next;
        if (!keep) refund.nextSyncAt = next;
        record();
        return [];
      }
      case 'unknown':
        // An unreadable answer about a refund the gateway already accepted changes nothing but the schedule.
        if (refund.status === 'UNKNOWN') this.noteUnknown(refund, outcome);
        refund.nextSyncAt = this.nextSync(refund, now);
        record();
        return [];
      case 'needs_attention':
        return this.flag(history, refund, outcome, at);
      case 'succeeded': {
        const locked = requireOrder(order);
        locked.refundedAmount += refund.amount;
        locked.updatedAt = now;
        refund.failureCode = null;
        refund.failureMessage = null;
        refund.finishedAt = outcome.finishedAt ?? now;
        this.settle(refund);
        record();
        return [new RefundSucceededEvent(snapshotOf(refund), now, refund.finishedAt)];
      }
      case 'failed': {
        const locked = requireOrder(order);
        locked.reservedAmount -= refund.amount;
        locked.updatedAt = now;
        refund.failureCode = asCode(outcome.code);
        refund.failureMessage = asMessage(outcome.message);
        refund.finishedAt = now;
        this.settle(refund);
        record();
        return [new RefundFailedEvent(snapshotOf(refund), now, outcome.code, outcome.message)];
      }
    }
  }

  /** The gateway definitely has not got the refund now: keep status and money, try again later. */
  private defer(
    history: HistoryRow[],
    refund: Refund,
    outcome: Outcome<'deferred'>,
    now: Date,
    source: RefundHistorySource,
  ): void {
    refund.deferredAt ??= now;
    if (outcome.rawStatus !== undefined) refund.gatewayStatus = asCode(outcome.rawStatus);
    refund.failureCode = asCode(outcome.code);
    refund.failureMessage = asMessage(outcome.message);
    refund.nextSyncAt =
      outcome.retryAfterMs === undefined ? this.nextSync(refund, now) : new Date(now.getTime() + outcome.retryAfterMs);
    this.record(history, refund, { at: now, source, from: refund.status, to: refund.status, outcome, applied: true });
  }

  /**
   * Accepted by the gateway but not settled: a person must look. The money stays reserved, the
   * refund is still queried (at the slowest step), and the event is emitted once per reason.
   */
  private flag(
    history: HistoryRow[],
    refund: Refund,
    outcome: Outcome<'needs_attention'>,
    at: { now: Date; source: RefundHistorySource; from: RefundStatus; changed: boolean },
  ): AnyRefundEvent[] {
    refund.nextSyncAt = this.slowestSync(refund, at.now);
    const entry = { at: at.now, source: at.source, from: at.from, to: refund.status, outcome, applied: true };
    if (keepsAttentionReason(refund.attentionReason, outcome.reason)) {
      // The exchange log keeps what the gateway said; the flag keeps what a person must do about it.
      if (at.changed) this.record(history, refund, entry);
      this.logger.warn(
        `Refund ${refund.id} stays flagged ${refund.attentionReason} (${outcome.reason}): ${textForLog(outcome.message, 512)}`,
      );
      return [];
    }
    const isNew = refund.attentionReason !== outcome.reason;
    if (isNew || at.changed) this.record(history, refund, entry);
    if (!isNew) return [];
    refund.attentionReason = outcome.reason;
    refund.attentionSince = at.now;
    // The message is the gateway's (or quotes it): escaped, so it stays on its line.
    this.logger.warn(`Refund ${refund.id} needs attention (${outcome.reason}): ${textForLog(outcome.message, 512)}`);
    return [new RefundNeedsAttentionEvent(snapshotOf(refund), at.now, outcome.reason, outcome.message)];
  }

  /** A final answer from the gateway settles whatever needed a person too. */
  private settle(refund: Refund): void {
    refund.nextSyncAt = null;
    refund.attentionReason = null;
    refund.attentionSince = null;
  }

  private noteGatewayState(refund: Refund, outcome: GatewayOutcome): void {
    const gatewayRefundNo = 'gatewayRefundNo' in outcome ? outcome.gatewayRefundNo : undefined;
    if (gatewayRefundNo && refund.gatewayRefundNo === null) {
      // A cut identifier would name another refund: one that does not fit is not kept (queries go by our number).
      if (codePointCount(gatewayRefundNo) <= CODE_COLUMN_LENGTH) refund.gatewayRefundNo = gatewayRefundNo;
      else
        this.logger.warn(
          `Refund ${refund.id}: the gateway's refund id is longer than ${CODE_COLUMN_LENGTH} characters; not kept`,
        );
    }
    if (outcome.rawStatus !== undefined) refund.gatewayStatus = asCode(outcome.rawStatus);
  }

  private noteUnknown(refund: Refund, outcome: UnknownOutcome): void {
    refund.failureCode = outcome.reason.toUpperCase();
    refund.failureMessage = asMessage(describeUnknown(outcome));
  }

  /** The schedule's next step, spread by the jitter; a refund that needs a person is asked at the slowest step. */
  private nextSync(refund: Refund, now: Date): Date {
    if (refund.attentionReason !== null) return this.slowestSync(refund, now);
    const base = nextSyncDelay(refund.syncCount, this.settings.backoffFor(refund.gateway));
    return new Date(now.getTime() + withJitter(base, this.settings.sync.jitter, `${refund.id}:${refund.syncCount}`));
  }

  private slowestSync(refund: Refund, now: Date): Date {
    const schedule = this.settings.backoffFor(refund.gateway);
    return new Date(now.getTime() + schedule[schedule.length - 1]);
  }

  /**
   * A refund the gateway has not settled within `exhaustAfterMs` of its creation needs a person. It
   * keeps its status and its money, and is still asked about at the slowest step: never dropped,
   * never guessed FAILED. Only a sync counts (a refund that just arrived is not judged by its age).
   */
  private exhaustion(
    history: HistoryRow[],
    refund: Refund,
    at: { now: Date; source: RefundHistorySource; from: RefundStatus },
  ): AnyRefundEvent[] {
    if (isFinal(refund.status) || refund.attentionReason !== null) return [];
    const age = at.now.getTime() - refund.createdAt.getTime();
    if (age < this.settings.sync.exhaustAfterMs) return [];
    const hours = Math.round(age / 3_600_000);
    return this.flag(
      history,
      refund,
      {
        kind: 'needs_attention',
        reason: 'sync_exhausted',
        message: `Still ${refund.status} at the gateway after ${refund.syncCount} syncs over ${hours} h; queried at the slowest step until it settles`,
      },
      { ...at, changed: false },
    );
  }

  /** A history row of the change, written with the refund at the end of the transaction. */
  private record(history: HistoryRow[], refund: Refund, entry: HistoryEntry): void {
    history.push(this.historyRow(refund, entry));
  }

  private historyRow(refund: Refund, entry: HistoryEntry): HistoryRow {
    const { code, message } = historyTextOf(entry.outcome);
    const text = entry.note ? entry.note.reason : message;
    return {
      refundId: refund.id,
      at: entry.at,
      fromStatus: entry.from,
      toStatus: entry.to,
      source: entry.source,
      applied: entry.applied,
      gatewayStatus: entry.note || entry.outcome.rawStatus === undefined ? null : asCode(entry.outcome.rawStatus),
      code: code === null ? null : asCode(code),
      message: text === null ? null : asMessage(text),
      actor: entry.note?.actor ?? null,
    };
  }
}

interface HistoryEntry {
  at: Date;
  source: RefundHistorySource;
  from: RefundStatus;
  to: RefundStatus;
  outcome: GatewayOutcome;
  applied: boolean;
  note?: OperatorNote;
}

/** The code and message an outcome leaves in the history: the gateway's own, or the typed unknown reason. */
function historyTextOf(outcome: GatewayOutcome): { code: string | null; message: string | null } {
  switch (outcome.kind) {
    case 'failed':
    case 'deferred':
      return { code: outcome.code, message: outcome.message };
    case 'unknown':
      return { code: outcome.reason.toUpperCase(), message: describeUnknown(outcome) };
    case 'needs_attention':
      return { code: outcome.reason.toUpperCase(), message: outcome.message };
    case 'processing':
    case 'succeeded':
      return { code: null, message: null };
  }
}

/** "detail (gateway code: gateway message)": the cause for people, the gateway's words for support. */
export function describeUnknown(outcome: UnknownOutcome): string {
  const gatewaySaid = [outcome.code, outcome.message].filter((part) => part !== undefined && part !== '').join(': ');
  return gatewaySaid ? `${outcome.detail} (${gatewaySaid})` : outcome.detail;
}

/** A gateway's code or raw status, cut on a character boundary to fit its column. */
function asCode(text: string): string {
  return truncateText(text, CODE_COLUMN_LENGTH);
}

/** A message (the gateway's, or ours quoting it), cut on a character boundary to fit its column. */
function asMessage(text: string): string {
  return truncateText(text, MESSAGE_COLUMN_LENGTH);
}

function requireOrder(order: RefundOrder | undefined): RefundOrder {
  if (!order) throw new Error('A final outcome is applied with its order row locked');
  return order;
}
