import { EntityRepository } from '@mikro-orm/postgresql';
import type { Closure } from './closure.entity.js';

export class ClosureRepository extends EntityRepository<Closure> {
  /** Closures with a day in [firstDay, lastDay] (`YYYY-MM-DD`, inclusive), in date order. */
  findOverlapping(firstDay: string, lastDay: string): Promise<Closure[]> {
    return this.find(
      { startsOn: { $lte: lastDay }, endsOn: { $gte: firstDay } },
      { orderBy: { startsOn: 'asc', id: 'asc' } },
    );
  }

  /** Closures whose last day is `from` or later, soonest first. */
  findFrom(from: string): Promise<Closure[]> {
    return this.find({ endsOn: { $gte: from } }, { orderBy: { startsOn: 'asc', id: 'asc' }, limit: 500 });
  }

  async remove(id: number): Promise<boolean> {
    return (await this.nativeDelete({ id })) > 0;
  }
}
