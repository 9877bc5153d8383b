import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { allowedTransitions, type LifecycleFacts } from './session-lifecycle.js';
import type { SessionStatus } from './session-status.js';

/** The transition table applied with this deployment's settings (LATE_CANCEL_HOURS) and the current time. */
@Injectable()
export class SessionPolicy {
  readonly lateCancelHours: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.lateCancelHours = config.get('lateCancelHours', { infer: true });
  }

  readonly transitionsOf = (session: LifecycleFacts, now: Date = new Date()): SessionStatus[] =>
    allowedTransitions(session, now, { lateCancelHours: this.lateCancelHours });

  /** 409 naming the current status and the allowed ones, unless `target` is allowed now. */
  assertTransition(session: LifecycleFacts, target: SessionStatus, now: Date = new Date()): void {
    const allowed = this.transitionsOf(session, now);
    if (allowed.includes(target)) return;
    throw new ProblemException(
      'status-transition-not-allowed',
      `A ${session.status} session cannot become ${target} now; allowed: ${allowed.join(', ') || 'none'}.`,
      {
        errors: [{ field: 'status', message: `${target} is not allowed from ${session.status} now` }],
        extensions: { current_status: session.status, allowed_statuses: allowed },
      },
    );
  }
}
