import { Injectable } from '@nestjs/common';
import { ActorContext } from '../access/actor-context.js';
import type { Actor } from '../access/roles.js';
import type { AuditAction, AuditOutcome, SignInFailure } from './audit-actions.js';
import { AuditRepository } from './audit.repository.js';

interface Trace {
  action: AuditAction;
  outcome?: AuditOutcome;
  recordType?: string;
  recordId?: number;
  patientId?: number | null;
  detail?: Record<string, unknown>;
  /** Who acted, when it is not the request's actor (a sign-in names the account it opened). */
  actor?: Pick<Actor, 'userId' | 'tokenId'> | null;
}

/**
 * Writes the audit trail's app-side traces: reads of patient data, sign-ins and sign-outs, refusals. Each is
 * written before the response goes out; if the trail cannot be written the request fails (503) rather than
 * leave an access unrecorded. Changes of records are traced by the database itself.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditRepository,
    private readonly actors: ActorContext,
  ) {}

  async record(trace: Trace): Promise<void> {
    const actor = trace.actor === undefined ? this.actors.actor : trace.actor;
    const client = this.actors.client;
    await this.events.insert({
      action: trace.action,
      outcome: trace.outcome ?? 'success',
      actorUserId: actor?.userId ?? null,
      actorTokenId: actor?.tokenId ?? null,
      recordType: trace.recordType ?? null,
      recordId: trace.recordId ?? null,
      patientId: trace.patientId ?? null,
      detail: trace.detail ?? {},
      ip: client?.ip ?? null,
      userAgent: client?.userAgent ?? null,
      requestId: client?.requestId ?? null,
    });
  }

  /** A patient's record or a session was read; once per request, however many times the request loads it. */
  async recordRead(
    recordType: 'patient' | 'session',
    recordId: number,
    patientId: number,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    if (!this.actors.firstReadOf(`${recordType}:${recordId}`)) return;
    await this.record({ action: `${recordType}.read`, recordType, recordId, patientId, detail });
  }

  /**
   * A list of patients or sessions was read: one trace with its filters and how many rows it showed (the search
   * text is not kept: it may be a name).
   */
  async recordList(
    recordType: 'patient' | 'session',
    detail: Record<string, unknown>,
    patientId?: number,
  ): Promise<void> {
    const filters = Object.fromEntries(Object.entries(detail).filter(([, value]) => value !== undefined));
    await this.record({ action: `${recordType}.list`, recordType, patientId, detail: filters });
  }

  /** A sign-in refused, with the e-mail tried, the account when known, and (single sign-on) the cause. */
  recordSignInFailure(
    reason: SignInFailure,
    email: string,
    userId: number | null = null,
    cause?: string,
  ): Promise<void> {
    return this.record({
      action: 'auth.sign_in',
      outcome: 'failure',
      actor: userId === null ? null : { userId, tokenId: null },
      recordType: userId === null ? undefined : 'user',
      recordId: userId ?? undefined,
      detail: cause === undefined ? { reason, email } : { reason, cause, email },
    });
  }

  recordSignIn(userId: number, method: string): Promise<void> {
    return this.record({
      action: 'auth.sign_in',
      actor: { userId, tokenId: null },
      recordType: 'user',
      recordId: userId,
      detail: { method },
    });
  }
}
