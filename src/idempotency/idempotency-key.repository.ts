import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

/** What the first request with a key left for its retries. */
export interface StoredResponse {
  request_hash: string;
  /** `null` while the first request is still running. */
  status: number | null;
  body: unknown;
  location: string | null;
  etag: string | null;
}

export interface KeyOf {
  scope: string;
  key: string;
}

/**
 * The `idempotency_key` table, in SQL of its own: each statement commits on its own, outside the request's unit of
 * work, so a claim is visible to a concurrent retry at once and survives the request's rollback.
 */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Claims the key for a request with this hash; `undefined` when claimed, else what the earlier request with it
   * left (`null` when it vanished between the two statements). Keys live 24 hours (expired ones are purged here,
   * by the created_at index); a claim whose request died without answering is released after 5 minutes.
   */
  async claim({ scope, key }: KeyOf, hash: string): Promise<StoredResponse | null | undefined> {
    const em = this.orm.em.fork();
    await em.execute(`delete from idempotency_key where created_at < now() - interval '24 hours'`);
    await em.execute(
      `delete from idempotency_key where scope = ? and key = ? and status is null and created_at < now() - interval '5 minutes'`,
      [scope, key],
    );
    const claimed = await em.execute<{ key: string }[]>(
      `insert into idempotency_key (scope, key, request_hash) values (?, ?, ?) on conflict do nothing returning key`,
      [scope, key, hash],
    );
    if (claimed.length > 0) return undefined;
    const [stored] = await em.execute<StoredResponse[]>(
      `select request_hash, status, body, location, etag from idempotency_key where scope = ? and key = ?`,
      [scope, key],
    );
    return stored ?? null;
  }

  async complete(
    { scope, key }: KeyOf,
    response: Pick<StoredResponse, 'status' | 'body' | 'location' | 'etag'>,
  ): Promise<void> {
    await this.orm.em
      .fork()
      .execute(
        `update idempotency_key set status = ?, body = ?, location = ?, etag = ? where scope = ? and key = ?`,
        [response.status, JSON.stringify(response.body), response.location, response.etag, scope, key],
      );
  }

  /** A request that failed keeps nothing, so it can be retried with the same key. */
  async release({ scope, key }: KeyOf): Promise<void> {
    await this.orm.em.fork().execute(`delete from idempotency_key where scope = ? and key = ?`, [scope, key]);
  }
}
