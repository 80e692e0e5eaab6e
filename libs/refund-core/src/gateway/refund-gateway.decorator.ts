import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a provider as a {@link RefundGateway} adapter; the registry finds every marked
 * provider at start-up, so a gateway module only has to be imported.
 */
export const RefundGatewayProvider = DiscoveryService.createDecorator<void>();
