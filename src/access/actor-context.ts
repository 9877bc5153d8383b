import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from './roles.js';

/** Where a request came from, for the audit trail. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

interface RequestScope {
  actor?: Actor;
  client?: Client;
  /** Records whose read this request has already put in the audit trail (`session:12`), to record each once. */
  auditedReads?: Set<string>;
}

/** Long enough for any real browser's; bounds what a client can make us store. */
export const MAX_USER_AGENT = 400;

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
  readonly middleware = (request: Request, _response: Response, next: NextFunction): void => {
    const requestId = (request as Request & { id?: unknown }).id;
    const client: Client = {
      ip: request.ip ?? null,
      userAgent: request.get('User-Agent')?.slice(0, MAX_USER_AGENT) ?? null,
      requestId: typeof requestId === 'string' ? requestId : null,
    };
    this.storage.run({ client }, next);
  };

  set(actor: Actor): void {
    const scope = this.storage.getStore();
    if (!scope) throw new Error('No request scope: is ActorContext.middleware mounted?');
    scope.actor = actor;
  }

  get actor(): Actor | undefined {
    return this.storage.getStore()?.actor;
  }

  get client(): Client | undefined {
    return this.storage.getStore()?.client;
  }

  /** True the first time this request reads `key`; the audit trail records a read once per request. */
  firstReadOf(key: string): boolean {
    const scope = this.storage.getStore();
    if (!scope) return true;
    scope.auditedReads ??= new Set();
    if (scope.auditedReads.has(key)) return false;
    scope.auditedReads.add(key);
    return true;
  }

  /** Work done on someone's behalf outside a request (the command line, start-up, tests). */
  runAs<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    return this.storage.run({ actor }, work);
  }
}
