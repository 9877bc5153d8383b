import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM, type EventSubscriber, type TransactionEventArgs } from '@mikro-orm/postgresql';
import { ActorContext } from '../access/actor-context.js';

/**
 * Tells PostgreSQL who is acting, at the start of each transaction the ORM opens (every flush opens one): the
 * audit triggers read these transaction-local settings to put the user, token and client on each change.
 */
@Injectable()
export class AuditContextSubscriber implements EventSubscriber, OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly actors: ActorContext,
  ) {}

  onModuleInit(): void {
    this.orm.em.getEventManager().registerSubscriber(this);
  }

  async afterTransactionStart({ em, transaction }: TransactionEventArgs): Promise<void> {
    // A savepoint is inside a transaction that has them already.
    if (typeof transaction === 'object' && transaction !== null && 'savepointName' in transaction) return;
    const actor = this.actors.actor;
    const client = this.actors.client;
    if (!actor && !client) return;
    await em.getConnection().execute(
      `select set_config('app.user_id', ?, true), set_config('app.token_id', ?, true),
              set_config('app.ip', ?, true), set_config('app.user_agent', ?, true),
              set_config('app.request_id', ?, true)`,
      [
        String(actor?.userId ?? ''),
        String(actor?.tokenId ?? ''),
        client?.ip ?? '',
        client?.userAgent ?? '',
        client?.requestId ?? '',
      ],
      'run',
      transaction,
    );
  }
}
