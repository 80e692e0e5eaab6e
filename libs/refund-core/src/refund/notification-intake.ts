import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { textForLog, unstorableTextReason } from '../domain/text';
import { Refund } from '../entities/refund.entity';
import { NotificationsNotSupportedError } from '../errors';
import { GatewayRegistry } from '../gateway/gateway-registry';
import { describeError, errorFrames } from '../logging/error-summary';
import { runWithLogContext } from '../logging/log-context';
import { REFUND_OBSERVER, type RefundObserver } from '../observability/refund-observer';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { refundByKey } from '../persistence/sql/refund-tables';
import { RefundWrites } from '../persistence/sql/write-transactions';
import {
  DEFAULT_NOTIFICATION_BODY_LIMIT,
  type GatewayNotifications,
  type GatewayOutcome,
  type InboundNotification,
  type NotificationRefusalCode,
  type NotificationAnswerInput,
  type NotifiedOutcomeKind,
  type RejectedNotification,
  type VerifiedNotification,
} from '../gateway/refund-gateway.port';
import type { NotificationReply, NotificationResult } from './notification-reply';
import { ExchangeNote, recordExchangeAlone } from './refund-exchanges';
import type { ApplyResult } from './refund-transitions';
import { RefundTransitions } from './refund-transitions';

/** Applies a verified outcome to a refund and publishes what it caused (the service's own path for any answer). */
export type ApplyNotified = (
  refundId: string,
  outcome: GatewayOutcome,
  exchange?: ExchangeNote,
) => Promise<ApplyResult>;

interface VerifiedForRefund {
  gatewayId: string;
  handler: GatewayNotifications;
  parsed: VerifiedNotification;
  apply: ApplyNotified;
}

/**
 * Takes a gateway's notification from its raw body to the answer the gateway expects: size, then the
 * gateway's verification, then the checks a verified notification must still pass before it is applied.
 * A notification is unauthenticated until its signature is checked, so everything it carries reaches a
 * log line escaped ({@link textForLog}), and nothing of it is believed before that check.
 */
@Injectable()
export class NotificationIntake {
  private readonly logger = new Logger(NotificationIntake.name);

  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly writes: RefundWrites,
    private readonly registry: GatewayRegistry,
    private readonly transitions: RefundTransitions,
    private readonly clock: Clock,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  /** The largest body a notification to this gateway may have; the default for an unknown gateway. */
  bodyLimit(gatewayId: string): number {
    const notifications = this.registry.has(gatewayId) ? this.registry.get(gatewayId).notifications : undefined;
    return notifications?.maxBodyBytes ?? DEFAULT_NOTIFICATION_BODY_LIMIT;
  }

  /** @throws UnknownGatewayError, NotificationsNotSupportedError */
  async handle(gatewayId: string, notification: InboundNotification, apply: ApplyNotified): Promise<NotificationReply> {
    const answered = await this.answer(gatewayId, notification, apply);
    this.observer.notification({ gateway: gatewayId, result: answered.result });
    return answered;
  }

  private async answer(
    gatewayId: string,
    notification: InboundNotification,
    apply: ApplyNotified,
  ): Promise<NotificationReply> {
    const handler = this.registry.get(gatewayId).notifications;
    if (!handler) throw new NotificationsNotSupportedError(gatewayId);
    const limit = handler.maxBodyBytes ?? DEFAULT_NOTIFICATION_BODY_LIMIT;
    if (notification.rawBody.length > limit) {
      // A host that reads the whole body before handing it over; the API refuses it before that.
      this.logger.warn(
        `Refused a ${gatewayId} notification of ${notification.rawBody.length} bytes, over the limit of ${limit}`,
      );
      return reply(handler, { disposition: 'rejected' }, 'NOTIFICATION_TOO_LARGE');
    }
    let parsed;
    try {
      parsed = await handler.parse(notification);
    } catch (error) {
      this.logger.error(
        `Notification from ${gatewayId} could not be handled: ${textForLog(describeError(error), 512)}`,
        errorFrames(error),
      );
      return reply(handler, { disposition: 'error' }, 'NOTIFICATION_ERROR');
    }
    return parsed.kind === 'rejected'
      ? this.rejected(gatewayId, handler, parsed)
      : this.verified(gatewayId, handler, parsed, apply);
  }

  private async rejected(
    gatewayId: string,
    handler: GatewayNotifications,
    parsed: RejectedNotification,
  ): Promise<NotificationReply> {
    this.logger.warn(
      `Rejected ${gatewayId} notification (merchant ${textForLog(parsed.merchantId)}, ` +
        `refund ${textForLog(parsed.refundNo)}): ${textForLog(parsed.reason, 512)}`,
    );
    if (parsed.merchantId && parsed.refundNo) {
      const ref = { gateway: gatewayId, merchantId: parsed.merchantId, refundNo: parsed.refundNo };
      await this.recordRefused(ref, parsed.code ?? 'NOTIFICATION_REJECTED');
      await this.queryNow(ref);
    }
    return reply(handler, { disposition: 'rejected' }, parsed.code ?? 'NOTIFICATION_REJECTED');
  }

  private async verified(
    gatewayId: string,
    handler: GatewayNotifications,
    parsed: VerifiedNotification,
    apply: ApplyNotified,
  ): Promise<NotificationReply> {
    const named = `${textForLog(parsed.merchantId)}/${textForLog(parsed.refundNo)}`;
    // A name no refund could have is not looked up: the database would refuse a NUL.
    const refund = storable(parsed)
      ? await this.writes.read((session) =>
          refundByKey(session, { gateway: gatewayId, merchantId: parsed.merchantId, refundNo: parsed.refundNo }),
        )
      : null;
    if (!refund) {
      this.logger.warn(`Verified ${gatewayId} notification for unknown refund ${named}`);
      return reply(handler, { disposition: 'unknown_refund', notification: parsed }, 'NOTIFICATION_UNKNOWN_REFUND');
    }
    return runWithLogContext({ refundId: refund.id, gateway: gatewayId }, () =>
      this.verifiedForRefund(refund, { gatewayId, handler, parsed, apply }),
    );
  }

  private async verifiedForRefund(
    refund: Refund,
    { gatewayId, handler, parsed, apply }: VerifiedForRefund,
  ): Promise<NotificationReply> {
    const kind = parsed.outcome.kind;
    if (parsed.amount === undefined && handler.amountSentWith.includes(kind as NotifiedOutcomeKind)) {
      // Signed or not, a notification that leaves out the amount its gateway always sends proves nothing
      // about this refund's money. Not applied, not acknowledged: the refund is asked about instead.
      this.logger.warn(
        `Refund ${refund.id}: verified ${gatewayId} notification (${kind}) without the amount ${gatewayId} always sends; not applied`,
      );
      await recordExchangeAlone(this.writes, refund.id, {
        at: this.clock.now(),
        note: noteOf(parsed),
        heard: parsed.outcome,
        outcome: 'mismatched',
        code: 'NOTIFICATION_AMOUNT_MISSING',
      });
      await this.queryNow({ gateway: gatewayId, merchantId: parsed.merchantId, refundNo: parsed.refundNo });
      return reply(handler, { disposition: 'rejected' }, 'NOTIFICATION_AMOUNT_MISSING');
    }
    if (parsed.amount !== undefined && parsed.amount !== refund.amount) {
      const reason = `notification amount ${parsed.amount} differs from refund amount ${refund.amount}`;
      this.logger.error(`Refund ${refund.id}: ${reason}; not applied`);
      await this.transitions.refuse(refund.id, parsed.outcome, 'notify', reason, noteOf(parsed));
      return reply(handler, { disposition: 'rejected', notification: parsed }, 'NOTIFICATION_AMOUNT_MISMATCH');
    }
    if (kind === 'unknown' || kind === 'deferred') {
      this.logger.warn(`Refund ${refund.id}: notification says nothing definite (${kind})`);
      await recordExchangeAlone(this.writes, refund.id, {
        at: this.clock.now(),
        note: noteOf(parsed),
        heard: parsed.outcome,
        outcome: kind === 'unknown' ? 'unknown' : 'unchanged',
      });
      return reply(handler, { disposition: 'rejected', notification: parsed }, 'NOTIFICATION_INDEFINITE');
    }
    const applied = await apply(refund.id, parsed.outcome, noteOf(parsed));
    return reply(handler, { disposition: 'applied', notification: parsed }, resultOf(applied));
  }

  /**
   * A refused notification goes into the exchange log of the refund it names, when there is one: the
   * sender's merchant and refund numbers are used to look the refund up and for nothing else, and nothing
   * else of the notification is kept (its fields may be forged). A body that is not the gateway's format
   * counts as `unknown`, anything else as `rejected_forged`.
   */
  private async recordRefused(
    ref: { gateway: string; merchantId: string; refundNo: string },
    code: NotificationRefusalCode,
  ): Promise<void> {
    if (!storable(ref)) return;
    const refund = await this.orm.em.fork().findOne(Refund, ref, { fields: ['id'] });
    if (!refund) return;
    await recordExchangeAlone(this.writes, refund.id, {
      at: this.clock.now(),
      note: { operation: 'notification', durationMs: null },
      heard: null,
      outcome:
        code === 'NOTIFICATION_UNREADABLE' || code === 'NOTIFICATION_TOO_COMPLEX' ? 'unknown' : 'rejected_forged',
      code,
    });
  }

  /**
   * A notification we could not trust may still say something true: the refund it names is
   * queried at the next sync round instead of at its backoff step. Only a refund the gateway
   * already holds (PROCESSING or UNKNOWN) is brought forward, and never pushed back; a query
   * changes nothing by itself, so a forger gains nothing but an early query.
   */
  private async queryNow(ref: { gateway: string; merchantId: string; refundNo: string }): Promise<void> {
    // Names no refund could have (the sender's text is unverified), and that the database would refuse.
    if (!storable(ref)) return;
    const now = this.clock.now();
    const moved = await this.orm.em.fork().nativeUpdate(
      Refund,
      {
        ...ref,
        status: { $in: ['PROCESSING', 'UNKNOWN'] },
        nextSyncAt: { $gt: now },
      },
      { nextSyncAt: now },
    );
    if (moved > 0) {
      this.logger.log(
        `Refund ${textForLog(ref.merchantId)}/${textForLog(ref.refundNo)} of ${ref.gateway} will be queried now`,
      );
    }
  }
}

/** What an applied notification did: changed the refund, nothing, or was heard on a final refund (once, or again). */
function resultOf(applied: ApplyResult): NotificationResult {
  if (applied.heard === 'recorded') return 'RECORDED';
  if (applied.heard === 'repeated') return 'REPEATED';
  return applied.changed || applied.events.length > 0 ? 'APPLIED' : 'UNCHANGED';
}

async function reply(
  handler: GatewayNotifications,
  input: NotificationAnswerInput,
  result: NotificationResult,
): Promise<NotificationReply> {
  return { ...(await handler.answer(input)), result };
}

/** Whether a refund could be named so: the database refuses a NUL, and stores no lone surrogate as sent. */
function storable(ref: { merchantId: string; refundNo: string }): boolean {
  return unstorableTextReason(ref.merchantId) === null && unstorableTextReason(ref.refundNo) === null;
}

/** A verified notification as its exchange row keeps it. */
function noteOf(parsed: VerifiedNotification): ExchangeNote {
  return {
    operation: 'notification',
    durationMs: null,
    notification: {
      merchantId: parsed.merchantId,
      refundNo: parsed.refundNo,
      ...(parsed.gatewayRefundNo === undefined ? {} : { gatewayRefundNo: parsed.gatewayRefundNo }),
      ...(parsed.amount === undefined ? {} : { amount: parsed.amount }),
      ...(parsed.echo === undefined ? {} : { echo: parsed.echo }),
    },
  };
}
