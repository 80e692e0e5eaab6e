import { Migration } from '@mikro-orm/migrations';

/**
 * Every order number a request or a gateway gave, as a reference of its order (one balance however
 * the order is named). `refund_order_key` (gateway, merchant, order_ref) is no longer the order's key.
 *
 * Existing rows: each merchant or gateway order number an order or one of its refunds recorded becomes
 * a reference of that order. Where one number was recorded by several orders (the same order named two
 * ways before references were linked), the oldest of them keeps it (creation time, then id); the others
 * keep their balances and refunds, money untouched, and their unfinished refunds and the oldest one's
 * are flagged `order_reference_conflict` for a person (no event: the migration runs before any listener).
 */
export class Migration20261130090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`refund_order_ref\` (\`gateway\` text not null, \`merchant_id\` text not null, \`kind\` text not null, \`value\` text not null, \`order_id\` text not null, \`source\` text not null, \`created_at\` datetime not null, constraint \`refund_order_ref_order_id_foreign\` foreign key(\`order_id\`) references \`refund_order\`(\`id\`) on delete cascade on update cascade, primary key (\`gateway\`, \`merchant_id\`, \`kind\`, \`value\`));`);
    this.addSql(`create index \`refund_order_ref_order_idx\` on \`refund_order_ref\` (\`order_id\`);`);
    this.addSql(`drop index \`refund_order_key\`;`);

    this.addSql(`insert into \`refund_order_ref\` (\`gateway\`, \`merchant_id\`, \`kind\`, \`value\`, \`order_id\`, \`source\`, \`created_at\`)
      with ${CANDIDATES}
      select \`gateway\`, \`merchant_id\`, \`kind\`, \`value\`, \`order_id\`, 'migration', \`order_created_at\`
        from (select \`candidate\`.*, row_number() over (partition by \`gateway\`, \`merchant_id\`, \`kind\`, \`value\`
                                                       order by \`order_created_at\`, \`order_id\`) as \`rank\`
                from \`candidate\`) as \`ranked\`
       where \`rank\` = 1;`);
    // Dates are epoch milliseconds in SQLite, as MikroORM writes them.
    this.addSql(`with ${CANDIDATES}, ${CONTESTED}
      update \`refund\` set \`attention_reason\` = 'order_reference_conflict',
                            \`attention_since\` = cast(round((julianday('now') - 2440587.5) * 86400000) as integer)
       where \`status\` not in ('SUCCEEDED', 'FAILED') and \`attention_reason\` is null
         and \`order_id\` in (select \`order_id\` from \`contested\`);`);
  }

}

/** Every (order, number) an order row or one of its refunds recorded, with the order's creation time. */
const CANDIDATES = `\`candidate\` as (
  select \`gateway\`, \`merchant_id\`, 'merchant' as \`kind\`, \`merchant_order_no\` as \`value\`, \`id\` as \`order_id\`, \`created_at\` as \`order_created_at\`
    from \`refund_order\` where trim(\`merchant_order_no\`) <> ''
  union all
  select \`gateway\`, \`merchant_id\`, 'gateway', \`gateway_order_no\`, \`id\`, \`created_at\`
    from \`refund_order\` where trim(\`gateway_order_no\`) <> ''
  union all
  select \`o\`.\`gateway\`, \`o\`.\`merchant_id\`, 'merchant', \`r\`.\`merchant_order_no\`, \`o\`.\`id\`, \`o\`.\`created_at\`
    from \`refund\` \`r\` join \`refund_order\` \`o\` on \`o\`.\`id\` = \`r\`.\`order_id\` where trim(\`r\`.\`merchant_order_no\`) <> ''
  union all
  select \`o\`.\`gateway\`, \`o\`.\`merchant_id\`, 'gateway', \`r\`.\`gateway_order_no\`, \`o\`.\`id\`, \`o\`.\`created_at\`
    from \`refund\` \`r\` join \`refund_order\` \`o\` on \`o\`.\`id\` = \`r\`.\`order_id\` where trim(\`r\`.\`gateway_order_no\`) <> '')`;

/** The orders that recorded a number another order recorded too. */
const CONTESTED = `\`contested\` as (
  select distinct \`a\`.\`order_id\` from \`candidate\` \`a\` join \`candidate\` \`b\`
      on \`b\`.\`gateway\` = \`a\`.\`gateway\` and \`b\`.\`merchant_id\` = \`a\`.\`merchant_id\` and \`b\`.\`kind\` = \`a\`.\`kind\`
     and \`b\`.\`value\` = \`a\`.\`value\` and \`b\`.\`order_id\` <> \`a\`.\`order_id\`)`;
