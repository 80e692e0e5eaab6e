import { Migration } from '@mikro-orm/migrations';

/** Webhooks: who requested each refund (whose secret signs its webhooks), the deliveries and their attempts. */
export class Migration20261130070000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "refund" add column "requested_by" varchar(64) null;`);

    this.addSql(`create table "webhook_delivery" ("id" varchar(40) not null, "refund_id" varchar(40) not null, "event_id" varchar(40) not null, "event_type" varchar(64) not null, "url" varchar(512) not null, "requested_by" varchar(64) null, "body" text not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "lease_owner" varchar(40) null, "lease_expires_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_url_key" unique ("event_id", "url");`);
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`create index "webhook_delivery_refund_idx" on "webhook_delivery" ("refund_id", "created_at");`);

    this.addSql(`create table "webhook_attempt" ("id" bigserial primary key, "delivery_id" varchar(40) not null, "attempted_at" timestamptz not null, "duration_ms" int not null, "http_status" int null, "error" varchar(512) null);`);
    this.addSql(`create index "webhook_attempt_delivery_idx" on "webhook_attempt" ("delivery_id", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`alter table "refund" drop column "requested_by";`);
  }

}
