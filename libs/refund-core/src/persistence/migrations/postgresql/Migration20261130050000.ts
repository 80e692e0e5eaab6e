import { Migration } from '@mikro-orm/migrations';

/** Claims: the lease on a refund's gateway work, so that many processes never work on one refund at once. */
export class Migration20261130050000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "refund" add column "lease_owner" varchar(40) null, add column "lease_expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refund" drop column "lease_owner", drop column "lease_expires_at";`);
  }

}
