import { EntityRepository } from '@mikro-orm/postgresql';
import type { SessionSeries } from './session-series.entity.js';

/** Series are created and read whole: the base repository's methods are all they need. */
export class SessionSeriesRepository extends EntityRepository<SessionSeries> {}
