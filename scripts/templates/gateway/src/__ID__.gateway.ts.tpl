import { Injectable } from '@nestjs/common';
import {
  RefundGatewayProvider,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayRefundQuery,
  type GatewayRefundRequest,
  type GatewayRefundSnapshot,
  type GatewayValidation,
  type RefundGateway,
} from '@refundhub/core';
import { OutcomeReporter } from '@refundhub/gateway-kit';

import { __Id__Client } from './__ID__.client';
import { __ID_UPPER___GATEWAY_ID, __Id__Credentials } from './__ID__.credentials';
import {
  map__Id__QueryAnswer,
  map__Id__RefundAnswer,
  new__Id__Nonce,
  to__Id__QueryParams,
  to__Id__RefundParams,
  type __Id__AnswerContext,
} from './__ID__.mapper';
import { __Id__Settings } from './__ID__.options';
import { verify__Id__ } from './__ID__.signer';
import type { __Id__Fields } from './__ID__.types';
import { validate__Id__Refund } from './__ID__.validation';

/**
 * {@link RefundGateway} for __Id__: submits and queries refunds.
 *
 * No `notifications`: the core then relies on queries alone and sends no notify URL. If __Id__ notifies
 * refund results, add an `__ID__.notify.ts` with an injectable `__Id__Notifications implements
 * GatewayNotifications` (`parse` verifies and maps the notification, `answer` gives the exact body __Id__
 * expects; see `leshua.notify.ts`): declare `__ID_UPPER___NOTIFICATION_LIMITS` with the kit's
 * `notificationLimits` (a few times the largest notification __Id__ documents), its `maxBodyBytes`, and
 * `amountSentWith` (the outcomes whose notifications always carry the amount), and start `parse` with the
 * kit's `readNotificationText`. List it in `__Id__Module`'s providers, take it here as
 * `readonly notifications: __Id__Notifications` in the constructor, and switch the contract spec to
 * `notifications: true` with the harness's `notifications` controls.
 */
@RefundGatewayProvider()
@Injectable()
export class __Id__Gateway implements RefundGateway {
  readonly id = __ID_UPPER___GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('__Id__');

  constructor(
    private readonly client: __Id__Client,
    private readonly credentials: __Id__Credentials,
    private readonly settings: __Id__Settings,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validate__Id__Refund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { key } = await this.credentials.get(request.merchantId);
    const what = `refund ${request.merchantId}/${request.refundNo}`;
    const answer = await this.client.call('refund', to__Id__RefundParams(request, new__Id__Nonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer' ? map__Id__RefundAnswer(answer.fields, this.context(answer.fields, key, request)) : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { key } = await this.credentials.get(query.merchantId);
    const what = `query ${query.merchantId}/${query.refundNo}`;
    const answer = await this.client.call('query', to__Id__QueryParams(query, new__Id__Nonce()), key);
    return this.reporter.report(
      what,
      answer.kind === 'answer' ? map__Id__QueryAnswer(answer.fields, this.context(answer.fields, key, query)) : answer,
    );
  }

  private context(fields: __Id__Fields, key: string, refund: GatewayRefundSnapshot): __Id__AnswerContext {
    return {
      signatureValid: verify__Id__(fields, key),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: this.settings.errorCodes,
    };
  }
}
