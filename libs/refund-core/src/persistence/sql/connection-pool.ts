/** The pool of MikroORM's connection (knex's client), from which the write path borrows. */
export interface ConnectionPool<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): unknown;
}

/** Runs `work` on a connection of the pool and gives it back, whatever `work` does. */
export async function borrowConnection<C, T>(pool: ConnectionPool<C>, work: (connection: C) => Promise<T>): Promise<T> {
  const connection = await pool.acquireConnection();
  try {
    return await work(connection);
  } finally {
    pool.releaseConnection(connection);
  }
}
