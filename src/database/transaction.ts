import { DeadlockException, type EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs `work` in a transaction, again (up to `attempts` times in all) when PostgreSQL ends it to break a
 * deadlock between concurrent writers; any other failure, or the last deadlock, is the caller's.
 */
export async function transactionRetryingDeadlocks<T>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(work);
    } catch (error) {
      if (!(error instanceof DeadlockException) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
