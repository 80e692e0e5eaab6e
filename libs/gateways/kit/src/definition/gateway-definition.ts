import type { ConfigurableModuleAsyncOptions, DynamicModule, InjectionToken } from '@nestjs/common';
import type { z } from 'zod';

import type { GatewayConfigBase } from '../config/gateway-config.schema';

/** A paid order a sandbox should hold when it starts (the demo's, or a test's). */
export interface SandboxOrderSeed {
  merchantId: string;
  merchantOrderNo: string;
  gatewayOrderNo?: string;
  /** Fen. */
  totalAmount: number;
  paidAt?: Date;
  payMethod?: string;
}

/** A running simulator of one gateway. */
export interface GatewaySandboxHandle<O = unknown> {
  readonly baseUrl: string;
  /**
   * Module options the gateway needs to talk to this simulator and no real gateway: the
   * simulator's own error codes. Production configurations never contain them.
   */
  readonly moduleOptions?: Partial<O>;
  /** The simulator itself, for tests and demos that drive it (seed orders, complete refunds). */
  readonly simulator: object;
  stop(): Promise<void>;
}

/** Starts a gateway's simulator for the merchants of its configuration section. */
export type GatewaySandboxStarter<C extends GatewayConfigBase = GatewayConfigBase, O = unknown> = (input: {
  config: C;
  orders: readonly SandboxOrderSeed[];
}) => Promise<GatewaySandboxHandle<O>>;

/** Where a gateway module sends its calls: the configured origin, or a running simulator. */
export interface GatewayTarget {
  baseUrl: string;
  sandbox?: GatewaySandboxHandle;
}

/** How a host asks for the gateway module: the target is known only once (for a sandbox) it listens. */
export interface GatewayModuleInput {
  /** The parsed `gateways.<id>` section, as {@link GatewayDefinition.configSchema} produced it. */
  config: GatewayConfigBase;
  inject: InjectionToken[];
  /** Resolves the target from the providers named in `inject`, in that order (the sandbox's when `baseUrl: sandbox`). */
  target: (...injected: unknown[]) => GatewayTarget | Promise<GatewayTarget>;
}

/**
 * Everything a host needs to know about one installed gateway package: the one registration
 * point. Hosts, the sandboxes and the operator schema iterate over the installed definitions, so
 * adding a gateway is one package plus one line in the host's list.
 */
export interface GatewayDefinition {
  /** `gateways.<id>`, `/notify/<id>`, the refund's `gateway`. */
  readonly id: string;
  /** For people: `Leshua (乐刷)`. */
  readonly displayName: string;
  /** The schema of `gateways.<id>` in the operator file: every option of the gateway module is settable there. */
  readonly configSchema: z.ZodType<GatewayConfigBase>;
  /** The gateway's Nest module, configured from its section. */
  module(input: GatewayModuleInput): DynamicModule;
  /** Loads the simulator on demand, so that a production host never loads the sandbox's HTTP server. */
  loadSandbox?(): Promise<GatewaySandboxStarter>;
}

/** What a gateway module class offers (`ConfigurableModuleBuilder` with `setClassMethodName('forRoot')`). */
export interface AsyncConfigurableModule<O> {
  forRootAsync(options: ConfigurableModuleAsyncOptions<O>): DynamicModule;
}

/**
 * Builds a {@link GatewayDefinition} with its types kept inside: the section type `C` its schema
 * produces and the module options `O` it maps that section to.
 */
export function defineGateway<C extends GatewayConfigBase, O>(definition: {
  id: string;
  displayName: string;
  configSchema: z.ZodType<C>;
  module: AsyncConfigurableModule<O>;
  moduleOptions: (config: C, ctx: { baseUrl: string }) => O;
  loadSandbox?: () => Promise<GatewaySandboxStarter<C, O>>;
}): GatewayDefinition {
  return {
    id: definition.id,
    displayName: definition.displayName,
    configSchema: definition.configSchema,
    module: ({ config, inject, target }) =>
      definition.module.forRootAsync({
        inject,
        useFactory: async (...injected: unknown[]) => {
          const { baseUrl, sandbox } = await target(...injected);
          // The host hands back what this definition's own schema parsed, so the section is a C,
          // and a sandbox it started through this definition's loadSandbox, so its options are O's.
          const options = definition.moduleOptions(config as C, { baseUrl });
          return { ...options, ...(sandbox?.moduleOptions as Partial<O> | undefined) };
        },
      }),
    loadSandbox: definition.loadSandbox as GatewayDefinition['loadSandbox'],
  };
}
