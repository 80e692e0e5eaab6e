import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { isFinal } from '../domain/refund-status';
import { RefundHistory } from '../entities/refund-history.entity';
import { Refund } from '../entities/refund.entity';
import {
  type FieldProblem,
  GatewayRuleRefusalError,
  RefundAlreadyFinalError,
  RefundBusyError,
  RefundNotFoundError,
  RefundValidationError,
  UnknownMerchantError,
} from '../errors';
import { AnyRefundEvent, RefundEventPublisher } from '../events';
import type { RelayRecord } from '../persistence/sql/outbox-table';
import { CredentialsProvider } from '../gateway/credentials-provider';
import { GatewayRegistry } from '../gateway/gateway-registry';
import type {
  GatewayOutcome,
  GatewayRefundRequest,
  InboundNotification,
  RefundGateway,
} from '../gateway/refund-gateway.port';
import { REFUND_OBSERVER, type GatewayOperation, type RefundObserver } from '../observability/refund-observer';
import { RefundSettings } from '../refund-settings';
import { checkRefundCommand, isWithin, unreadableFields, withPlaceholders } from './command-checks';
import { GatewayCallOptions, callGateway } from './gateway-call';
import { refundListQuery } from './refund-list.query';
import { Clock } from '../domain/clock';
import { crashPoint } from '../domain/crash-point';
import { escapeForLog, unstorableTextReason } from '../domain/text';
import { runWithLogContext } from '../logging/log-context';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { clearDeferral, refundById } from '../persistence/sql/refund-tables';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { BackgroundWork } from './background-work';
import { NotificationIntake } from './notification-intake';
import type { NotificationReply } from './notification-reply';
import { OrderSlots } from './order-slots';
import { RefundClaims } from './refund-claims';
import { ExchangeNote, recordExchangeAlone } from './refund-exchanges';
import {
  RefundSubmissionSource,
  toGatewayRequest,
  toGatewaySnapshot,
  toHistoryView,
  toRefundView,
} from './refund.mapper';
import type {
  RefundHistoryPage,
  RefundHistoryPageQuery,
  RefundHistoryView,
  RefundExchangePage,
  RefundExchangePageQuery,
  RefundListFilter,
  RefundPage,
  RefundView,
  RequestRefundResult,
} from './refund.view';
import { historyCursor, refundHistoryPageQuery } from './refund-history.query';
import { refundExchangePage } from './refund-exchange.query';
import { RefundLedger } from './refund-ledger';
import { ApplyResult, RefundTransitions } from './refund-transitions';
import { MerchantScope, RequestRefundCommand, refundFieldsOf } from './request-refund.command';
import { ResolveRefundCommand, checkResolveCommand, outcomeOfResolution } from './resolve-refund.command';

/**
 * The application service: request a refund, read it, list them, sync one with its gateway,
 * and take a gateway's notification. Events are published only after the change that
 * produced them is committed.
 */
/** How often a manual sync looks whether the refund's current holder has finished. */
const CLAIM_POLL_MS = 25;

@Injectable()
export class RefundService {
  private readonly logger = new Logger(RefundService.name);

  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly writes: RefundWrites,
    private readonly registry: GatewayRegistry,
    private readonly credentials: CredentialsProvider,
    private readonly ledger: RefundLedger,
    private readonly transitions: RefundTransitions,
    private readonly publisher: RefundEventPublisher,
    private readonly settings: RefundSettings,
    private readonly slots: OrderSlots,
    private readonly background: BackgroundWork,
    private readonly clock: Clock,
    private readonly claims: RefundClaims,
    private readonly intake: NotificationIntake,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  /**
   * Records the refund, reserves its amount and submits it to the gateway. The same
   * (gateway, merchantId, refundNo) with the same parameters returns the existing refund.
   * On a gateway that takes one refund of an order at a time, a refund whose order has another
   * in flight is recorded, reserved and answered in REQUESTED with `deferredAt` set; it is
   * submitted as soon as the other one is accepted or settled.
   *
   * Field problems come in two rounds here (the money rules, then the gateway's limits); a caller
   * that wants them all at once asks {@link check} first.
   *
   * @throws RefundValidationError, UnknownGatewayError, UnknownMerchantError, GatewayRuleRefusalError,
   *   RefundConflictError, OrderConflictError, RefundExceedsBalanceError
   */
  async request(cmd: RequestRefundCommand): Promise<RequestRefundResult> {
    const problems = checkRefundCommand(cmd);
    if (problems.length) throw new RefundValidationError(problems);
    const gateway = this.registry.get(cmd.gateway);
    if (!(await this.credentials.get(cmd.gateway, cmd.merchantId))) {
      throw new UnknownMerchantError(cmd.gateway, cmd.merchantId);
    }
    const verdict = gateway.validate(this.draft(cmd, gateway));
    if (verdict.problems.length) throw new RefundValidationError([...verdict.problems]);
    if (verdict.refusals.length) throw new GatewayRuleRefusalError(gateway.id, verdict.refusals);

    const lease = this.claims.newLease();
    const reservation = await this.ledger.reserve(cmd, lease);
    if (!reservation.created) return { refund: toRefundView(reservation.refund), created: false };
    crashPoint('after-requested-commit');
    // What the delivery of RefundRequested did is written with the submission's outcome, one commit
    // fewer per refund, when the event's lease outlasts the gateway call with room to spare.
    const deliveries = await this.publisher.publish(reservation.events, { holdRecords: this.holdsDeliveries });
    const refund = await this.submit(gateway, reservation.refund, {
      source: 'submit',
      sync: false,
      lease: lease.owner,
      deliveries,
    }).catch(async (error: unknown) => {
      // Written at most once: the statement holds the event's lease, which a first write ended. Should
      // this write fail too, the caller hears the first failure; the relay delivers the event again
      // once its lease runs out, as after a crash.
      await this.publisher.recordDeliveries(deliveries).catch(() => undefined);
      throw error;
    });
    return { refund, created: true };
  }

  /**
   * Every field problem of a refund request that can be found without writing or sending anything,
   * in one list: the money rules, then the limits of the request's gateway (`validate(...).problems`)
   * on the fields the money rules found right. Pure and synchronous; throws nothing.
   *
   * `malformed` names fields (as {@link FieldProblem.field} does) that the caller has already found
   * wrong, typically in its transport's shape checks: their values in `cmd` are not looked at
   * (harmless placeholders stand in for them), nothing is said about them or anything inside them,
   * and every other field is still checked. The caller lists its own problems first, then these.
   *
   * Left to {@link request}, once the fields are right: an unknown gateway (its limits are then
   * skipped here) or merchant (404), and the gateway's business-rule refusals (422). `request` runs
   * the same checks on a whole command, in two rounds: what this finds, it would refuse.
   */
  check(cmd: RequestRefundCommand, malformed: readonly string[] = []): FieldProblem[] {
    const skipped = new Set(malformed);
    const complete = withPlaceholders(cmd, skipped);
    const problems = checkRefundCommand(complete).filter((p) => !isWithin(p.field, skipped));
    if (!complete.order || isWithin('gateway', skipped) || !this.registry.has(complete.gateway)) return problems;

    const gateway = this.registry.get(complete.gateway);
    const judged = new Set([...skipped, ...problems.flatMap((p) => unreadableFields(p, complete))]);
    const verdict = gateway.validate(this.draft(withPlaceholders(complete, judged), gateway));
    return [...problems, ...verdict.problems.filter((p) => !isWithin(p.field, judged))];
  }

  async get(id: string): Promise<RefundView> {
    return toRefundView(await this.load(id));
  }

  /** The whole history, oldest first; {@link historyPage} reads it a page at a time. */
  async history(id: string): Promise<RefundHistoryView[]> {
    const refund = await this.load(id);
    const entries = await this.orm.em.fork().find(RefundHistory, { refund: refund.id }, { orderBy: { id: 'asc' } });
    return entries.map(toHistoryView);
  }

  /**
   * One page of the history, oldest first: `limit` rows (1..200, default 50) after the row `cursor`
   * names (the `nextCursor` of the page before), and the cursor of the next page, null on the last.
   *
   * @throws RefundValidationError for a limit or a cursor this API did not make; RefundNotFoundError
   */
  async historyPage(id: string, page: RefundHistoryPageQuery = {}): Promise<RefundHistoryPage> {
    const { afterId, limit } = refundHistoryPageQuery(page);
    const refund = await this.load(id);
    const rows = await this.orm.em
      .fork()
      .find(
        RefundHistory,
        { refund: refund.id, ...(afterId === null ? {} : { id: { $gt: afterId } }) },
        { orderBy: { id: 'asc' }, limit: limit + 1 },
      );
    const items = rows.slice(0, limit);
    return {
      items: items.map(toHistoryView),
      nextCursor: rows.length > limit ? historyCursor(items[items.length - 1].id) : null,
    };
  }

  /**
   * One page of the refund's gateway exchanges (submissions, queries, notifications), oldest first,
   * paged exactly as {@link historyPage}.
   *
   * @throws RefundValidationError for a limit or a cursor this API did not make; RefundNotFoundError
   */
  async exchangesPage(id: string, page: RefundExchangePageQuery = {}): Promise<RefundExchangePage> {
    const { afterId, limit } = refundHistoryPageQuery(page);
    const refund = await this.load(id);
    return refundExchangePage(this.orm.em.fork(), refund.id, { afterId, limit });
  }

  /** Newest first (oldest first with `order: 'asc'`), paged by an opaque cursor; only refunds inside `scope`. */
  async list(filter: RefundListFilter, scope: MerchantScope): Promise<RefundPage> {
    const { where, limit, order } = refundListQuery(filter, scope);
    const rows = await this.orm.em
      .fork()
      .find(Refund, where, { orderBy: { id: order }, limit: limit + 1, populate: ['order'] });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toRefundView),
      nextCursor: rows.length > limit ? Buffer.from(page[page.length - 1].id).toString('base64url') : null,
    };
  }

  /**
   * Asks the gateway where the refund stands now and applies the answer (a manual sync). It takes
   * the refund's claim first; while another holder works on the refund (its own submission, a sync
   * round) it waits for that one to finish, at most as long as a gateway call may take, and then
   * answers the refund as it stands.
   */
  async sync(id: string): Promise<RefundView> {
    // Before the claim, which writes: an id no refund could have is not found, never a database error.
    if (unstorableTextReason(id) !== null) throw new RefundNotFoundError(id);
    const lease = await this.claimOrWait(id);
    if (lease === null) return this.get(id);
    return this.syncClaimed(id, lease);
  }

  /**
   * The sync of a refund whose claim the caller holds (a sync round): a refund the gateway has
   * never heard of (lost request), or that waits after a "not now", is submitted again with the
   * same refund number. The claim ends with the answer.
   */
  syncClaimed(id: string, lease: string, claim: { leaseExpiresAt?: Date } = {}): Promise<RefundView> {
    return runWithLogContext({ refundId: id }, () => this.syncClaimedInContext(id, lease, claim));
  }

  private async syncClaimedInContext(id: string, lease: string, claim: { leaseExpiresAt?: Date }): Promise<RefundView> {
    // Claimed with its batch, perhaps long ago: a lease that ran out may be another's now. One with
    // time to spare (a batch's head) is still this holder's, and outlasts the call without a write.
    const fresh = claim.leaseExpiresAt !== undefined && !this.claims.needsRenewal(claim.leaseExpiresAt);
    if (!fresh && !(await this.claims.renew(id, lease))) {
      this.logger.warn(escapeForLog(`Refund ${id}: its claim ran out before it was synced; left to its new holder`));
      return this.get(id);
    }
    const refund = await this.load(id);
    if (isFinal(refund.status)) {
      await this.claims.release(id, lease);
      return toRefundView(refund);
    }
    const gateway = this.registry.get(refund.gateway);
    const resubmit = refund.attempts > 0 ? 'resubmit' : 'submit';
    if (refund.deferredAt !== null && refund.status !== 'PROCESSING') {
      // The gateway definitely has not got it: asking first would teach nothing.
      return this.submit(gateway, refund, { source: resubmit, sync: true, lease });
    }
    const askedAt = this.clock.now();
    const startedAt = performance.now();
    const outcome = await callGateway(this.callOptions(gateway, 'query', refund.id), () =>
      gateway.query(toGatewaySnapshot(refund, this.clock.now())),
    );
    const exchange: ExchangeNote = {
      operation: 'query',
      at: askedAt,
      durationMs: elapsedMs(startedAt),
      answer: outcome,
    };
    if (outcome.kind !== 'not_found') return this.applyAndPublish(refund.id, outcome, 'query', lease, exchange);
    if (refund.status === 'PROCESSING') {
      // The gateway accepted this refund earlier; "not found" now cannot mean it was never sent,
      // so resubmitting would be a guess. Keep asking, and have a person look.
      const lost: GatewayOutcome = {
        kind: 'needs_attention',
        reason: 'gateway_lost_refund',
        message: `The gateway no longer finds this accepted refund (${outcome.code}: ${outcome.message})`,
      };
      return this.applyAndPublish(refund.id, lost, 'query', lease, exchange);
    }
    await recordExchangeAlone(this.writes, refund.id, {
      at: this.clock.now(),
      note: exchange,
      heard: outcome,
      outcome: 'unchanged',
    });
    // The query may have outlasted the claim (a process that stalled past its lease): only the claim's
    // holder may send the refund again, and another may hold it now and have sent it already.
    if (!(await this.claims.renew(refund.id, lease))) {
      this.logger.warn(
        escapeForLog(`Refund ${refund.id}: its claim ran out while the gateway was asked; left to its new holder`),
      );
      return this.get(refund.id);
    }
    // A notification (which takes no claim) may have settled it while the gateway was asked, or told it
    // accepted: then "not found" no longer means it was never sent, and the next sync asks again.
    const current = await this.load(refund.id);
    if (isFinal(current.status) || current.status === 'PROCESSING') {
      await this.claims.release(current.id, lease);
      return toRefundView(current);
    }
    this.logger.log(
      escapeForLog(`Gateway ${gateway.id} has no refund ${refund.refundNo}; resubmitting with the same refund number`),
    );
    return this.submit(gateway, current, { source: 'resubmit', sync: true, lease });
  }

  /**
   * A person settles an unfinished refund (REQUESTED, PROCESSING or UNKNOWN) as SUCCEEDED or FAILED,
   * through the same transition as a gateway's final answer: FAILED releases the reservation,
   * SUCCEEDED adds to the refunded amount, the needs-attention flag is cleared, the order's
   * submission slot passes on, a history row (source `operator`) keeps who and why, and
   * `refund.succeeded` / `refund.failed` go out through the outbox like any other. It takes the
   * refund's claim first, as a manual sync does, so no gateway call of this refund is under way.
   *
   * @throws RefundValidationError, RefundNotFoundError, RefundAlreadyFinalError, RefundBusyError
   */
  resolve(cmd: ResolveRefundCommand): Promise<RefundView> {
    return runWithLogContext({ refundId: cmd.refundId }, () => this.resolveInContext(cmd));
  }

  private async resolveInContext(cmd: ResolveRefundCommand): Promise<RefundView> {
    const problems = checkResolveCommand(cmd);
    if (problems.length) throw new RefundValidationError(problems);
    if (unstorableTextReason(cmd.refundId) !== null) throw new RefundNotFoundError(cmd.refundId);
    const lease = await this.claimOrWait(cmd.refundId);
    if (lease === null) {
      const refund = await this.load(cmd.refundId);
      if (isFinal(refund.status)) throw new RefundAlreadyFinalError(refund.id, refund.status);
      throw new RefundBusyError(refund.id);
    }
    const applied = await this.transitions
      .apply(cmd.refundId, outcomeOfResolution(cmd, this.clock.now()), {
        source: 'operator',
        lease,
        operator: { actor: cmd.actor, reason: cmd.reason },
      })
      .catch(async (error: unknown) => {
        // Nothing was applied: the claim goes back now rather than when its lease runs out.
        await this.claims.release(cmd.refundId, lease);
        throw error;
      });
    // A gateway's notification (which takes no claim) settled it first: final is final.
    if (!applied.changed) throw new RefundAlreadyFinalError(applied.refund.id, applied.refund.status);
    this.logger.log(escapeForLog(`Refund ${applied.refund.id} settled ${applied.refund.status} by ${cmd.actor}`));
    this.observer.manualResolution({ gateway: applied.refund.gateway, status: cmd.status });
    await this.publish(applied.events);
    this.submitHandedOff(this.registry.get(applied.refund.gateway), applied.handoff);
    return toRefundView(applied.refund);
  }

  /** The refund's claim, waiting while another holder works on it; null when final or still held after the wait. */
  private async claimOrWait(id: string): Promise<string | null> {
    const giveUpAt = Date.now() + this.settings.gatewayCallTimeoutMs;
    for (;;) {
      const lease = await this.claims.claim(id);
      if (lease !== null) return lease;
      const refund = await this.load(id);
      if (isFinal(refund.status) || Date.now() >= giveUpAt) return null;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
  }

  /**
   * Verifies and applies a gateway notification; returns the exact answer the gateway expects, and
   * what became of the notification (`result`). A body over the gateway's limit, and forged,
   * unreadable or incomplete notifications, are logged and change nothing; a notification heard again
   * on a final refund counts as a repeat on the history row it left.
   *
   * @throws UnknownGatewayError, NotificationsNotSupportedError
   */
  handleNotification(gatewayId: string, notification: InboundNotification): Promise<NotificationReply> {
    return this.intake.handle(gatewayId, notification, (refundId, outcome, exchange) =>
      this.applyOutcome(refundId, outcome, 'notify', undefined, exchange),
    );
  }

  /**
   * The largest notification body, in bytes, the gateway can plausibly send (its declared limit, or
   * the default): a host refuses a larger one before reading it. Any id is answered, unknown ones with
   * the default, so a host can ask before it knows whether the route exists.
   */
  notificationBodyLimit(gatewayId: string): number {
    return this.intake.bodyLimit(gatewayId);
  }

  private callOptions(gateway: RefundGateway, operation: GatewayOperation, refundId: string): GatewayCallOptions {
    return {
      gateway: gateway.id,
      operation,
      refundId,
      timeoutMs: this.settings.gatewayCallTimeoutMs,
      observer: this.observer,
    };
  }

  /** Resolves once the submissions this service started in the background have all finished. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /**
   * Hands the refund to the gateway and applies the answer; the caller holds the refund's claim
   * (`lease`), which ends with the answer. On a serial gateway the refund first takes its order's
   * submission slot (or keeps it, when an earlier answer handed it over or it already holds it);
   * without the slot it stays queued and the claim is given back.
   */
  private submit(gateway: RefundGateway, loaded: Refund, opts: SubmitOptions): Promise<RefundView> {
    return runWithLogContext({ refundId: loaded.id, gateway: gateway.id }, () =>
      this.submitInContext(gateway, loaded, opts),
    );
  }

  private async submitInContext(gateway: RefundGateway, loaded: Refund, opts: SubmitOptions): Promise<RefundView> {
    let refund = loaded;
    if (gateway.capabilities?.oneRefundInFlightPerOrder) {
      // The claim makes this caller the only one that may submit the refund, so a slot held for it is its own.
      const slot = await this.slots.claim(refund.id, { source: opts.source });
      if (slot.claim !== 'claimed') {
        await this.claims.release(refund.id, opts.lease);
        await this.publisher.recordDeliveries(opts.deliveries ?? []);
        return toRefundView(slot.refund);
      }
      refund = slot.refund;
    } else if (refund.deferredAt !== null) {
      // The wait after a "not now" ends as this submission goes out (a serial order's slot claim does
      // the same): should the process die with the call out, the next sync asks before sending again.
      const id = refund.id;
      await this.writes.statement((session) =>
        clearDeferral(session, id, { lease: opts.lease, now: this.clock.now() }),
      );
    }
    const now = this.clock.now();
    const request = toGatewayRequest(refund, {
      gatewayNotifyUrl: this.gatewayNotifyUrl(gateway),
      attempt: refund.attempts + 1,
      now,
    });
    const startedAt = performance.now();
    const outcome = await callGateway(this.callOptions(gateway, 'submit', refund.id), () => gateway.submit(request));
    crashPoint('after-gateway-answer');
    const applied = await this.transitions.apply(refund.id, outcome, {
      source: opts.source,
      submission: true,
      submittedAt: now,
      sync: opts.sync,
      lease: opts.lease,
      exchange: { operation: 'submit', at: now, durationMs: elapsedMs(startedAt) },
      ...(opts.deliveries?.length ? { deliveries: opts.deliveries } : {}),
    });
    crashPoint('after-outcome-commit');
    await this.publish(applied.events);
    this.submitHandedOff(gateway, applied.handoff);
    return toRefundView(applied.refund);
  }

  /** The refund that was just handed its order's slot is submitted without holding up this caller. */
  private submitHandedOff(gateway: RefundGateway, refundId: string | null): void {
    if (refundId === null) return;
    this.background.run(`Submission of queued refund ${refundId}`, async () => {
      // Whoever holds the refund's claim now (a sync round) submits it under the slot it was handed.
      const lease = await this.claims.claim(refundId);
      if (lease === null) return;
      const next = await this.load(refundId);
      await this.submit(gateway, next, { source: next.attempts > 0 ? 'resubmit' : 'submit', sync: false, lease });
    });
  }

  /**
   * Applies a gateway's answer heard outside a sync round (reconciliation) to a refund whose claim the
   * caller holds: the same transition, ledger, history, events and order hand-off as a sync's answer,
   * without counting as a sync. The claim ends with it.
   */
  applyClaimed(
    refundId: string,
    outcome: GatewayOutcome,
    claim: { source: 'reconcile'; lease: string },
  ): Promise<RefundView> {
    return this.applyAndPublish(refundId, outcome, claim.source, claim.lease);
  }

  private async applyAndPublish(
    refundId: string,
    outcome: GatewayOutcome,
    source: 'query' | 'notify' | 'reconcile',
    lease?: string,
    exchange?: ExchangeNote,
  ): Promise<RefundView> {
    return toRefundView((await this.applyOutcome(refundId, outcome, source, lease, exchange)).refund);
  }

  private applyOutcome(
    refundId: string,
    outcome: GatewayOutcome,
    source: 'query' | 'notify' | 'reconcile',
    lease?: string,
    exchange?: ExchangeNote,
  ): Promise<ApplyResult> {
    return runWithLogContext({ refundId }, () =>
      this.applyOutcomeInContext(refundId, outcome, source, lease, exchange),
    );
  }

  private async applyOutcomeInContext(
    refundId: string,
    outcome: GatewayOutcome,
    source: 'query' | 'notify' | 'reconcile',
    lease?: string,
    exchange?: ExchangeNote,
  ): Promise<ApplyResult> {
    const applied = await this.transitions.apply(refundId, outcome, {
      source,
      sync: source === 'query',
      lease,
      ...(exchange ? { exchange } : {}),
    });
    await this.publish(applied.events);
    const gateway = this.registry.get(applied.refund.gateway);
    this.submitHandedOff(gateway, applied.handoff);
    return applied;
  }

  private async publish(events: AnyRefundEvent[]): Promise<void> {
    if (events.length) await this.publisher.publish(events);
  }

  /** Whether the outbox lease of a request's event outlasts its submission's gateway call. */
  private get holdsDeliveries(): boolean {
    return this.settings.outlastsGatewayCall(this.settings.outbox.leaseMs);
  }

  private async load(id: string): Promise<Refund> {
    // No refund has such an id, and a NUL would fail the query itself.
    if (unstorableTextReason(id) !== null) throw new RefundNotFoundError(id);
    const refund = await this.writes.read((session) => refundById(session, id));
    if (!refund) throw new RefundNotFoundError(id);
    return refund;
  }

  /** The gateway request this command would become, for the gateway's own checks. */
  /** Where the gateway should notify, or null for a gateway that sends no notifications. */
  private gatewayNotifyUrl(gateway: RefundGateway): string | null {
    return gateway.notifications ? this.settings.gatewayNotifyUrl(gateway.id) : null;
  }

  private draft(cmd: RequestRefundCommand, gateway: RefundGateway): GatewayRefundRequest {
    const now = this.clock.now();
    const source: RefundSubmissionSource = {
      ...refundFieldsOf(cmd),
      id: '',
      gatewayRefundNo: null,
      createdAt: now,
      submittedAt: null,
    };
    return toGatewayRequest(source, {
      gatewayNotifyUrl: this.gatewayNotifyUrl(gateway),
      attempt: 1,
      now,
    });
  }
}

/** How a refund is handed to its gateway (see `RefundService.submit`). */
interface SubmitOptions {
  source: 'submit' | 'resubmit';
  sync: boolean;
  lease: string;
  /** Deliveries of the refund's events held for the transaction that applies the answer. */
  deliveries?: readonly RelayRecord[];
}

/** Milliseconds since a `performance.now()` reading, whole. */
function elapsedMs(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
