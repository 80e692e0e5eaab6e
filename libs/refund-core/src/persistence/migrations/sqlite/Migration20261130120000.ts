import { Migration } from '@mikro-orm/migrations';

/**
 * The gateway exchange log (`GET /refunds/:id/exchanges`), and the indexes the overview (`GET /overview`)
 * and `GET /refunds?status=` read: counts per merchant and status, the refunds that need a person, the
 * oldest unfinished refund per merchant, and a status filter in id order.
 */
export class Migration20261130120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`refund_exchange\` (\`id\` integer not null primary key autoincrement, \`refund_id\` text not null, \`operation\` text not null, \`at\` datetime not null, \`duration_ms\` integer null, \`gateway_status\` text null, \`code\` text null, \`message\` text null, \`fields\` text null, \`outcome\` text not null, \`changed\` integer not null, \`repeats\` integer not null default 0, \`last_at\` datetime null, constraint \`refund_exchange_refund_id_foreign\` foreign key(\`refund_id\`) references \`refund\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`refund_exchange_refund_idx\` on \`refund_exchange\` (\`refund_id\`, \`id\`);`);

    this.addSql(`create index \`refund_scope_status_idx\` on \`refund\` (\`gateway\`, \`merchant_id\`, \`status\`);`);
    this.addSql(`create index \`refund_status_id_idx\` on \`refund\` (\`status\`, \`id\`);`);
    this.addSql(`create index \`refund_attention_scope_idx\` on \`refund\` (\`gateway\`, \`merchant_id\`, \`attention_reason\`) where \`attention_since\` is not null;`);
    this.addSql(`create index \`refund_unfinished_idx\` on \`refund\` (\`gateway\`, \`merchant_id\`, \`created_at\`, \`id\`) where \`status\` in ('REQUESTED', 'PROCESSING', 'UNKNOWN');`);
  }

}
