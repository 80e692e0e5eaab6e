import { Migration } from '@mikro-orm/migrations';

/** Port v2: submission time, deferral, needs-attention flag, and the per-order submission slot. */
export class Migration20261130020000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "refund" add column "submitted_at" timestamptz null, add column "deferred_at" timestamptz null, add column "attention_reason" varchar(32) null, add column "attention_since" timestamptz null;`);
    this.addSql(`create index "refund_attention_idx" on "refund" ("attention_since");`);
    this.addSql(`alter table "refund_order" add column "slot_refund_id" varchar(40) null, add column "slot_expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "refund_attention_idx";`);
    this.addSql(`alter table "refund" drop column "submitted_at", drop column "deferred_at", drop column "attention_reason", drop column "attention_since";`);
    this.addSql(`alter table "refund_order" drop column "slot_refund_id", drop column "slot_expires_at";`);
  }

}
