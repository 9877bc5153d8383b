import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ActorContext } from './actor-context.js';
import type { Actor } from './roles.js';

/** The role a therapist's requests run as; created by the row-level-security migration (or an operator). */
export const ROW_SECURITY_ROLE = 'therapy_app';

/**
 * PostgreSQL's own check that a therapist reads and writes only their rows, whatever a query forgets: their
 * requests run in one transaction that names them (`app.therapist_id`, `app.user_id`, `app.role`, for that
 * transaction only) and switches to the role the policies bind. The other roles see the whole practice, so their
 * requests keep the plain autocommit path and pay nothing.
 */
@Injectable()
export class RowSecurity {
  private readonly logger = new Logger(RowSecurity.name);
  /** Whether this connection's user may switch to the role; asked once, on the first therapist's request. */
  private roleAvailable: Promise<boolean> | undefined;

  constructor(private readonly em: EntityManager) {}

  within<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    return this.em.transactional(async (em) => {
      // One round trip: `set_config('role', …, true)` is `SET LOCAL ROLE`.
      const role = (await this.available(em)) ? ROW_SECURITY_ROLE : null;
      await em.execute(
        `select set_config('app.role', ?, true), set_config('app.user_id', ?, true),
                set_config('app.therapist_id', ?, true)${role ? `, set_config('role', ?, true)` : ''}`,
        [actor.role, String(actor.userId), String(actor.therapistId ?? ''), ...(role ? [role] : [])],
      );
      return work();
    });
  }

  private available(em: EntityManager): Promise<boolean> {
    this.roleAvailable ??= em
      .execute<{ usable: boolean }[]>(
        `select exists (select from pg_roles r where r.rolname = ? and pg_has_role(current_user, r.oid, 'member')) as usable`,
        [ROW_SECURITY_ROLE],
      )
      .then(([row]) => {
        const usable = row?.usable === true;
        if (!usable) {
          this.logger.warn(
            `Row-level security is not in force: role ${ROW_SECURITY_ROLE} does not exist or this database user may not switch to it (see the README, "Users and access"). The services still limit therapists to their own records.`,
          );
        }
        return usable;
      })
      .catch((error: unknown) => {
        this.roleAvailable = undefined;
        throw error;
      });
    return this.roleAvailable;
  }
}

/**
 * Runs each therapist's request inside `RowSecurity.within`; the guard has named the actor by then. A page writes
 * its answer from inside the handler's chain, before the transaction commits: the end of that answer is held back
 * until the commit, so that a browser following the page's redirect (or a second tab) finds the change made.
 */
@Injectable()
export class RowSecurityInterceptor implements NestInterceptor {
  constructor(
    private readonly actors: ActorContext,
    private readonly rowSecurity: RowSecurity,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    const actor = this.actors.actor;
    if (actor?.role !== 'therapist') return next.handle();
    const held = holdEnd(context.switchToHttp().getResponse<Response>());
    return from(
      this.rowSecurity
        .within(actor, () => lastValueFrom(next.handle(), { defaultValue: undefined }))
        .then(
          (result) => {
            held.release();
            return result;
          },
          (error: unknown) => {
            // Nothing went out: the error's own answer (e.g. 503) replaces the one the handler meant to send.
            held.discard();
            throw error;
          },
        ),
    );
  }
}

/** Defers `response.end` (which sends a rendered page or a redirect) until `release`; `discard` forgets it. */
function holdEnd(response: Response): { release(): void; discard(): void } {
  let held: unknown[] | undefined;
  // The session middleware wraps `end` with an own property; whichever `end` is in place is the one put back.
  const own = Object.getOwnPropertyDescriptor(response, 'end');
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  response.end = ((...args: unknown[]): Response => {
    held = args;
    return response;
  }) as Response['end'];
  const restore = (): void => {
    if (own) Object.defineProperty(response, 'end', own);
    else Reflect.deleteProperty(response, 'end');
  };
  return {
    release: () => {
      restore();
      if (held) end(...held);
    },
    discard: restore,
  };
}
