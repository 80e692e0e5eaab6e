import { Logger } from '@nestjs/common';
import type { GatewayDefinition, GatewaySandboxHandle, GatewayTarget } from '@refundhub/gateway-kit';

import { demoOrders, OperatorConfig, SANDBOX_BASE_URL } from '../config';
import { INSTALLED_GATEWAYS } from '../gateways/installed-gateways';

/**
 * The built-in gateway simulators a configuration asks for (`baseUrl: sandbox`), started on
 * random local ports before the gateway modules read their targets. Each is loaded from its
 * gateway package only here, so a host that uses none never loads a simulator.
 */
export class GatewaySandboxes {
  private readonly logger = new Logger(GatewaySandboxes.name);

  private constructor(private readonly running: ReadonlyMap<string, GatewaySandboxHandle>) {}

  static async start(
    config: OperatorConfig,
    demo: boolean,
    definitions: readonly GatewayDefinition[] = INSTALLED_GATEWAYS,
  ): Promise<GatewaySandboxes> {
    const running = new Map<string, GatewaySandboxHandle>();
    const sandboxes = new GatewaySandboxes(running);
    try {
      for (const definition of definitions) {
        const section = config.gateways[definition.id];
        if (section?.baseUrl !== SANDBOX_BASE_URL) continue;
        if (!definition.loadSandbox)
          throw new Error(`gateways.${definition.id}.baseUrl: ${definition.displayName} has no sandbox`);
        const start = await definition.loadSandbox();
        const orders = demo ? demoOrders().filter((order) => order.gateway === definition.id) : [];
        const handle = await start({ config: section, orders });
        running.set(definition.id, handle);
        sandboxes.logger.log(`${definition.displayName} sandbox listening on ${handle.baseUrl}`);
      }
    } catch (error) {
      await sandboxes.stop();
      throw error;
    }
    return sandboxes;
  }

  /** Where a gateway module should send its calls: the sandbox when configured so. */
  targetOf(gateway: string, configured: string): GatewayTarget {
    if (configured !== SANDBOX_BASE_URL) return { baseUrl: configured };
    const sandbox = this.running.get(gateway);
    if (!sandbox) throw new Error(`The ${gateway} sandbox was not started`);
    return { baseUrl: sandbox.baseUrl, sandbox };
  }

  /** The running simulator of a gateway, checked to be of the expected class; null when none runs here. */
  simulator<T extends object>(gateway: string, type: abstract new (...args: never[]) => T): T | null {
    const simulator = this.running.get(gateway)?.simulator;
    if (simulator === undefined) return null;
    if (!(simulator instanceof type)) throw new Error(`The ${gateway} sandbox is not a ${type.name}`);
    return simulator;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((sandbox) => sandbox.stop()));
  }
}
