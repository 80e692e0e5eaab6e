import { Migration } from '@mikro-orm/migrations';

/**
 * A sync round's claim reads its batch from `refund_unfinished_due_idx` (20261130080000), in due order,
 * and stops at the batch's size. While `(status, next_sync_at)` was there too, PostgreSQL could choose
 * it whenever it underestimated the due rows (it multiplies the selectivities of the status and the
 * due time as if they were independent): with 1,000,000 refunds and 3,000 due it estimated 14, read
 * all 3,000 and sorted them. With 300,000 due that plan took 193 ms. No other statement filters on
 * `next_sync_at`, and `(status, id)` serves the filters and counts by status, so the index goes.
 * SQLite keeps it: its claim takes a batch's worth from each status's run of it.
 */
export class Migration20261201000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index if exists "refund_due_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "refund_due_idx" on "refund" ("status", "next_sync_at");`);
  }

}
