import { EntityManager, LockMode } from '@mikro-orm/core';

/**
 * Row locks where the database has them. PostgreSQL serialises balance changes with
 * `SELECT ... FOR UPDATE`; SQLite has one writer at a time (every transaction begins `IMMEDIATE`,
 * see `sqlite-immediate.dialect.ts`), and knex would only warn about a lock it cannot take.
 */
export function rowLock(em: EntityManager): LockMode | undefined {
  return supportsRowLocks(em) ? LockMode.PESSIMISTIC_WRITE : undefined;
}

export function supportsRowLocks(em: EntityManager): boolean {
  return !/sqlite/i.test(em.getDriver().constructor.name);
}
