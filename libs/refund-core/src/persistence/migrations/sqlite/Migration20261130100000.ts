import { Migration } from '@mikro-orm/migrations';

/** A notification heard again counts on the history row it left: how many more times, and when last. */
export class Migration20261130100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`refund_history\` add column \`repeats\` integer not null default 0;`);
    this.addSql(`alter table \`refund_history\` add column \`last_heard_at\` datetime null;`);
  }

}
