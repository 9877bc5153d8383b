import {
  EntityRepository,
  type FilterQuery,
  type FindOptions,
  type OrderDefinition,
} from '@mikro-orm/postgresql';
import { offsetOf, type Page, type SortOrder } from '../common/pagination/page.js';
import type { PersonListCriteria } from './person-list.query.js';
import {
  containsWord,
  personSearchText,
  phoneContains,
  phoneDigits,
  searchWords,
} from '../database/search.js';

export interface Person {
  id: number;
  name: string;
  email: string | null;
  createdAt: Date;
}

const NAME_FIELDS = ['id', 'name'];

const SORT_PROPERTIES = { name: 'name', email: 'email', created_at: 'createdAt' } as const;

/** The directory queries therapists and patients share. */
export abstract class PersonRepository<T extends Person> extends EntityRepository<T> {
  /** The people a therapist may see (`visibleTo` in the queries below; undefined means everyone). */
  protected abstract seenBy(therapistId: number): FilterQuery<T>;

  /** Whether a search that is a phone number also looks at the people's phone numbers. */
  protected readonly searchesPhone: boolean = false;

  async findPage(criteria: PersonListCriteria, visibleTo?: number): Promise<Page<T>> {
    const where = this.visible(criteria.q ? this.matching(criteria.q) : {}, visibleTo);
    // id breaks ties so pages never overlap or skip rows.
    const orderBy: Record<string, SortOrder> = {
      [SORT_PROPERTIES[criteria.sort]]: criteria.order,
      id: criteria.order,
    };
    const [items, total] = await this.findAndCount(where, {
      orderBy: orderBy as OrderDefinition<T>,
      limit: criteria.pageSize,
      offset: offsetOf(criteria),
    });
    return { items, total, page: criteria.page, pageSize: criteria.pageSize };
  }

  // MikroORM cannot type a generic entity's primary key as its filter; every person's key is its numeric id.
  findById(id: number, visibleTo?: number): Promise<T | null> {
    return this.findOne(this.visible({ id } as FilterQuery<T>, visibleTo));
  }

  /** Every person's id and name, alphabetically: the choices of a select box. */
  findNames(visibleTo?: number): Promise<{ id: number; name: string }[]> {
    return this.findNameRows(this.visible({}, visibleTo));
  }

  /**
   * The choices of a select box, alphabetically: everyone while they are at most `limit` (`complete`), else only
   * those matching `q` (at most `limit`) — a clinic's 20 000 patients make no select — with `chosen` always in.
   */
  async findChoices(
    limit: number,
    { q, chosen }: { q?: string; chosen?: number },
    visibleTo?: number,
  ): Promise<{ names: { id: number; name: string }[]; complete: boolean }> {
    const names = await this.findNameRows(this.visible(q ? this.matching(q) : {}, visibleTo), limit + 1);
    const complete = !q && names.length <= limit;
    const shown = complete || q ? names.slice(0, limit) : [];
    if (chosen !== undefined && !shown.some((person) => person.id === chosen)) {
      shown.unshift(
        ...(await this.findNameRows(this.visible({ id: chosen } as FilterQuery<T>, visibleTo), 1)),
      );
    }
    return { names: shown, complete };
  }

  private async findNameRows(where: FilterQuery<T>, limit?: number): Promise<{ id: number; name: string }[]> {
    const people = await this.find(where, {
      // Only what a choice shows; a generic entity cannot type its own property names as fields.
      fields: NAME_FIELDS as unknown as FindOptions<T>['fields'],
      orderBy: { name: 'asc', id: 'asc' } as OrderDefinition<T>,
      limit,
      disableIdentityMap: true,
    });
    return people.map(({ id, name }) => ({ id, name }));
  }

  /**
   * Every word of `q` in the name or e-mail, in any order, whatever the case and accents; or, where the people
   * have phone numbers and `q` is one, its digits in theirs.
   */
  private matching(q: string): FilterQuery<T> {
    const words = { $and: searchWords(q).map((word) => containsWord(personSearchText, word)) };
    const digits = this.searchesPhone ? phoneDigits(q) : undefined;
    return (digits === undefined ? words : { $or: [words, phoneContains(digits)] }) as FilterQuery<T>;
  }

  private visible(where: FilterQuery<T>, visibleTo: number | undefined): FilterQuery<T> {
    return visibleTo === undefined ? where : ({ $and: [where, this.seenBy(visibleTo)] } as FilterQuery<T>);
  }
}
