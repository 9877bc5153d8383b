import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from './roles.js';

interface RequestScope {
  actor?: Actor;
}

/**
 * The acting user of the request being served, for the services and repositories that scope what they read and
 * for the transaction that hands it to PostgreSQL's row-level security. The access guard sets it.
 */
@Injectable()
export class ActorContext {
  private readonly storage = new AsyncLocalStorage<RequestScope>();

  /**
   * Opens a scope for each request. Mounted after the body parsers and the session store, whose stream and
   * database callbacks would otherwise run outside it.
   */
  readonly middleware = (_request: Request, _response: Response, next: NextFunction): void => {
    this.storage.run({}, next);
  };

  set(actor: Actor): void {
    const scope = this.storage.getStore();
    if (!scope) throw new Error('No request scope: is ActorContext.middleware mounted?');
    scope.actor = actor;
  }

  get actor(): Actor | undefined {
    return this.storage.getStore()?.actor;
  }

  /** Work done on someone's behalf outside a request (the command line, start-up, tests). */
  runAs<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    return this.storage.run({ actor }, work);
  }
}
