import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Properties the database fills in, for each entity's `[OptionalProps]`. */
export type GeneratedProps = 'createdAt' | 'updatedAt';

/** Integer id and audit timestamps shared by every table. */
export abstract class BaseEntity {
  @PrimaryKey({ generated: 'by default as identity' })
  id!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date() })
  createdAt!: Date;

  // A new row was last updated when it was created: the same instant, not a millisecond later.
  @Property({
    type: 'datetime',
    defaultRaw: 'now()',
    onCreate: (entity: BaseEntity) => entity.createdAt,
    onUpdate: () => new Date(),
  })
  updatedAt!: Date;
}
