import { Injectable } from '@nestjs/common';
import { ProblemException, notFoundProblem } from '../common/problems/problem.exception.js';
import { ActorContext } from './actor-context.js';
import { may, type Capability } from './roles.js';

/**
 * What the acting user may see and do, for the services and repositories that read and change the data: a
 * therapist sees only their own therapist record, sessions and the patients they have or had sessions with.
 * Work outside a request (start-up, the command line) has no actor and sees the whole practice.
 */
@Injectable()
export class AccessScope {
  constructor(private readonly actors: ActorContext) {}

  /** The only therapist whose records the acting user may see; undefined when they see the whole practice. */
  get ownTherapistId(): number | undefined {
    const actor = this.actors.actor;
    if (actor?.role !== 'therapist') return undefined;
    // The database ties every therapist account to a therapist; a missing link must not widen the view.
    return actor.therapistId ?? 0;
  }

  /** The user making the request, as history records them; null outside a request. */
  get actorUserId(): number | null {
    return this.actors.actor?.userId ?? null;
  }

  /** Whether the acting user's role may do this (always, outside a request). */
  may(capability: Capability): boolean {
    const actor = this.actors.actor;
    return actor === undefined || may(actor.role, capability);
  }

  /** 403 unless the acting user's role may do this. */
  assertMay(capability: Capability, detail: string): void {
    if (!this.may(capability)) throw new ProblemException('forbidden', detail);
  }

  /** Another therapist's record answers as if it did not exist: a therapist cannot learn what others have. */
  assertSeesTherapist(therapistId: number): void {
    const own = this.ownTherapistId;
    if (own !== undefined && own !== therapistId) {
      throw notFoundProblem(`Therapist ${therapistId} does not exist.`);
    }
  }
}
