import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

/** One signed-in browser of a user, as the session store keeps it (`http_session`, see web-session.ts). */
export interface SignInRow {
  /** Names the sign-in on the page and in its form: a hash of the session id, which itself never leaves the server. */
  handle: string;
  /** The browser asking. */
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  signedInAt: number;
  lastSeenAt: number;
}

/**
 * The first 128 bits of the SHA-256 of the session id, in hex: enough to tell a user's sign-ins apart, and useless
 * for riding one (the cookie needs the id itself and the server's signature). Defined once, for listing and ending.
 */
const HANDLE = `left(encode(sha256(convert_to(sid, 'UTF8')), 'hex'), 32)`;

/** The user's rows of the session store; `UserRepository.endSessionsOf` ends them all at once. */
@Injectable()
export class SignInRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The user's sign-ins still in force: the store's row has not expired, and the guard's idle and absolute limits
   * (passed as the earliest last-seen and sign-in times, epoch ms) have not passed. This browser first, then the
   * most recently seen.
   */
  async listActive(
    userId: number,
    currentSessionId: string,
    limits: { lastSeenSince: number; signedInSince: number },
  ): Promise<SignInRow[]> {
    const rows = await this.em.execute<
      (Omit<SignInRow, 'signedInAt' | 'lastSeenAt'> & { signedInAt: string; lastSeenAt: string })[]
    >(
      `select ${HANDLE} as handle, sid = ? as current, sess ->> 'ip' as ip, sess ->> 'userAgent' as "userAgent",
              (sess ->> 'signedInAt')::bigint as "signedInAt", (sess ->> 'lastSeenAt')::bigint as "lastSeenAt"
         from http_session
        where (sess ->> 'userId')::int = ? and expire > now()
          and (sess ->> 'lastSeenAt')::bigint >= ? and (sess ->> 'signedInAt')::bigint >= ?
        order by current desc, "lastSeenAt" desc, "signedInAt" desc`,
      [currentSessionId, userId, limits.lastSeenSince, limits.signedInSince],
    );
    return rows.map((row) => ({
      ...row,
      signedInAt: Number(row.signedInAt),
      lastSeenAt: Number(row.lastSeenAt),
    }));
  }

  /**
   * Ends one of the user's sign-ins other than this browser's (whose row the store would write back at the end of
   * this very request); false when the user has no such other sign-in.
   */
  async endOther(userId: number, handle: string, currentSessionId: string): Promise<boolean> {
    const ended = await this.em.execute<{ sid: string }[]>(
      `delete from http_session where (sess ->> 'userId')::int = ? and sid <> ? and ${HANDLE} = ? returning sid`,
      [userId, currentSessionId, handle],
    );
    return ended.length > 0;
  }
}
