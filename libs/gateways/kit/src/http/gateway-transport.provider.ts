import type { InjectionToken, Provider, Type } from '@nestjs/common';

import { defaultGatewayTransport } from './default-gateway-transport';
import { GatewayTransport } from './gateway-transport';

/** How a module binds {@link GatewayTransport}: a class to instantiate, or a ready instance. */
export type GatewayTransportBinding = { useClass: Type<GatewayTransport> } | { useValue: GatewayTransport };

/**
 * The provider a gateway module lists for {@link GatewayTransport}; {@link defaultGatewayTransport}
 * without a binding. Modules that accept a binding in their options let a host app replace the
 * transport without overriding providers by hand.
 */
export function provideGatewayTransport(binding?: GatewayTransportBinding): Provider {
  if (binding === undefined) return { provide: GatewayTransport, useFactory: () => defaultGatewayTransport() };
  return 'useValue' in binding
    ? { provide: GatewayTransport, useValue: binding.useValue }
    : { provide: GatewayTransport, useClass: binding.useClass };
}

/** The option every gateway module has: its HTTP transport, for tests, simulations and hosts with their own. */
export interface GatewayTransportOption {
  /** Replaces the default transport. */
  transport?: GatewayTransport;
}

/** Binds {@link GatewayTransport} to the module options' `transport`, or {@link defaultGatewayTransport}. */
export function provideGatewayTransportFrom(optionsToken: InjectionToken): Provider {
  return {
    provide: GatewayTransport,
    useFactory: (options: GatewayTransportOption) => options.transport ?? defaultGatewayTransport(),
    inject: [optionsToken],
  };
}
