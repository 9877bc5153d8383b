import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fieldsOf, problemOf } from '../utils/http.js';
import { PERSON_KINDS, personListOf, type PersonBody, type PersonRecord } from '../utils/people.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SHARED_CREATED_AT = new Date('2024-03-01T00:00:00.000Z');

// The therapist and patient lists: pagination, search, sort and their parameters, alike for both kinds.
describe('GET /api/therapists and /api/patients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe.each(PERSON_KINDS)('/api/%s', (plural, kind) => {
    const api = `/api${kind.path}`;
    const list = (query: string) => t.http.get(`${api}${query}`);
    const namesOf = (people: PersonBody[]): string[] => people.map((person) => person.name);

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
    });
  });
});
