import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fieldsOf, problemOf } from '../utils/http.js';
import { PERSON_KINDS, personOf } from '../utils/people.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

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
    const email = (local: string): string => `${local}@${kind.domain}`;

    describe(`GET ${api} with invalid parameters`, () => {
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
        expect(foo?.message).toBe('foo is not a known parameter');
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
