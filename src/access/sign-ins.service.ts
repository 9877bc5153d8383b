import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { notFoundProblem, ProblemException } from '../common/problems/problem.exception.js';
import { Clock } from '../common/time/clock.js';
import { AuthenticationService } from './authentication.service.js';
import type { Actor } from './roles.js';
import { SignInRepository, type SignInRow } from './sign-ins.repository.js';
import { UserRepository } from './user.repository.js';

/**
 * "Your sign-ins": the signed-in user's own browsers, and signing any other of them out. Every method is scoped
 * to the acting user, so another user's sign-in is never found (404), as one that does not exist.
 * `currentSessionId` is the asking browser's session, or null for a request made with an API token.
 */
@Injectable()
export class SignInsService {
  constructor(
    private readonly signIns: SignInRepository,
    private readonly users: UserRepository,
    private readonly authentication: AuthenticationService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  list(actor: Actor, currentSessionId: string | null): Promise<SignInRow[]> {
    const fresh = this.authentication.sessionsFreshSince(this.clock.now().getTime());
    return this.signIns.listActive(actor.userId, currentSessionId ?? '', fresh);
  }

  /** Signs one of the user's other browsers out: the one place a sign-in is ended from elsewhere. */
  async signOutRemotely(actor: Actor, handle: string, currentSessionId: string | null): Promise<void> {
    if (!(await this.signIns.endOther(actor.userId, handle, currentSessionId ?? ''))) {
      throw notFoundProblem('You have no other sign-in with this id: it may have ended already.');
    }
    await this.audit.record({
      action: 'auth.session_ended',
      recordType: 'user',
      recordId: actor.userId,
      detail: { sessions: 'one' },
    });
  }

  /** Signs every browser of the user but this one out. */
  async signOutEverywhereElse(actor: Actor, currentSessionId: string | null): Promise<void> {
    // With a token there is no "this browser" to keep: it would sign out every one, which is not what was asked.
    if (currentSessionId === null) {
      throw new ProblemException(
        'conflict',
        'Sign out everywhere else from a signed-in browser: an API token has no sign-in of its own.',
      );
    }
    await this.users.endSessionsOf(actor.userId, currentSessionId);
    await this.audit.record({
      action: 'auth.session_ended',
      recordType: 'user',
      recordId: actor.userId,
      detail: { sessions: 'all others' },
    });
  }
}
