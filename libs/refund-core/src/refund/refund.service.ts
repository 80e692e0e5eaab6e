import { FilterQuery, MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';

import { isFinal } from '../domain/refund-status';
import { RefundHistory } from '../entities/refund-history.entity';
import { Refund } from '../entities/refund.entity';
import { RefundNotFoundError, RefundValidationError, UnknownMerchantError } from '../errors';
import { AnyRefundEvent, RefundEventPublisher } from '../events';
import { CredentialsProvider } from '../gateway/credentials-provider';
import { GatewayRegistry } from '../gateway/gateway-registry';
import type {
  GatewayOutcome,
  GatewayRefundRequest,
  InboundNotification,
  NotificationAnswer,
  NotificationParseResult,
  RefundGateway,
} from '../gateway/refund-gateway.port';
import { RefundSettings } from '../refund-settings';
import { checkRefundCommand } from './command-checks';
import { callGateway } from './gateway-call';
import { refundListQuery } from './refund-list.query';
import { RefundSubmissionSource, toGatewayQuery, toGatewayRequest, toHistoryView, toRefundView } from './refund.mapper';
import type { RefundHistoryView, RefundListFilter, RefundPage, RefundView, RequestRefundResult } from './refund.view';
import { RefundLedger } from './refund-ledger';
import { RefundTransitions } from './refund-transitions';
import { MerchantScope, RequestRefundCommand, refundFieldsOf } from './request-refund.command';

/**
 * The application service: request a refund, read it, list them, sync one with its gateway,
 * and take a gateway's notification. Events are published only after the change that
 * produced them is committed.
 */
@Injectable()
export class RefundService {
  private readonly logger = new Logger(RefundService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly registry: GatewayRegistry,
    private readonly credentials: CredentialsProvider,
    private readonly ledger: RefundLedger,
    private readonly transitions: RefundTransitions,
    private readonly publisher: RefundEventPublisher,
    private readonly settings: RefundSettings,
  ) {}

  /**
   * Records the refund, reserves its amount and submits it to the gateway. The same
   * (gateway, merchantId, refundNo) with the same parameters returns the existing refund.
   *
   * @throws RefundValidationError, UnknownGatewayError, UnknownMerchantError,
   *   RefundConflictError, OrderConflictError, RefundExceedsBalanceError
   */
  async request(cmd: RequestRefundCommand): Promise<RequestRefundResult> {
    const problems = checkRefundCommand(cmd);
    if (problems.length) throw new RefundValidationError(problems);
    const gateway = this.registry.get(cmd.gateway);
    if (!(await this.credentials.get(cmd.gateway, cmd.merchantId))) {
      throw new UnknownMerchantError(cmd.gateway, cmd.merchantId);
    }
    const gatewayProblems = gateway.validate(this.draft(cmd));
    if (gatewayProblems.length) throw new RefundValidationError(gatewayProblems);

    const reservation = await this.ledger.reserve(cmd);
    if (!reservation.created) return { refund: toRefundView(reservation.refund), created: false };
    await this.publisher.publish(reservation.events);
    const refund = await this.submit(gateway, reservation.refund, 'submit', false);
    return { refund, created: true };
  }

  async get(id: string): Promise<RefundView> {
    return toRefundView(await this.load(id));
  }

  async history(id: string): Promise<RefundHistoryView[]> {
    const refund = await this.load(id);
    const entries = await this.orm.em.fork().find(RefundHistory, { refund: refund.id }, { orderBy: { id: 'asc' } });
    return entries.map(toHistoryView);
  }

  /** Newest first, paged by an opaque cursor; only refunds inside `scope`. */
  async list(filter: RefundListFilter, scope: MerchantScope): Promise<RefundPage> {
    const { where, limit } = refundListQuery(filter, scope);
    const rows = await this.orm.em
      .fork()
      .find(Refund, where, { orderBy: { id: 'desc' }, limit: limit + 1, populate: ['order'] });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toRefundView),
      nextCursor: rows.length > limit ? Buffer.from(page[page.length - 1].id).toString('base64url') : null,
    };
  }

  /**
   * Asks the gateway where the refund stands now and applies the answer. A refund the gateway
   * has never heard of (lost request) is submitted again with the same refund number.
   */
  async sync(id: string): Promise<RefundView> {
    const refund = await this.load(id);
    if (isFinal(refund.status)) return toRefundView(refund);
    const gateway = this.registry.get(refund.gateway);
    const outcome = await callGateway(`${gateway.id}.query(${refund.id})`, this.settings.gatewayCallTimeoutMs, () =>
      gateway.query(toGatewayQuery(refund)),
    );
    if (outcome.kind === 'not_found') {
      if (refund.status === 'PROCESSING') {
        // The gateway accepted this refund earlier; "not found" now cannot mean it was never
        // sent, so resubmitting would be a guess. Keep asking, and say so loudly.
        this.logger.error(`Gateway ${gateway.id} no longer finds PROCESSING refund ${refund.id} (${outcome.code})`);
        const stillUnknown: GatewayOutcome = {
          kind: 'unknown',
          reason: 'gateway does not find an accepted refund',
          code: outcome.code,
          message: outcome.message,
        };
        return this.applyAndPublish(refund.id, stillUnknown, 'query');
      }
      this.logger.log(`Gateway ${gateway.id} has no refund ${refund.refundNo}; resubmitting with the same refund number`);
      return this.submit(gateway, refund, 'resubmit', true);
    }
    return this.applyAndPublish(refund.id, outcome, 'query');
  }

  /**
   * Verifies and applies a gateway notification; returns the exact answer the gateway expects.
   * Forged or unreadable notifications are logged and change nothing.
   */
  async handleNotification(gatewayId: string, notification: InboundNotification): Promise<NotificationAnswer> {
    const gateway = this.registry.get(gatewayId);
    let parsed: NotificationParseResult;
    try {
      parsed = await gateway.parseNotification(notification);
    } catch (error) {
      this.logger.error(`Notification from ${gatewayId} could not be handled`, error as Error);
      return gateway.answerNotification('error');
    }
    if (parsed.kind === 'rejected') {
      this.logger.warn(
        `Rejected ${gatewayId} notification (merchant ${parsed.merchantId ?? '?'}, refund ${parsed.refundNo ?? '?'}): ${parsed.reason}`,
      );
      return gateway.answerNotification('rejected');
    }
    const refund = await this.orm.em
      .fork()
      .findOne(Refund, { gateway: gatewayId, merchantId: parsed.merchantId, refundNo: parsed.refundNo });
    if (!refund) {
      this.logger.warn(`Verified ${gatewayId} notification for unknown refund ${parsed.merchantId}/${parsed.refundNo}`);
      return gateway.answerNotification('unknown_refund');
    }
    if (parsed.amount !== undefined && parsed.amount !== refund.amount) {
      const reason = `notification amount ${parsed.amount} differs from refund amount ${refund.amount}`;
      this.logger.error(`Refund ${refund.id}: ${reason}; not applied`);
      await this.transitions.refuse(refund.id, parsed.outcome, 'notify', reason);
      return gateway.answerNotification('rejected');
    }
    if (parsed.outcome.kind === 'unknown') {
      this.logger.warn(`Refund ${refund.id}: notification says nothing definite (${parsed.outcome.reason})`);
      return gateway.answerNotification('rejected');
    }
    await this.applyAndPublish(refund.id, parsed.outcome, 'notify');
    return gateway.answerNotification('applied');
  }

  private async submit(gateway: RefundGateway, refund: Refund, source: 'submit' | 'resubmit', sync: boolean): Promise<RefundView> {
    const request = toGatewayRequest(refund, this.settings.gatewayNotifyUrl(gateway.id), refund.attempts + 1);
    const outcome = await callGateway(`${gateway.id}.submit(${refund.id})`, this.settings.gatewayCallTimeoutMs, () =>
      gateway.submit(request),
    );
    const applied = await this.transitions.apply(refund.id, outcome, { source, submission: true, sync });
    await this.publish(applied.events);
    return toRefundView(applied.refund);
  }

  private async applyAndPublish(
    refundId: string,
    outcome: GatewayOutcome,
    source: 'query' | 'notify',
  ): Promise<RefundView> {
    const applied = await this.transitions.apply(refundId, outcome, { source, sync: source === 'query' });
    await this.publish(applied.events);
    return toRefundView(applied.refund);
  }

  private publish(events: AnyRefundEvent[]): Promise<void> {
    return events.length ? this.publisher.publish(events) : Promise.resolve();
  }

  private async load(id: string): Promise<Refund> {
    const refund = await this.orm.em.fork().findOne(Refund, { id } as FilterQuery<Refund>, { populate: ['order'] });
    if (!refund) throw new RefundNotFoundError(id);
    return refund;
  }

  /** The gateway request this command would become, for the gateway's own field checks. */
  private draft(cmd: RequestRefundCommand): GatewayRefundRequest {
    const source: RefundSubmissionSource = { ...refundFieldsOf(cmd), id: '' };
    return toGatewayRequest(source, this.settings.gatewayNotifyUrl(cmd.gateway), 1);
  }
}
