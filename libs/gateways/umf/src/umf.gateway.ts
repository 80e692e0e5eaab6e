import { Injectable, Logger } from '@nestjs/common';
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

import { UmfClient } from './umf.client';
import { UMF_GATEWAY_ID, UmfCredentials } from './umf.credentials';
import {
  mapUmfQueryAnswer,
  mapUmfRefundAnswer,
  toUmfQueryParams,
  toUmfRefundParams,
  type UmfAnswerContext,
} from './umf.mapper';
import { UmfNotifications } from './umf.notify';
import { umfNotifyUrl } from './umf.notify-url';
import { UmfSettings } from './umf.options';
import { UmfPlatformVerifier } from './umf.platform-verifier';
import type { UmfAnswerMessage } from './umf.sign-variants';
import type { UmfFields } from './umf.types';
import { validateUmfRefund } from './umf.validation';

/**
 * {@link RefundGateway} for UMF mofun in-pay-client: `/online/refund`, `/refund/query`, and the
 * 交易结果通知 (REFUND_SUCCESS / REFUND_FAIL). A refund's money is still settled by queries: the FAQ
 * says failed refunds are not notified, and UMF stops after four deliveries.
 */
@RefundGatewayProvider()
@Injectable()
export class UmfGateway implements RefundGateway {
  readonly id = UMF_GATEWAY_ID;
  private readonly reporter = new OutcomeReporter('UMF');
  private readonly logger = new Logger(UmfGateway.name);
  private readonly omittedNotifyUrls = new Set<string>();

  constructor(
    private readonly client: UmfClient,
    private readonly credentials: UmfCredentials,
    private readonly settings: UmfSettings,
    private readonly verifier: UmfPlatformVerifier,
    readonly notifications: UmfNotifications,
  ) {}

  validate(request: GatewayRefundRequest): GatewayValidation {
    return validateUmfRefund(request);
  }

  async submit(request: GatewayRefundRequest): Promise<GatewayOutcome> {
    const { proxyId, privateKey, platformCertificate } = await this.credentials.get(request.merchantId);
    const certificate = this.settings.platformCertificateFor(request.merchantId, platformCertificate);
    const params = toUmfRefundParams(request, { proxyId, notifyUrl: this.notifyUrl(request.gatewayNotifyUrl) });
    const what = `refund ${request.merchantId}/${request.refundNo}`;
    const answer = await this.client.call({ operation: 'refund', params, privateKeyPem: privateKey });
    return this.reporter.report(
      what,
      answer.kind === 'answer'
        ? mapUmfRefundAnswer(
            answer.fields,
            this.context({ fields: answer.fields, message: 'refund', certificate, refund: request, what }),
          )
        : answer,
    );
  }

  async query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome> {
    const { proxyId, privateKey, platformCertificate } = await this.credentials.get(query.merchantId);
    const certificate = this.settings.platformCertificateFor(query.merchantId, platformCertificate);
    const what = `query ${query.merchantId}/${query.refundNo}`;
    const params = toUmfQueryParams(query, { proxyId });
    const answer = await this.client.call({ operation: 'query', params, privateKeyPem: privateKey });
    return this.reporter.report(
      what,
      answer.kind === 'answer'
        ? mapUmfQueryAnswer(
            answer.fields,
            this.context({ fields: answer.fields, message: 'query', certificate, refund: query, what }),
          )
        : answer,
    );
  }

  /** The notify URL when UMF accepts it; otherwise none, said once per reason (the refund is then queried). */
  private notifyUrl(url: string | null): string | undefined {
    const checked = umfNotifyUrl(url);
    if (checked === null) return undefined;
    if ('url' in checked) return checked.url;
    if (!this.omittedNotifyUrls.has(checked.omitted)) {
      this.omittedNotifyUrls.add(checked.omitted);
      this.logger.warn(`UMF refunds are sent without notifyUrl: ${checked.omitted}; they settle by queries`);
    }
    return undefined;
  }

  private context(input: {
    fields: UmfFields;
    message: UmfAnswerMessage;
    certificate: string;
    refund: GatewayRefundSnapshot;
    what: string;
  }): UmfAnswerContext {
    const { fields, message, certificate, refund, what } = input;
    const variant = this.verifier.answer({ fields, message, platformCertificate: certificate, context: what });
    return {
      signatureValid: variant !== null,
      refundNo: refund.refundNo,
      amount: refund.amount,
      partnerOrderId: refund.order.merchantOrderNo ?? '',
      orderAmount: refund.order.totalAmount,
      codes: this.settings.errorCodes,
    };
  }
}
