import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM, type EventArgs, type EventSubscriber } from '@mikro-orm/postgresql';
import { AccessScope } from '../access/access-scope.js';
import { User } from '../access/user.entity.js';
import { SessionEvent } from './session-event.entity.js';

/**
 * Every history entry records who made the change: the user of the request it is written in (a token acts as its
 * user). One place, so no new kind of change can forget it; the seed's and the command line's entries have none.
 */
@Injectable()
export class SessionEventActorSubscriber implements EventSubscriber<SessionEvent>, OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly scope: AccessScope,
  ) {}

  onModuleInit(): void {
    this.orm.em.getEventManager().registerSubscriber(this);
  }

  getSubscribedEntities(): [typeof SessionEvent] {
    return [SessionEvent];
  }

  beforeCreate({ entity, em }: EventArgs<SessionEvent>): void {
    const userId = this.scope.actorUserId;
    if (entity.actor === null && userId !== null)
      entity.actor = em.getReference(User, userId, { wrapped: true });
  }
}
