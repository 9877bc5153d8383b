import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { SessionSeriesRepository } from './session-series.repository.js';

export enum SeriesFrequency {
  Weekly = 'weekly',
  Fortnightly = 'fortnightly',
}

export const SERIES_FREQUENCIES = Object.values(SeriesFrequency);
export const MIN_OCCURRENCES = 2;
export const MAX_OCCURRENCES = 52;
export const WEEKS_BETWEEN: Record<SeriesFrequency, number> = { weekly: 1, fortnightly: 2 };

/** A weekly or fortnightly run of sessions booked in one request; its sessions point at it. */
@Entity({ tableName: 'session_series', repository: () => SessionSeriesRepository })
export class SessionSeries {
  [EntityRepositoryType]?: SessionSeriesRepository;
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ generated: 'by default as identity' })
  id!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() })
  createdAt!: Date;

  @Enum({ items: () => SeriesFrequency })
  frequency!: SeriesFrequency;

  @Property({ type: 'integer' })
  occurrences!: number;
}
