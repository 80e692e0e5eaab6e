import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { InjectRefundOrm, migrateRefundSchema } from '@refundhub/core';

/**
 * Brings the schema up to date before the host serves anything. Migrations run in one transaction,
 * and hosts starting together take turns (an advisory lock on PostgreSQL, the write lock on SQLite).
 */
@Injectable()
export class SchemaMigrator implements OnModuleInit {
  private readonly logger = new Logger(SchemaMigrator.name);

  constructor(@InjectRefundOrm() private readonly orm: MikroORM) {}

  async onModuleInit(): Promise<void> {
    const applied = await migrateRefundSchema(this.orm);
    this.logger.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Schema is up to date');
  }
}
