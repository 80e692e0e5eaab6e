import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

import { RefundStatus } from '../domain/refund-status';
import { CODE_COLUMN_LENGTH, MESSAGE_COLUMN_LENGTH } from './column-types';
import { Refund } from './refund.entity';

/**
 * Where a status change (or a refused one) came from; `operator` is a person settling it by hand,
 * `reconcile` a reconciliation run correcting a refund its gateway had settled.
 */
export type RefundHistorySource = 'request' | 'submit' | 'resubmit' | 'query' | 'notify' | 'operator' | 'reconcile';

/** The longest API key name, as the configuration allows it. */
export const ACTOR_COLUMN_LENGTH = 64;

/**
 * Append-only log of a refund's transitions and of the operators' actions on it. Rows with
 * `applied = false` record what was heard but not applied: a late or conflicting notification on
 * a final refund, an amount that does not match. The same thing heard again is not a new row: it
 * counts on its row (`repeats`, `lastHeardAt`), so a replayed notification cannot grow the history.
 */
@Entity({ tableName: 'refund_history' })
@Index({ name: 'refund_history_refund_idx', properties: ['refund', 'id'] })
export class RefundHistory {
  [OptionalProps]?:
    'applied' | 'fromStatus' | 'gatewayStatus' | 'code' | 'message' | 'repeats' | 'lastHeardAt' | 'actor';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Refund, { fieldName: 'refund_id', deleteRule: 'cascade' })
  refund!: Refund;

  @Property({ type: Date })
  at!: Date;

  @Property({ type: 'string', length: 16, nullable: true })
  fromStatus: RefundStatus | null = null;

  @Property({ type: 'string', length: 16 })
  toStatus!: RefundStatus;

  @Property({ type: 'string', length: 16 })
  source!: RefundHistorySource;

  @Property({ type: 'boolean' })
  applied: boolean = true;

  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  gatewayStatus: string | null = null;

  @Property({ type: 'string', length: CODE_COLUMN_LENGTH, nullable: true })
  code: string | null = null;

  @Property({ type: 'string', length: MESSAGE_COLUMN_LENGTH, nullable: true })
  message: string | null = null;

  /** How many more times the same was heard after this row was written (rows not applied only). */
  @Property({ type: 'integer' })
  repeats: number = 0;

  /** When it was heard last; null until it is heard again. */
  @Property({ type: Date, nullable: true })
  lastHeardAt: Date | null = null;

  /** Who acted, for a row a person wrote (`source = 'operator'`: the API key's name); null for the machine's own. */
  @Property({ type: 'string', length: ACTOR_COLUMN_LENGTH, nullable: true })
  actor: string | null = null;
}
