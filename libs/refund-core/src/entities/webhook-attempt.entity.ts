import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

import { MESSAGE_COLUMN_LENGTH } from './column-types';

/** One attempt of a webhook delivery: when, how long, and the receiver's status or what went wrong. */
@Entity({ tableName: 'webhook_attempt' })
@Index({ name: 'webhook_attempt_delivery_idx', properties: ['deliveryId', 'id'] })
export class WebhookAttempt {
  [OptionalProps]?: 'httpStatus' | 'error';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 40 })
  deliveryId!: string;

  @Property({ type: Date })
  attemptedAt!: Date;

  @Property({ type: 'integer' })
  durationMs!: number;

  /** The receiver's HTTP status; null when it never answered. */
  @Property({ type: 'integer', nullable: true })
  httpStatus: number | null = null;

  /** Why the attempt failed when the status does not say it: a timeout, a refused target, no secret. */
  @Property({ type: 'string', length: MESSAGE_COLUMN_LENGTH, nullable: true })
  error: string | null = null;
}
