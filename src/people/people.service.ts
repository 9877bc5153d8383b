import type { AccessScope } from '../access/access-scope.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../common/pagination/page.js';
import { notFoundProblem } from '../common/problems/problem.exception.js';
import type { PersonListCriteria } from './person-list.query.js';
import type { Person, PersonRepository } from './person.repository.js';

/** Beyond this many people a select box lists only those a search finds. */
export const CHOICE_LIMIT = 200;

export interface PersonChoices {
  names: { id: number; name: string }[];
  /** Every person is among `names`; otherwise they are those the search `q` found. */
  complete: boolean;
  q: string;
}

/**
 * The directory rules therapists and patients share: list, names, get, create and a partial update. A feature's
 * service only says how its DTOs map onto its entity.
 */
export abstract class PeopleService<T extends Person, CreateInput, UpdateInput> {
  /** e.g. `Therapist`, as the not-found message names it. */
  protected abstract readonly noun: string;

  constructor(
    protected readonly people: PersonRepository<T>,
    protected readonly em: EntityManager,
    protected readonly scope: AccessScope,
  ) {}

  /** A new person from the API's input, persisted with the next flush. */
  protected abstract build(input: CreateInput): T;

  /** Sets what a change sends; fields it leaves out (`undefined`) stay as they are. */
  protected abstract change(person: T, input: UpdateInput): void;

  /** A person was read, or a list shown, for someone to see: the patients' service traces it (audit trail). */
  protected traceRead(_person: T): Promise<void> {
    return Promise.resolve();
  }

  protected traceList(_criteria: PersonListCriteria, _page: Page<T>): Promise<void> {
    return Promise.resolve();
  }

  async list(criteria: PersonListCriteria): Promise<Page<T>> {
    const page = await this.people.findPage(criteria, this.scope.ownTherapistId);
    await this.traceList(criteria, page);
    return page;
  }

  names(): Promise<{ id: number; name: string }[]> {
    return this.people.findNames(this.scope.ownTherapistId);
  }

  /** A select box's choices: everyone in a small clinic, else the people `q` finds and the chosen one. */
  async choices({ q, chosen }: { q?: string; chosen?: number } = {}): Promise<PersonChoices> {
    const query = q?.trim() || undefined;
    const found = await this.people.findChoices(
      CHOICE_LIMIT,
      { q: query, chosen },
      this.scope.ownTherapistId,
    );
    return { ...found, q: query ?? '' };
  }

  async get(id: number): Promise<T> {
    const person = await this.fetch(id);
    await this.traceRead(person);
    return person;
  }

  /**
   * The person, without a trace of the read: for a request that shows something else of theirs (their sessions,
   * which are traced as such) or changes them (the change is traced).
   */
  async fetch(id: number): Promise<T> {
    const person = await this.people.findById(id, this.scope.ownTherapistId);
    if (!person) throw notFoundProblem(`${this.noun} ${id} does not exist.`);
    return person;
  }

  /** Refuses a new person the directory may already hold (patients: possible duplicates); none by default. */
  protected checkNew(_input: CreateInput): Promise<void> {
    return Promise.resolve();
  }

  async create(input: CreateInput): Promise<T> {
    this.scope.assertMay('editPeople', `Only the front desk adds a ${this.noun.toLowerCase()}.`);
    await this.checkNew(input);
    const person = this.build(input);
    await this.em.flush();
    return person;
  }

  async update(id: number, input: UpdateInput): Promise<T> {
    this.scope.assertMay('editPeople', `Only the front desk changes a ${this.noun.toLowerCase()}'s details.`);
    const person = await this.fetch(id);
    this.change(person, input);
    await this.em.flush();
    return person;
  }
}
