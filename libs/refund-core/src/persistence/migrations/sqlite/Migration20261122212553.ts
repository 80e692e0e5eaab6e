import { Migration } from '@mikro-orm/migrations';

export class Migration20261122212553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`refund_order\` (\`id\` text not null, \`gateway\` text not null, \`merchant_id\` text not null, \`order_ref\` text not null, \`merchant_order_no\` text null, \`gateway_order_no\` text null, \`total_amount\` bigint not null, \`reserved_amount\` bigint not null default 0, \`refunded_amount\` bigint not null default 0, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`refund_order_merchant_order_no_idx\` on \`refund_order\` (\`merchant_order_no\`);`);
    this.addSql(`create unique index \`refund_order_key\` on \`refund_order\` (\`gateway\`, \`merchant_id\`, \`order_ref\`);`);

    this.addSql(`create table \`refund\` (\`id\` text not null, \`gateway\` text not null, \`merchant_id\` text not null, \`refund_no\` text not null, \`order_id\` text not null, \`amount\` bigint not null, \`merchant_order_no\` text null, \`gateway_order_no\` text null, \`total_amount\` bigint not null, \`paid_at\` datetime null, \`pay_method\` text null, \`reason\` text null, \`notify_url\` text null, \`gateway_options\` json not null, \`status\` text not null default 'REQUESTED', \`gateway_refund_no\` text null, \`gateway_status\` text null, \`failure_code\` text null, \`failure_message\` text null, \`attempts\` integer not null default 0, \`sync_count\` integer not null default 0, \`next_sync_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`finished_at\` datetime null, constraint \`refund_order_id_foreign\` foreign key(\`order_id\`) references \`refund_order\`(\`id\`) on delete restrict on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`refund_order_id_index\` on \`refund\` (\`order_id\`);`);
    this.addSql(`create index \`refund_merchant_order_no_idx\` on \`refund\` (\`merchant_order_no\`);`);
    this.addSql(`create index \`refund_created_at_idx\` on \`refund\` (\`created_at\`);`);
    this.addSql(`create index \`refund_due_idx\` on \`refund\` (\`status\`, \`next_sync_at\`);`);
    this.addSql(`create unique index \`refund_key\` on \`refund\` (\`gateway\`, \`merchant_id\`, \`refund_no\`);`);

    this.addSql(`create table \`refund_history\` (\`id\` integer not null primary key autoincrement, \`refund_id\` text not null, \`at\` datetime not null, \`from_status\` text null, \`to_status\` text not null, \`source\` text not null, \`applied\` integer not null default true, \`gateway_status\` text null, \`code\` text null, \`message\` text null, constraint \`refund_history_refund_id_foreign\` foreign key(\`refund_id\`) references \`refund\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`refund_history_refund_id_index\` on \`refund_history\` (\`refund_id\`);`);
    this.addSql(`create index \`refund_history_refund_idx\` on \`refund_history\` (\`refund_id\`, \`id\`);`);
  }

}
