import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

import { DuplicateGatewayError, UnknownGatewayError } from '../errors';
import { RefundGatewayProvider } from './refund-gateway.decorator';
import type { RefundGateway } from './refund-gateway.port';

/** Every gateway adapter of the running app, by id. A duplicate id fails the boot. */
@Injectable()
export class GatewayRegistry implements OnModuleInit {
  private readonly logger = new Logger(GatewayRegistry.name);
  private readonly byId = new Map<string, RefundGateway>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    // Every provider is inspected (not only the indexed class providers) so that adapters given
    // as values or factories are found too; the same instance seen twice is one adapter.
    const seen = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || seen.has(instance) || !this.discovery.getMetadataByDecorator(RefundGatewayProvider, wrapper))
        continue;
      seen.add(instance);
      this.register(instance as RefundGateway);
    }
    this.logger.log(`Refund gateways: ${[...this.byId.keys()].join(', ') || 'none'}`);
  }

  register(gateway: RefundGateway): void {
    if (this.byId.has(gateway.id)) throw new DuplicateGatewayError(gateway.id);
    this.byId.set(gateway.id, gateway);
  }

  get(id: string): RefundGateway {
    const gateway = this.byId.get(id);
    if (!gateway) throw new UnknownGatewayError(id);
    return gateway;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
