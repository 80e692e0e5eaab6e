import { Migration } from '@mikro-orm/migrations';

/** The transactional outbox: events written with the change that produced them, relayed at least once. */
export class Migration20261130060000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "refund_outbox" ("seq" bigserial primary key, "event_id" varchar(40) not null, "name" varchar(64) not null, "refund_id" varchar(40) not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "listeners" jsonb not null, "lease_owner" varchar(40) null, "lease_expires_at" timestamptz null, "last_error" varchar(512) null, "relayed_at" timestamptz null);`);
    this.addSql(`alter table "refund_outbox" add constraint "refund_outbox_event_id_key" unique ("event_id");`);
    this.addSql(`create index "refund_outbox_due_idx" on "refund_outbox" ("status", "next_attempt_at");`);
    this.addSql(`create index "refund_outbox_refund_idx" on "refund_outbox" ("refund_id", "seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refund_outbox" cascade;`);
  }

}
