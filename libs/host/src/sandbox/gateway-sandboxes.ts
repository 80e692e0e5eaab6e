import { Logger } from '@nestjs/common';

import { LeshuaSandbox } from '@refundhub/leshua';

import { DEMO_ORDER, OperatorConfig, SANDBOX_BASE_URL } from '../config';

/**
 * The built-in gateway simulators a configuration asks for (`baseUrl: sandbox`), started on
 * random local ports before the gateway modules read their base URLs.
 */
export class GatewaySandboxes {
  private readonly logger = new Logger(GatewaySandboxes.name);

  private constructor(readonly leshua: LeshuaSandbox | null) {}

  static async start(config: OperatorConfig, demo: boolean): Promise<GatewaySandboxes> {
    const leshuaConfig = config.gateways.leshua;
    let leshua: LeshuaSandbox | null = null;
    if (leshuaConfig?.baseUrl === SANDBOX_BASE_URL) {
      leshua = new LeshuaSandbox({ merchants: leshuaConfig.merchants });
      await leshua.start();
      if (demo) {
        leshua.seedOrder({
          merchantId: DEMO_ORDER.merchantId,
          thirdOrderId: DEMO_ORDER.merchantOrderNo,
          leshuaOrderId: DEMO_ORDER.gatewayOrderNo,
          totalAmount: DEMO_ORDER.totalAmount,
        });
      }
    }
    const sandboxes = new GatewaySandboxes(leshua);
    if (leshua) sandboxes.logger.log(`Leshua sandbox listening on ${leshua.baseUrl}`);
    return sandboxes;
  }

  /** The base URL a gateway module should call: the sandbox's when configured so. */
  baseUrlOf(gateway: 'leshua', configured: string): string {
    if (configured !== SANDBOX_BASE_URL) return configured;
    const sandbox = this[gateway];
    if (!sandbox) throw new Error(`The ${gateway} sandbox was not started`);
    return sandbox.baseUrl;
  }

  async stop(): Promise<void> {
    await this.leshua?.stop();
  }
}
