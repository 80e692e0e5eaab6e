import { Migration } from '@mikro-orm/migrations';

/** Who settled a refund by hand: the API key's name on an operator's history row. */
export class Migration20261130110000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "refund_history" add column "actor" varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refund_history" drop column "actor";`);
  }

}
