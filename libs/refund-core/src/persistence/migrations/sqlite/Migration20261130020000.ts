import { Migration } from '@mikro-orm/migrations';

/** Port v2: submission time, deferral, needs-attention flag, and the per-order submission slot. */
export class Migration20261130020000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`refund\` add column \`submitted_at\` datetime null;`);
    this.addSql(`alter table \`refund\` add column \`deferred_at\` datetime null;`);
    this.addSql(`alter table \`refund\` add column \`attention_reason\` text null;`);
    this.addSql(`alter table \`refund\` add column \`attention_since\` datetime null;`);
    this.addSql(`create index \`refund_attention_idx\` on \`refund\` (\`attention_since\`);`);
    this.addSql(`alter table \`refund_order\` add column \`slot_refund_id\` text null;`);
    this.addSql(`alter table \`refund_order\` add column \`slot_expires_at\` datetime null;`);
  }

}
