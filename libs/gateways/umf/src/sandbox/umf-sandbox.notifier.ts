import { NotificationCourier, type CourierAnswer } from '@refundhub/gateway-kit/sandbox';

import { checkUmfAck, type UmfSandboxNotificationFields } from './umf-sandbox.notification';
import type { UmfSandboxDelivery, UmfSandboxNotificationRecord } from './umf-sandbox.types';

/** UMF's schedule (notify.md): at once, then after 30 s, 300 s and 1800 s; four deliveries at most. */
export const UMF_NOTIFY_DELAYS_MS: readonly number[] = [0, 30_000, 300_000, 1_800_000];

export interface UmfSandboxNotice {
  merchantId: string;
  refundPartnerOrderId: string;
  url: string;
  fields: UmfSandboxNotificationFields;
  forged: boolean;
}

interface Wait {
  timer: NodeJS.Timeout;
  resolve: (goOn: boolean) => void;
}

/**
 * Delivers notifications as UMF does: each one until the merchant acknowledges it (see
 * `checkUmfAck`), waiting the configured delays between deliveries, at most as many deliveries as
 * delays. The same body each time: a redelivery is a replay. Each delivery is one kit courier's POST.
 */
export class UmfSandboxNotifier {
  private readonly records: UmfSandboxNotificationRecord[] = [];
  private readonly runs = new Set<Promise<void>>();
  private readonly waits = new Set<Wait>();
  private readonly couriers = new Set<NotificationCourier<UmfSandboxDelivery>>();
  private stopped = false;

  constructor(
    private readonly options: {
      delaysMs: readonly number[];
      timeoutMs: number;
      /** The merchant's public key, to verify its answers; undefined for an unknown merchant. */
      publicKeyOf: (merchantId: string) => string | undefined;
    },
  ) {
    const { delaysMs } = options;
    if (delaysMs.length === 0 || !delaysMs.every((ms) => Number.isSafeInteger(ms) && ms >= 0)) {
      throw new Error('notifyDelaysMs must be a non-empty list of non-negative integers');
    }
  }

  /** Starts delivering in the background; `attempts` caps the deliveries below the schedule's. */
  send(notice: UmfSandboxNotice, attempts = this.options.delaysMs.length): void {
    if (this.stopped) return;
    const run = this.deliver(notice, Math.min(attempts, this.options.delaysMs.length));
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
  }

  /** Every finished delivery, in the order they finished (copies). */
  deliveries(): UmfSandboxNotificationRecord[] {
    return this.records.map((record) => ({ ...record, ack: { ...record.ack } }));
  }

  /** Resolves once every notification is acknowledged or out of deliveries, including any sent meanwhile. */
  async settled(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs]);
  }

  /** Cancels pending redeliveries and abandons deliveries in flight; later sends do nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.resolve(false);
    }
    this.waits.clear();
    await Promise.all([...this.couriers].map((courier) => courier.stop()));
    await this.settled();
  }

  private async deliver(notice: UmfSandboxNotice, attempts: number): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (!(await this.wait(this.options.delaysMs[attempt - 1]))) return;
      const judge = (answer: CourierAnswer) =>
        checkUmfAck({
          answer,
          notification: notice.fields,
          merchantPublicKey: this.options.publicKeyOf(notice.merchantId),
        });
      const courier = new NotificationCourier<UmfSandboxDelivery>({
        timeoutMs: this.options.timeoutMs,
        acknowledges: (answer) => judge(answer).problem === undefined,
      });
      this.couriers.add(courier);
      const body = JSON.stringify(notice.fields);
      courier.send({
        url: notice.url,
        contentType: 'application/json; charset=utf-8',
        body,
        merchantId: notice.merchantId,
        refundPartnerOrderId: notice.refundPartnerOrderId,
        attempt,
        forged: notice.forged,
        fields: notice.fields,
      });
      await courier.settled();
      this.couriers.delete(courier);
      const [record] = courier.deliveries();
      const ack =
        'status' in record.response
          ? judge(record.response)
          : { signatureValid: false, problem: record.response.error };
      this.records.push({ ...record, ack });
      if (record.acknowledged || this.stopped) return;
    }
  }

  /** Resolves true after `ms`, or false at once when stopped meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (ms === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wait: Wait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve(true);
        }, ms).unref(),
        resolve,
      };
      this.waits.add(wait);
    });
  }
}
