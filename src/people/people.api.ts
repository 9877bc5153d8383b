import { pageMeta, type PageMeta } from '../common/pagination/page.js';
import type { ProblemExample } from '../common/problems/api-problem-responses.decorator.js';
import type { PeopleService } from './people.service.js';
import type { PersonListQuery } from './person-list.query.js';
import type { Person } from './person.repository.js';

export interface PersonListResponse<Response> {
  data: Response[];
  meta: PageMeta;
}

/**
 * What the therapist and patient API controllers do, once: run the service and answer with the response DTO. The
 * controllers keep their own routes and OpenAPI decorators, so each endpoint stays documented as its own.
 */
export class PeopleApi<T extends Person, Response, CreateDto, UpdateDto> {
  constructor(
    private readonly service: PeopleService<T, CreateDto, UpdateDto>,
    private readonly toResponse: (person: T) => Response,
  ) {}

  async list(query: PersonListQuery): Promise<PersonListResponse<Response>> {
    const page = await this.service.list(query.toCriteria());
    return { data: page.items.map(this.toResponse), meta: pageMeta(page) };
  }

  async get(id: number): Promise<Response> {
    return this.toResponse(await this.service.get(id));
  }

  async create(input: CreateDto): Promise<Response> {
    return this.toResponse(await this.service.create(input));
  }

  async update(id: number, input: UpdateDto): Promise<Response> {
    return this.toResponse(await this.service.update(id, input));
  }
}

/** The 409 of a create or update that would give two people of a kind one e-mail address. */
export const emailTakenExample = (noun: string): ProblemExample => ({
  type: 'conflict',
  description: `Another ${noun} already uses this e-mail address`,
  detail: `A ${noun} with this e-mail address already exists.`,
  errors: [{ field: 'email', message: `email is already used by another ${noun}` }],
});
