import { Migration } from '@mikro-orm/migrations';

export class Migration20261122212553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "refund_order" ("id" varchar(40) not null, "gateway" varchar(32) not null, "merchant_id" varchar(64) not null, "order_ref" varchar(80) not null, "merchant_order_no" varchar(64) null, "gateway_order_no" varchar(64) null, "total_amount" bigint not null, "reserved_amount" bigint not null default 0, "refunded_amount" bigint not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "refund_order_pkey" primary key ("id"));`);
    this.addSql(`create index "refund_order_merchant_order_no_idx" on "refund_order" ("merchant_order_no");`);
    this.addSql(`alter table "refund_order" add constraint "refund_order_key" unique ("gateway", "merchant_id", "order_ref");`);

    this.addSql(`create table "refund" ("id" varchar(40) not null, "gateway" varchar(32) not null, "merchant_id" varchar(64) not null, "refund_no" varchar(64) not null, "order_id" varchar(40) not null, "amount" bigint not null, "merchant_order_no" varchar(64) null, "gateway_order_no" varchar(64) null, "total_amount" bigint not null, "paid_at" timestamptz null, "pay_method" varchar(32) null, "reason" varchar(256) null, "notify_url" varchar(512) null, "gateway_options" jsonb not null, "status" varchar(16) not null default 'REQUESTED', "gateway_refund_no" varchar(64) null, "gateway_status" varchar(64) null, "failure_code" varchar(64) null, "failure_message" varchar(512) null, "attempts" int not null default 0, "sync_count" int not null default 0, "next_sync_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, constraint "refund_pkey" primary key ("id"));`);
    this.addSql(`create index "refund_merchant_order_no_idx" on "refund" ("merchant_order_no");`);
    this.addSql(`create index "refund_created_at_idx" on "refund" ("created_at");`);
    this.addSql(`create index "refund_due_idx" on "refund" ("status", "next_sync_at");`);
    this.addSql(`alter table "refund" add constraint "refund_key" unique ("gateway", "merchant_id", "refund_no");`);

    this.addSql(`create table "refund_history" ("id" bigserial primary key, "refund_id" varchar(40) not null, "at" timestamptz not null, "from_status" varchar(16) null, "to_status" varchar(16) not null, "source" varchar(16) not null, "applied" boolean not null default true, "gateway_status" varchar(64) null, "code" varchar(64) null, "message" varchar(512) null);`);
    this.addSql(`create index "refund_history_refund_idx" on "refund_history" ("refund_id", "id");`);

    this.addSql(`alter table "refund" add constraint "refund_order_id_foreign" foreign key ("order_id") references "refund_order" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "refund_history" add constraint "refund_history_refund_id_foreign" foreign key ("refund_id") references "refund" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refund" drop constraint "refund_order_id_foreign";`);

    this.addSql(`alter table "refund_history" drop constraint "refund_history_refund_id_foreign";`);

    this.addSql(`drop table if exists "refund_order" cascade;`);

    this.addSql(`drop table if exists "refund" cascade;`);

    this.addSql(`drop table if exists "refund_history" cascade;`);
  }

}
