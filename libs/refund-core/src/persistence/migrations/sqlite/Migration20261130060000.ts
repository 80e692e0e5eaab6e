import { Migration } from '@mikro-orm/migrations';

/** The transactional outbox: events written with the change that produced them, relayed at least once. */
export class Migration20261130060000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`refund_outbox\` (\`seq\` integer not null primary key autoincrement, \`event_id\` text not null, \`name\` text not null, \`refund_id\` text not null, \`payload\` json not null, \`occurred_at\` datetime not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`listeners\` json not null, \`lease_owner\` text null, \`lease_expires_at\` datetime null, \`last_error\` text null, \`relayed_at\` datetime null);`);
    this.addSql(`create unique index \`refund_outbox_event_id_key\` on \`refund_outbox\` (\`event_id\`);`);
    this.addSql(`create index \`refund_outbox_due_idx\` on \`refund_outbox\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`refund_outbox_refund_idx\` on \`refund_outbox\` (\`refund_id\`, \`seq\`);`);
  }

}
