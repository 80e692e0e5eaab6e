import { MikroORM } from '@mikro-orm/core';
import { Injectable, OnModuleInit } from '@nestjs/common';

import { REFUND_ENTITIES } from '../entities';
import { InjectRefundOrm } from './refund-orm.token';

/**
 * A host's own MikroORM setup that carries refundhub's tables must list every refundhub entity
 * and store times in UTC; either mistake would surface later as a failed refund or a shifted time,
 * so the application refuses to start and says which.
 */
@Injectable()
export class ExistingOrmCheck implements OnModuleInit {
  constructor(@InjectRefundOrm() private readonly orm: MikroORM) {}

  onModuleInit(): void {
    const metadata = this.orm.getMetadata();
    const missing = REFUND_ENTITIES.filter((entity) => !metadata.find(entity.name)).map((entity) => entity.name);
    const problems: string[] = [];
    if (missing.length) problems.push(`its entities lack ${missing.join(', ')} (add REFUND_ENTITIES)`);
    if (!this.orm.config.get('forceUtcTimezone')) problems.push('forceUtcTimezone must be true');
    if (problems.length) {
      throw new Error(
        `RefundDatabaseModule.forExisting: the host's MikroORM setup cannot hold refunds: ${problems.join('; ')}`,
      );
    }
  }
}
