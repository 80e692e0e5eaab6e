import { formatChinaTime } from '@refundhub/gateway-kit';

import { BAOFOO_REFUND_STATE } from '../baofoo.types';
import { generateBaofooSandboxKeyPair } from './baofoo-sandbox.keys';
import { createBaofooSandboxNotification, type BaofooSandboxNotificationInput } from './baofoo-sandbox.notification';
import { BaofooSandboxNotifier } from './baofoo-sandbox.notifier';
import type {
  BaofooSandboxKeyPair,
  BaofooSandboxNotificationRecord,
  BaofooSandboxNotifyOptions,
  BaofooSandboxRefund,
} from './baofoo-sandbox.types';

/** The sandbox's refund notifications: genuine ones, signed with Baofoo's key, and forged ones for tests. */
export class BaofooSandboxNotices {
  private readonly notifier: BaofooSandboxNotifier;
  private forgeryKeys: BaofooSandboxKeyPair | undefined;

  constructor(
    private readonly options: {
      privateKeyPem: string;
      uppercase: boolean;
      notify: BaofooSandboxNotifyOptions;
    },
  ) {
    this.notifier = new BaofooSandboxNotifier(options.notify);
  }

  /** Notifies a final refund that gave a `notifyUrl`, redelivering until `OK`. */
  notify(refund: BaofooSandboxRefund): void {
    if (!refund.notifyUrl || !refund.finishTime) return;
    this.send({
      url: refund.notifyUrl,
      input: {
        ...this.fieldsOf(refund.merchantId, refund.terId, refund.outTradeNo, refund),
        outcome: refund.state === BAOFOO_REFUND_STATE.success ? 'success' : 'fail',
        privateKeyPem: this.options.privateKeyPem,
      },
      forged: false,
    });
  }

  /** POSTs, once, a notification signed with a key that is not Baofoo's (made on first use). */
  forge(input: {
    merchantId: string;
    terId: string;
    outTradeNo: string;
    outcome: 'success' | 'fail';
    url: string;
    refund: BaofooSandboxRefund | undefined;
  }): void {
    this.forgeryKeys ??= generateBaofooSandboxKeyPair();
    this.send({
      url: input.url,
      input: {
        ...this.fieldsOf(input.merchantId, input.terId, input.outTradeNo, input.refund),
        outcome: input.outcome,
        privateKeyPem: this.forgeryKeys.privateKeyPem,
      },
      forged: true,
    });
  }

  deliveries(): BaofooSandboxNotificationRecord[] {
    return this.notifier.deliveries();
  }

  settled(): Promise<void> {
    return this.notifier.settled();
  }

  stop(): Promise<void> {
    return this.notifier.stop();
  }

  private send(delivery: { url: string; input: BaofooSandboxNotificationInput; forged: boolean }): void {
    const notification = createBaofooSandboxNotification(delivery.input);
    this.notifier.send(
      {
        merchantId: delivery.input.merchantId,
        outTradeNo: delivery.input.outTradeNo,
        url: delivery.url,
        contentType: notification.contentType,
        body: notification.body,
        forged: delivery.forged,
      },
      { once: delivery.forged },
    );
  }

  /** What a notification about this refund says, outcome and signature aside. */
  private fieldsOf(
    merchantId: string,
    terId: string,
    outTradeNo: string,
    refund: BaofooSandboxRefund | undefined,
  ): Omit<BaofooSandboxNotificationInput, 'outcome' | 'privateKeyPem'> {
    return {
      merchantId,
      terId,
      outTradeNo,
      ...(refund
        ? {
            tradeNo: refund.tradeNo,
            succAmt: refund.refundAmt,
            txnTime: refund.txnTime,
            ...(refund.finishTime ? { finishTime: formatChinaTime(refund.finishTime, 'yyyyMMddHHmmss') } : {}),
            ...(refund.errCode ? { errCode: refund.errCode } : {}),
            ...(refund.errMsg ? { errMsg: refund.errMsg } : {}),
          }
        : {}),
      body: this.options.notify.body,
      merIdAsNumber: this.options.notify.merIdAsNumber,
      uppercaseSignature: this.options.uppercase,
    };
  }
}
