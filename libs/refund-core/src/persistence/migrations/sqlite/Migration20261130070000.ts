import { Migration } from '@mikro-orm/migrations';

/** Webhooks: who requested each refund (whose secret signs its webhooks), the deliveries and their attempts. */
export class Migration20261130070000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`refund\` add column \`requested_by\` text null;`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` text not null, \`refund_id\` text not null, \`event_id\` text not null, \`event_type\` text not null, \`url\` text not null, \`requested_by\` text null, \`body\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime null, \`lease_owner\` text null, \`lease_expires_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create unique index \`webhook_delivery_event_url_key\` on \`webhook_delivery\` (\`event_id\`, \`url\`);`);
    this.addSql(`create index \`webhook_delivery_due_idx\` on \`webhook_delivery\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`webhook_delivery_refund_idx\` on \`webhook_delivery\` (\`refund_id\`, \`created_at\`);`);

    this.addSql(`create table \`webhook_attempt\` (\`id\` integer not null primary key autoincrement, \`delivery_id\` text not null, \`attempted_at\` datetime not null, \`duration_ms\` integer not null, \`http_status\` integer null, \`error\` text null);`);
    this.addSql(`create index \`webhook_attempt_delivery_idx\` on \`webhook_attempt\` (\`delivery_id\`, \`id\`);`);
  }

}
