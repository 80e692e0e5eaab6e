import { MikroORM } from '@mikro-orm/core';
import { getEntityManagerToken, getMikroORMToken, MikroOrmModule } from '@mikro-orm/nestjs';
import type { DynamicModule, FactoryProvider, ModuleMetadata, Provider } from '@nestjs/common';
import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';

import { ExistingOrmCheck } from './existing-orm.check';
import { refundOrmOptions } from './refund-database.options';
import type { RefundDatabaseOptions } from './refund-database.options';
import { InjectRefundOrm, REFUND_ORM } from './refund-orm.token';

/** The MikroORM context refundhub's own connection registers under unless told otherwise. */
export const REFUND_CONTEXT_NAME = 'refundhub';

interface ContextChoice {
  /**
   * The MikroORM context of refundhub's own connection. Default `refundhub`, so it sits beside the
   * host's own (unnamed) MikroORM setup. `null` makes it the application's default context: only
   * for an application whose one database is refundhub's (the standalone API and scheduler).
   */
  contextName?: string | null;
}

export interface RefundDatabaseModuleOptions extends ContextChoice {
  database: RefundDatabaseOptions;
}

export interface RefundDatabaseModuleAsyncOptions extends ContextChoice, Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => RefundDatabaseOptions | Promise<RefundDatabaseOptions>;
}

export interface ExistingRefundDatabaseOptions {
  /** The context of the host's MikroORM setup that registers {@link REFUND_ENTITIES}; default its unnamed one. */
  contextName?: string;
}

/**
 * Where refundhub keeps its tables. Import exactly one of:
 * - `forRoot` / `forRootAsync`: refundhub's own MikroORM connection, under its own context name
 *   (the default), with its entities and migrations;
 * - `forExisting`: the host's own MikroORM setup, which lists `REFUND_ENTITIES` among its entities,
 *   sets `forceUtcTimezone: true` and `schemaGenerator.skipTables: REFUND_TABLES`, and runs
 *   refundhub's migrations with `migrateRefundDatabase`. Meant for PostgreSQL: on SQLite only
 *   refundhub's own connection takes the write lock at `BEGIN`, which the over-refund guard needs
 *   once several processes share the file.
 *
 * @example
 * ```ts
 * RefundDatabaseModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ driver: 'postgresql', url: config.getOrThrow('REFUNDS_DATABASE_URL') }),
 * })
 * ```
 */
@Module({})
export class RefundDatabaseModule {
  static forRoot(options: RefundDatabaseModuleOptions): DynamicModule {
    const { database } = options;
    return RefundDatabaseModule.forRootAsync({ contextName: options.contextName, useFactory: () => database });
  }

  static forRootAsync(options: RefundDatabaseModuleAsyncOptions): DynamicModule {
    const database = async (...args: unknown[]) => refundOrmOptions(await options.useFactory(...(args as never[])));
    if (options.contextName === null) {
      const connection = MikroOrmModule.forRootAsync({
        imports: options.imports,
        inject: options.inject,
        // refund-core forks an entity manager for each unit of work and never reads a request's.
        useFactory: async (...args: unknown[]) => ({ ...(await database(...args)), registerRequestContext: false }),
      });
      return {
        module: RefundDatabaseModule,
        global: true,
        imports: [connection],
        providers: [ormOf(undefined)],
        exports: [REFUND_ORM],
      };
    }
    const contextName = options.contextName ?? REFUND_CONTEXT_NAME;
    // The connection is refundhub's own provider rather than a context of @mikro-orm/nestjs, whose
    // process-wide list of context names refuses a second application (a test's, or one whose
    // boot failed) under the same name. It is still injectable by that context's tokens.
    return {
      module: RefundDatabaseModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: REFUND_ORM,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => MikroORM.init({ ...(await database(...args)), contextName }),
        },
        { provide: getMikroORMToken(contextName), useExisting: REFUND_ORM },
        {
          provide: getEntityManagerToken(contextName),
          useFactory: (orm: MikroORM) => orm.em,
          inject: [REFUND_ORM],
        },
        RefundOrmShutdown,
      ],
      exports: [REFUND_ORM, getMikroORMToken(contextName), getEntityManagerToken(contextName)],
    };
  }

  static forExisting(options: ExistingRefundDatabaseOptions = {}): DynamicModule {
    return {
      module: RefundDatabaseModule,
      global: true,
      providers: [ormOf(options.contextName), ExistingOrmCheck],
      exports: [REFUND_ORM],
    };
  }
}

function ormOf(contextName: string | undefined): Provider {
  return { provide: REFUND_ORM, useExisting: contextName ? getMikroORMToken(contextName) : MikroORM };
}

/** Closes refundhub's own connection when the application shuts down. */
@Injectable()
class RefundOrmShutdown implements OnApplicationShutdown {
  constructor(@InjectRefundOrm() private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}
