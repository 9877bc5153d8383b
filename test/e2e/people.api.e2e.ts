import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fieldsOf, problemOf } from '../utils/http.js';
import { PERSON_KINDS, personListOf, personOf, type PersonBody, type PersonRecord } from '../utils/people.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SHARED_CREATED_AT = new Date('2024-03-01T00:00:00.000Z');
const BAD_IDS = ['0', 'abc', '1e3', '01', '99999999999', '-1', '1.5', '2147483648'];

// What /api/therapists and /api/patients do alike; each kind's own fields are tested in its own suite.
describe('/api/therapists and /api/patients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe.each(PERSON_KINDS)('/api/%s', (plural, kind) => {
    const api = `/api${kind.path}`;
    const list = (query: string) => t.http.get(`${api}${query}`);
    const create = (body: object) => t.http.post(api).send(body);
    const update = (id: number | string, body: object) => t.http.patch(`${api}/${id}`).send(body);
    const namesOf = (people: PersonBody[]): string[] => people.map((person) => person.name);
    const email = (local: string): string => `${local}@${kind.domain}`;

    describe(`GET ${api}`, () => {
      // 30 people only this block's `q=paged` matches, so totals are exact whatever else the suite creates.
      const paged: PersonRecord[] = [];

      beforeAll(async () => {
        const em = t.em();
        for (let n = 1; n <= 30; n++) {
          const nn = String(n).padStart(2, '0');
          const seed = {
            name: `Paged ${nn}`,
            email: `paged-${nn}@pagination.example`,
            createdAt: SHARED_CREATED_AT,
          };
          paged.push(await kind.createFilled(em, seed, nn));
        }
      });

      describe('pagination', () => {
        it(`defaults to page 1 of 25, with the total of all ${plural}`, async () => {
          const total = await kind.count(t.em());
          expect(total).toBeGreaterThanOrEqual(30);
          const body = personListOf(await list('').expect(200));
          expect(body.meta).toEqual({ page: 1, page_size: 25, total });
          expect(body.data).toHaveLength(25);
        });

        it('returns the first page_size items of the matching ones, sorted by name', async () => {
          const body = personListOf(await list('?q=paged').expect(200));
          expect(body.meta).toEqual({ page: 1, page_size: 25, total: 30 });
          expect(body.data.map((person) => person.id)).toEqual(paged.slice(0, 25).map((p) => p.id));
        });

        it('returns the rest on page 2', async () => {
          const body = personListOf(await list('?q=paged&page=2').expect(200));
          expect(body.meta).toEqual({ page: 2, page_size: 25, total: 30 });
          expect(body.data.map((person) => person.id)).toEqual(paged.slice(25).map((p) => p.id));
        });

        it('honours page_size and page together', async () => {
          const body = personListOf(await list('?q=paged&page=3&page_size=7').expect(200));
          expect(body.meta).toEqual({ page: 3, page_size: 7, total: 30 });
          expect(namesOf(body.data)).toEqual(paged.slice(14, 21).map((p) => p.name));
        });

        it('accepts the limits page_size=1 and page_size=100', async () => {
          const one = personListOf(await list('?q=paged&page_size=1').expect(200));
          expect(one.meta).toEqual({ page: 1, page_size: 1, total: 30 });
          expect(namesOf(one.data)).toEqual(['Paged 01']);
          const hundred = personListOf(await list('?q=paged&page_size=100').expect(200));
          expect(hundred.meta).toEqual({ page: 1, page_size: 100, total: 30 });
          expect(hundred.data).toHaveLength(30);
        });

        it('returns no data but the right total for a page beyond the end', async () => {
          const body = personListOf(await list('?q=paged&page=3').expect(200));
          expect(body).toEqual({ data: [], meta: { page: 3, page_size: 25, total: 30 } });
          const far = personListOf(await list('?q=paged&page=1000&page_size=100').expect(200));
          expect(far).toEqual({ data: [], meta: { page: 1000, page_size: 100, total: 30 } });
        });

        it('answers an empty page, not an error, for the largest page number', async () => {
          const body = personListOf(await list('?q=paged&page=999999999999999&page_size=100').expect(200));
          expect(body).toEqual({ data: [], meta: { page: 999999999999999, page_size: 100, total: 30 } });
        });

        it(`returns the full ${kind.noun} representation in data`, async () => {
          const first = paged[0];
          if (!first) throw new Error(`no ${plural} arranged`);
          const body = personListOf(await list('?q=paged&page_size=1').expect(200));
          expect(body.data).toEqual([
            {
              id: first.id,
              name: 'Paged 01',
              email: 'paged-01@pagination.example',
              ...kind.filledBody,
              created_at: first.createdAt.toISOString(),
              updated_at: first.updatedAt.toISOString(),
            },
          ]);
        });
      });

      describe('q', () => {
        beforeAll(async () => {
          const em = t.em();
          for (const [name, address] of [
            ['Ada Lovelace', 'countess@analytical.example'],
            ['Grace Hopper', 'grace.lovelace-fan@navy.example'],
            ['Alan Turing', 'alan@bletchley.example'],
            ['Jordan Lee', 'jordan@mail.example'],
            ['Sam Carter', 'sam.leeward@mail.example'],
            ['Robin Quist', 'robin@quiet.example'],
            ['Discount 100% sure', 'percent-a@literal.example'],
            ['Discount 1000 sure', 'percent-b@literal.example'],
            ['Under_score', 'under-a@literal.example'],
            ['UnderXscore', 'under-b@literal.example'],
            ['Back\\slash', 'back-a@literal.example'],
            ['Backslash', 'back-b@literal.example'],
            ['Mail Only', 'first_last@literal.example'],
            ['Mail Only Too', 'firstxlast@literal.example'],
          ] as const) {
            await kind.create(em, { name, email: address });
          }
        });

        const search = async (q: string): Promise<string[]> => {
          const body = personListOf(await t.http.get(api).query({ q }).expect(200));
          expect(body.meta.total).toBe(body.data.length);
          return namesOf(body.data);
        };

        it('matches the name case-insensitively', async () => {
          expect(await search('TURING')).toEqual(['Alan Turing']);
          expect(await search('ada lOVE')).toEqual(['Ada Lovelace']);
          expect(await search('CARTER')).toEqual(['Sam Carter']);
          expect(await search('jordan lEE')).toEqual(['Jordan Lee']);
        });

        it('matches the e-mail address case-insensitively', async () => {
          expect(await search('BLETCHLEY.EXAMPLE')).toEqual(['Alan Turing']);
          expect(await search('QUIET.EXAMPLE')).toEqual(['Robin Quist']);
        });

        it('matches the name or the e-mail address', async () => {
          expect(await search('lovelace')).toEqual(['Ada Lovelace', 'Grace Hopper']);
          expect(await search('lee')).toEqual(['Jordan Lee', 'Sam Carter']);
        });

        it('matches anywhere in the text', async () => {
          expect(await search('urin')).toEqual(['Alan Turing']);
          expect(await search('arte')).toEqual(['Sam Carter']);
        });

        it('ignores surrounding whitespace', async () => {
          expect(await search('  turing  ')).toEqual(['Alan Turing']);
          expect(await search('  carter  ')).toEqual(['Sam Carter']);
        });

        it('takes % literally', async () => {
          expect(await search('100%')).toEqual(['Discount 100% sure']);
          expect(await search('%')).toEqual(['Discount 100% sure']);
        });

        it('takes _ literally', async () => {
          expect(await search('r_s')).toEqual(['Under_score']);
          expect(await search('t_l')).toEqual(['Mail Only']);
        });

        it('takes \\ literally', async () => {
          expect(await search('k\\s')).toEqual(['Back\\slash']);
        });

        it('rejects a NUL character in q with a 400 naming q', async () => {
          const problem = problemOf(await t.http.get(api).query({ q: 'a\u0000b' }), 400);
          expect(fieldsOf(problem)).toEqual(['q']);
        });

        it('returns an empty page when nothing matches', async () => {
          const body = personListOf(await list(`?q=no-such-${kind.noun}-anywhere`).expect(200));
          expect(body).toEqual({ data: [], meta: { page: 1, page_size: 25, total: 0 } });
        });
      });

      describe('sort and order', () => {
        // Created in this order (ids ascending); name, e-mail and created_at each order them differently.
        beforeAll(async () => {
          const em = t.em();
          for (const [name, address, day] of [
            ['Sortable Charlie', 'sortable-3@sorting.example', '02'],
            ['Sortable Alpha', 'sortable-2@sorting.example', '01'],
            ['Sortable Bravo', 'sortable-1@sorting.example', '03'],
          ] as const) {
            await kind.create(em, { name, email: address, createdAt: new Date(`2024-01-${day}T00:00:00Z`) });
          }
        });

        const sorted = async (query: string): Promise<string[]> =>
          namesOf(personListOf(await list(`?q=sortable${query}`).expect(200)).data);

        it('sorts by name ascending by default', async () => {
          expect(await sorted('')).toEqual(['Sortable Alpha', 'Sortable Bravo', 'Sortable Charlie']);
          expect(await sorted('&order=asc')).toEqual([
            'Sortable Alpha',
            'Sortable Bravo',
            'Sortable Charlie',
          ]);
        });

        it('sorts by name', async () => {
          expect(await sorted('&sort=name')).toEqual([
            'Sortable Alpha',
            'Sortable Bravo',
            'Sortable Charlie',
          ]);
          expect(await sorted('&sort=name&order=desc')).toEqual([
            'Sortable Charlie',
            'Sortable Bravo',
            'Sortable Alpha',
          ]);
        });

        it('sorts by email', async () => {
          expect(await sorted('&sort=email')).toEqual([
            'Sortable Bravo',
            'Sortable Alpha',
            'Sortable Charlie',
          ]);
          expect(await sorted('&sort=email&order=desc')).toEqual([
            'Sortable Charlie',
            'Sortable Alpha',
            'Sortable Bravo',
          ]);
        });

        it('sorts by created_at', async () => {
          expect(await sorted('&sort=created_at&order=asc')).toEqual([
            'Sortable Alpha',
            'Sortable Charlie',
            'Sortable Bravo',
          ]);
          expect(await sorted('&sort=created_at&order=desc')).toEqual([
            'Sortable Bravo',
            'Sortable Charlie',
            'Sortable Alpha',
          ]);
        });

        it('orders descending by name when only order=desc is given', async () => {
          expect(await sorted('&order=desc')).toEqual([
            'Sortable Charlie',
            'Sortable Bravo',
            'Sortable Alpha',
          ]);
        });

        it('breaks ties by id, so pages are disjoint and complete', async () => {
          const pages = await Promise.all(
            [1, 2, 3].map(async (page) =>
              personListOf(
                await list(`?q=paged&sort=created_at&order=desc&page=${page}&page_size=11`).expect(200),
              ).data.map((person) => person.id),
            ),
          );
          // The 30 paged rows share one created_at, so the order is the id's alone.
          expect(pages.flat()).toEqual(paged.map((p) => p.id).reverse());
        });
      });

      describe('invalid parameters', () => {
        it.each([
          ['page=0', 'page'],
          ['page=-1', 'page'],
          ['page=abc', 'page'],
          ['page=1.5', 'page'],
          ['page=', 'page'],
          ['page_size=101', 'page_size'],
          ['page_size=0', 'page_size'],
          ['page_size=ten', 'page_size'],
          ['sort=bogus', 'sort'],
          ['sort=NAME', 'sort'],
          ['sort=date_of_birth', 'sort'],
          ['order=sideways', 'order'],
          ['order=DESC', 'order'],
          ['foo=1', 'foo'],
          ['page=1&page=2', 'page'],
          ['page_size=10&page_size=20', 'page_size'],
          ['sort=name&sort=email', 'sort'],
          ['order=asc&order=desc', 'order'],
          ['q=a&q=b', 'q'],
          [`q=${'x'.repeat(201)}`, 'q'],
        ])('rejects %s with a 400 naming %s', async (query, field) => {
          const problem = problemOf(await list(`?${query}`), 400);
          expect(problem.type).toBe('/problems/validation-error');
          expect(fieldsOf(problem)).toEqual([field]);
          expect(problem.instance).toBe(`${api}?${query}`);
        });

        it('lists every bad parameter at once', async () => {
          const problem = problemOf(await list('?page=0&page_size=101&sort=bogus&order=sideways&foo=1'), 400);
          expect(fieldsOf(problem)).toEqual(['foo', 'order', 'page', 'page_size', 'sort']);
          const foo = problem.errors.find((error) => error.field === 'foo');
          expect(foo?.message).toBe('foo is not a known field');
        });
      });
    });

    describe(`GET ${api}/:id`, () => {
      it.each(['999999', '2147483647'])('answers 404 for the unknown id %s', async (id) => {
        const problem = problemOf(await t.http.get(`${api}/${id}`), 404);
        expect(problem.type).toBe('/problems/not-found');
        expect(problem.detail).toBe(`${kind.Noun} ${id} does not exist.`);
        expect(problem.errors).toEqual([]);
      });

      it.each(BAD_IDS)('rejects the id %s with a 400 naming id', async (id) => {
        const problem = problemOf(await t.http.get(`${api}/${id}`), 400);
        expect(problem.type).toBe('/problems/validation-error');
        expect(fieldsOf(problem)).toEqual(['id']);
      });
    });

    describe(`POST ${api}`, () => {
      it('creates nothing when the body is invalid', async () => {
        problemOf(await create({ name: 'Rejected', email: email('rejected'), bogus: true }), 400);
        expect(await kind.count(t.em(), { email: email('rejected') })).toBe(0);
      });

      it('answers 409 naming email for an e-mail already in use', async () => {
        await create({ name: 'First Taken', email: email('taken') }).expect(201);
        const problem = problemOf(await create({ name: 'Second Taken', email: email('taken') }), 409);
        expect(problem.type).toBe('/problems/conflict');
        expect(problem.errors).toEqual([
          { field: 'email', message: `email is already used by another ${kind.noun}` },
        ]);
        expect(await kind.count(t.em(), { email: email('taken') })).toBe(1);
      });

      it('answers 409 for an e-mail that differs only in case', async () => {
        await create({ name: 'Case One', email: email('case') }).expect(201);
        const problem = problemOf(await create({ name: 'Case Two', email: ` CASE@${kind.domain} ` }), 409);
        expect(fieldsOf(problem)).toEqual(['email']);
      });

      it('answers 409 for an e-mail written with another Unicode form of the same letters (stored as NFC)', async () => {
        const created = personOf(
          await create({ name: 'Rene\u0301e', email: email('re\u0301nee') }).expect(201),
        );
        expect(created.email).toBe(email('r\u00e9nee'));
        expect(created.name).toBe('Ren\u00e9e');
        const problem = problemOf(await create({ name: 'R', email: email('r\u00e9nee') }), 409);
        expect(fieldsOf(problem)).toEqual(['email']);
      });

      it('still works after a conflict', async () => {
        await create({ name: 'Again', email: email('again') }).expect(201);
        problemOf(await create({ name: 'Again', email: email('again') }), 409);
        const created = personOf(await create({ name: 'Again', email: email('again2') }).expect(201));
        expect(created.email).toBe(email('again2'));
      });

      it('answers 400 for malformed JSON', async () => {
        const response = await t.http
          .post(api)
          .set('Content-Type', 'application/json')
          .send('{"name": "Broken",');
        expect(problemOf(response, 400).type).toBe('/problems/malformed-json');
      });

      it('answers 415 for a body that is not JSON', async () => {
        const response = await t.http.post(api).set('Content-Type', 'text/plain').send('name=Text');
        expect(problemOf(response, 415).type).toBe('/problems/unsupported-media-type');
      });

      it.each([
        ['an array', '[]'],
        ['a string', '"A String"'],
        ['null', 'null'],
      ])('answers 400 for %s instead of an object', async (_label, json) => {
        const response = await t.http.post(api).set('Content-Type', 'application/json').send(json);
        const problem = problemOf(response, 400);
        expect(['/problems/malformed-json', '/problems/validation-error']).toContain(problem.type);
      });
    });

    describe(`PATCH ${api}/:id`, () => {
      it(`accepts the ${kind.noun}’s own e-mail in another case`, async () => {
        const person = await kind.create(t.em());
        const own = person.email ?? '';
        const updated = personOf(await update(person.id, { email: own.toUpperCase() }).expect(200));
        expect(updated.email).toBe(own);
      });

      it(`answers 409 naming email for an e-mail another ${kind.noun} uses, also in another case`, async () => {
        const other = await kind.create(t.em());
        const person = await kind.create(t.em());
        const taken = other.email ?? '';
        for (const address of [taken, taken.toUpperCase()]) {
          const problem = problemOf(await update(person.id, { email: address }), 409);
          expect(problem.type).toBe('/problems/conflict');
          expect(fieldsOf(problem)).toEqual(['email']);
        }
        expect((await kind.find(t.em(), person.id)).email).toBe(person.email);
      });

      it('answers 404 for an unknown id', async () => {
        const problem = problemOf(await update(999999, { name: 'Nobody' }), 404);
        expect(problem.type).toBe('/problems/not-found');
        expect(problem.detail).toBe(`${kind.Noun} 999999 does not exist.`);
      });

      it.each(BAD_IDS)('rejects the id %s with a 400 naming id', async (id) => {
        const problem = problemOf(await update(id, { name: 'Bad Id' }), 400);
        expect(fieldsOf(problem)).toEqual(['id']);
      });
    });
  });
});
