import { Migration } from '@mikro-orm/migrations';

/**
 * The gateway exchange log (`GET /refunds/:id/exchanges`), and the indexes the overview (`GET /overview`)
 * and `GET /refunds?status=` read: counts per merchant and status, the refunds that need a person, the
 * oldest unfinished refund per merchant, and a status filter in id order.
 */
export class Migration20261130120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "refund_exchange" ("id" bigserial primary key, "refund_id" varchar(40) not null, "operation" varchar(16) not null, "at" timestamptz not null, "duration_ms" int null, "gateway_status" varchar(64) null, "code" varchar(64) null, "message" varchar(512) null, "fields" text null, "outcome" varchar(16) not null, "changed" boolean not null, "repeats" int not null default 0, "last_at" timestamptz null);`);
    this.addSql(`create index "refund_exchange_refund_idx" on "refund_exchange" ("refund_id", "id");`);
    this.addSql(`alter table "refund_exchange" add constraint "refund_exchange_refund_id_foreign" foreign key ("refund_id") references "refund" ("id") on update cascade on delete cascade;`);

    this.addSql(`create index "refund_scope_status_idx" on "refund" ("gateway", "merchant_id", "status");`);
    this.addSql(`create index "refund_status_id_idx" on "refund" ("status", "id");`);
    this.addSql(`create index "refund_attention_scope_idx" on "refund" ("gateway", "merchant_id", "attention_reason") where "attention_since" is not null;`);
    this.addSql(`create index "refund_unfinished_idx" on "refund" ("gateway", "merchant_id", "created_at", "id") where "status" in ('REQUESTED', 'PROCESSING', 'UNKNOWN');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "refund_unfinished_idx";`);
    this.addSql(`drop index "refund_attention_scope_idx";`);
    this.addSql(`drop index "refund_status_id_idx";`);
    this.addSql(`drop index "refund_scope_status_idx";`);
    this.addSql(`drop table if exists "refund_exchange" cascade;`);
  }

}
