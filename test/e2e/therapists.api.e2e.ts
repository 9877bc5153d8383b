import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TherapistResponse } from '../../src/therapists/dto/therapist.dto.js';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf, therapistListOf, therapistOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SHARED_CREATED_AT = new Date('2024-03-01T00:00:00.000Z');
const BAD_IDS = ['0', 'abc', '1e3', '01', '99999999999', '-1', '1.5', '2147483648'];

describe('/api/therapists', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const list = (query: string) => t.http.get(`/api/therapists${query}`);
  const create = (body: object) => t.http.post('/api/therapists').send(body);
  const update = (id: number | string, body: object) => t.http.patch(`/api/therapists/${id}`).send(body);
  const namesOf = (therapists: TherapistResponse[]): string[] =>
    therapists.map((therapist) => therapist.name);

  describe('GET /api/therapists', () => {
    // 30 therapists only this block's `q=paged` matches, so totals are exact whatever else the suite creates.
    const paged: Therapist[] = [];

    beforeAll(async () => {
      const em = t.em();
      for (let n = 1; n <= 30; n++) {
        const nn = String(n).padStart(2, '0');
        paged.push(
          await createTherapist(em, {
            name: `Paged ${nn}`,
            email: `paged-${nn}@pagination.example`,
            createdAt: SHARED_CREATED_AT,
          }),
        );
      }
    });

    describe('pagination', () => {
      it('defaults to page 1 of 25, with the total of all therapists', async () => {
        const total = await t.em().count(Therapist);
        expect(total).toBeGreaterThanOrEqual(30);
        const body = therapistListOf(await list('').expect(200));
        expect(body.meta).toEqual({ page: 1, page_size: 25, total });
        expect(body.data).toHaveLength(25);
      });

      it('returns the first page_size items of the matching ones, sorted by name', async () => {
        const body = therapistListOf(await list('?q=paged').expect(200));
        expect(body.meta).toEqual({ page: 1, page_size: 25, total: 30 });
        expect(body.data.map((therapist) => therapist.id)).toEqual(paged.slice(0, 25).map((p) => p.id));
      });

      it('returns the rest on page 2', async () => {
        const body = therapistListOf(await list('?q=paged&page=2').expect(200));
        expect(body.meta).toEqual({ page: 2, page_size: 25, total: 30 });
        expect(body.data.map((therapist) => therapist.id)).toEqual(paged.slice(25).map((p) => p.id));
      });

      it('honours page_size and page together', async () => {
        const body = therapistListOf(await list('?q=paged&page=3&page_size=7').expect(200));
        expect(body.meta).toEqual({ page: 3, page_size: 7, total: 30 });
        expect(namesOf(body.data)).toEqual(paged.slice(14, 21).map((p) => p.name));
      });

      it('accepts the limits page_size=1 and page_size=100', async () => {
        const one = therapistListOf(await list('?q=paged&page_size=1').expect(200));
        expect(one.meta).toEqual({ page: 1, page_size: 1, total: 30 });
        expect(namesOf(one.data)).toEqual(['Paged 01']);
        const hundred = therapistListOf(await list('?q=paged&page_size=100').expect(200));
        expect(hundred.meta).toEqual({ page: 1, page_size: 100, total: 30 });
        expect(hundred.data).toHaveLength(30);
      });

      it('returns no data but the right total for a page beyond the end', async () => {
        const body = therapistListOf(await list('?q=paged&page=3').expect(200));
        expect(body).toEqual({ data: [], meta: { page: 3, page_size: 25, total: 30 } });
        const far = therapistListOf(await list('?q=paged&page=1000&page_size=100').expect(200));
        expect(far).toEqual({ data: [], meta: { page: 1000, page_size: 100, total: 30 } });
      });

      it('answers an empty page, not an error, for the largest page number', async () => {
        const body = therapistListOf(await list('?q=paged&page=999999999999999&page_size=100').expect(200));
        expect(body).toEqual({ data: [], meta: { page: 999999999999999, page_size: 100, total: 30 } });
      });

      it('returns the full therapist representation in data', async () => {
        const first = paged[0];
        if (!first) throw new Error('no therapists arranged');
        const body = therapistListOf(await list('?q=paged&page_size=1').expect(200));
        expect(body.data).toEqual([
          {
            id: first.id,
            name: 'Paged 01',
            email: 'paged-01@pagination.example',
            specialty: null,
            time_zone: null,
            buffer_minutes: 10,
            created_at: first.createdAt.toISOString(),
            updated_at: first.updatedAt.toISOString(),
          },
        ]);
      });
    });

    describe('q', () => {
      beforeAll(async () => {
        const em = t.em();
        await createTherapist(em, { name: 'Ada Lovelace', email: 'countess@analytical.example' });
        await createTherapist(em, { name: 'Grace Hopper', email: 'grace.lovelace-fan@navy.example' });
        await createTherapist(em, { name: 'Alan Turing', email: 'alan@bletchley.example' });
        await createTherapist(em, { name: 'Discount 100% sure', email: 'percent-a@literal.example' });
        await createTherapist(em, { name: 'Discount 1000 sure', email: 'percent-b@literal.example' });
        await createTherapist(em, { name: 'Under_score', email: 'under-a@literal.example' });
        await createTherapist(em, { name: 'UnderXscore', email: 'under-b@literal.example' });
        await createTherapist(em, { name: 'Back\\slash', email: 'back-a@literal.example' });
        await createTherapist(em, { name: 'Backslash', email: 'back-b@literal.example' });
        await createTherapist(em, { name: 'Mail Only', email: 'first_last@literal.example' });
        await createTherapist(em, { name: 'Mail Only Too', email: 'firstxlast@literal.example' });
      });

      const search = async (q: string): Promise<string[]> => {
        const body = therapistListOf(await t.http.get('/api/therapists').query({ q }).expect(200));
        expect(body.meta.total).toBe(body.data.length);
        return namesOf(body.data);
      };

      it('matches the name case-insensitively', async () => {
        expect(await search('TURING')).toEqual(['Alan Turing']);
        expect(await search('ada lOVE')).toEqual(['Ada Lovelace']);
      });

      it('matches the e-mail address case-insensitively', async () => {
        expect(await search('BLETCHLEY.EXAMPLE')).toEqual(['Alan Turing']);
      });

      it('matches the name or the e-mail address', async () => {
        expect(await search('lovelace')).toEqual(['Ada Lovelace', 'Grace Hopper']);
      });

      it('matches anywhere in the text', async () => {
        expect(await search('urin')).toEqual(['Alan Turing']);
      });

      it('ignores surrounding whitespace', async () => {
        expect(await search('  turing  ')).toEqual(['Alan Turing']);
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
        const problem = problemOf(await t.http.get('/api/therapists').query({ q: 'a\u0000b' }), 400);
        expect(fieldsOf(problem)).toEqual(['q']);
      });

      it('returns an empty page when nothing matches', async () => {
        const body = therapistListOf(await list('?q=no-such-therapist-anywhere').expect(200));
        expect(body).toEqual({ data: [], meta: { page: 1, page_size: 25, total: 0 } });
      });
    });

    describe('sort and order', () => {
      // Created in this order (ids ascending); name, e-mail and created_at each order them differently.
      beforeAll(async () => {
        const em = t.em();
        await createTherapist(em, {
          name: 'Sortable Charlie',
          email: 'sortable-3@sorting.example',
          createdAt: new Date('2024-01-02T00:00:00Z'),
        });
        await createTherapist(em, {
          name: 'Sortable Alpha',
          email: 'sortable-2@sorting.example',
          createdAt: new Date('2024-01-01T00:00:00Z'),
        });
        await createTherapist(em, {
          name: 'Sortable Bravo',
          email: 'sortable-1@sorting.example',
          createdAt: new Date('2024-01-03T00:00:00Z'),
        });
      });

      const sorted = async (query: string): Promise<string[]> =>
        namesOf(therapistListOf(await list(`?q=sortable${query}`).expect(200)).data);

      it('sorts by name ascending by default', async () => {
        expect(await sorted('')).toEqual(['Sortable Alpha', 'Sortable Bravo', 'Sortable Charlie']);
        expect(await sorted('&order=asc')).toEqual(['Sortable Alpha', 'Sortable Bravo', 'Sortable Charlie']);
      });

      it('sorts by name', async () => {
        expect(await sorted('&sort=name')).toEqual(['Sortable Alpha', 'Sortable Bravo', 'Sortable Charlie']);
        expect(await sorted('&sort=name&order=desc')).toEqual([
          'Sortable Charlie',
          'Sortable Bravo',
          'Sortable Alpha',
        ]);
      });

      it('sorts by email', async () => {
        expect(await sorted('&sort=email')).toEqual(['Sortable Bravo', 'Sortable Alpha', 'Sortable Charlie']);
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
        expect(await sorted('&order=desc')).toEqual(['Sortable Charlie', 'Sortable Bravo', 'Sortable Alpha']);
      });

      it('breaks ties by id, so pages are disjoint and complete', async () => {
        const pages = await Promise.all(
          [1, 2, 3].map(async (page) =>
            therapistListOf(
              await list(`?q=paged&sort=created_at&order=desc&page=${page}&page_size=11`).expect(200),
            ).data.map((therapist) => therapist.id),
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
        expect(problem.instance).toBe(`/api/therapists?${query}`);
      });

      it('lists every bad parameter at once', async () => {
        const problem = problemOf(await list('?page=0&page_size=101&sort=bogus&order=sideways&foo=1'), 400);
        expect(fieldsOf(problem)).toEqual(['foo', 'order', 'page', 'page_size', 'sort']);
        const foo = problem.errors.find((error) => error.field === 'foo');
        expect(foo?.message).toBe('foo is not a known field');
      });
    });
  });

  describe('GET /api/therapists/:id', () => {
    it('returns the therapist', async () => {
      const therapist = await createTherapist(t.em(), { name: 'Dr. Get One', specialty: 'Play therapy' });
      const response = await t.http.get(`/api/therapists/${therapist.id}`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(therapistOf(response)).toEqual({
        id: therapist.id,
        name: 'Dr. Get One',
        email: therapist.email,
        specialty: 'Play therapy',
        time_zone: null,
        buffer_minutes: 10,
        created_at: therapist.createdAt.toISOString(),
        updated_at: therapist.updatedAt.toISOString(),
      });
    });

    it.each(['999999', '2147483647'])('answers 404 for the unknown id %s', async (id) => {
      const problem = problemOf(await t.http.get(`/api/therapists/${id}`), 404);
      expect(problem.type).toBe('/problems/not-found');
      expect(problem.detail).toBe(`Therapist ${id} does not exist.`);
      expect(problem.errors).toEqual([]);
    });

    it.each(BAD_IDS)('rejects the id %s with a 400 naming id', async (id) => {
      const problem = problemOf(await t.http.get(`/api/therapists/${id}`), 400);
      expect(problem.type).toBe('/problems/validation-error');
      expect(fieldsOf(problem)).toEqual(['id']);
    });
  });

  describe('POST /api/therapists', () => {
    it('creates a therapist: 201, Location and the created body', async () => {
      const before = Date.now();
      const response = await create({
        name: 'Dr. Maya Chen',
        email: 'maya.chen@clinic.example',
        specialty: 'Cognitive behavioural therapy',
      }).expect(201);
      const created = therapistOf(response);
      expect(response.headers.location).toBe(`/api/therapists/${created.id}`);
      expect(created).toEqual({
        id: expect.any(Number),
        name: 'Dr. Maya Chen',
        email: 'maya.chen@clinic.example',
        specialty: 'Cognitive behavioural therapy',
        time_zone: null,
        buffer_minutes: 10,
        created_at: expect.stringMatching(ISO_INSTANT),
        updated_at: expect.stringMatching(ISO_INSTANT),
      });
      expect(Date.parse(created.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(created.updated_at).toBe(created.created_at);

      const fetched = therapistOf(await t.http.get(`/api/therapists/${created.id}`).expect(200));
      expect(fetched).toEqual(created);
    });

    it('trims the name and e-mail, and lower-cases the e-mail', async () => {
      const created = therapistOf(
        await create({ name: '  Dr. Trim  ', email: '  Trim.Me@Clinic.EXAMPLE ' }).expect(201),
      );
      expect(created.name).toBe('Dr. Trim');
      expect(created.email).toBe('trim.me@clinic.example');
      const stored = await t.em().findOneOrFail(Therapist, created.id);
      expect(stored.email).toBe('trim.me@clinic.example');
    });

    it('defaults the optional specialty to null', async () => {
      const created = therapistOf(
        await create({ name: 'Dr. Plain', email: 'plain@clinic.example' }).expect(201),
      );
      expect(created.specialty).toBeNull();
    });

    it('stores an empty or null specialty as null', async () => {
      const empty = therapistOf(
        await create({ name: 'Dr. Empty', email: 'empty@clinic.example', specialty: '  ' }).expect(201),
      );
      expect(empty.specialty).toBeNull();
      const nulled = therapistOf(
        await create({ name: 'Dr. Null', email: 'null@clinic.example', specialty: null }).expect(201),
      );
      expect(nulled.specialty).toBeNull();
    });

    it('accepts a 200-character name and specialty', async () => {
      const created = therapistOf(
        await create({
          name: 'N'.repeat(200),
          email: 'long@clinic.example',
          specialty: 'S'.repeat(200),
        }).expect(201),
      );
      expect(created.name).toHaveLength(200);
      expect(created.specialty).toHaveLength(200);
    });

    it('lists every missing field', async () => {
      const problem = problemOf(await create({}), 400);
      expect(problem.type).toBe('/problems/validation-error');
      expect(fieldsOf(problem)).toEqual(['email', 'name']);
    });

    it('lists every invalid field, not only the first', async () => {
      const problem = problemOf(await create({ name: '', email: 'not-an-email', specialty: 42 }), 400);
      expect(fieldsOf(problem)).toEqual(['email', 'name', 'specialty']);
      expect(problem.errors).toContainEqual({
        field: 'email',
        message: 'email must be a valid e-mail address',
      });
      expect(problem.errors).toContainEqual({
        field: 'name',
        message: 'name must be between 1 and 200 characters',
      });
    });

    it.each([
      ['a blank name', { name: '   ', email: 'blank@clinic.example' }, 'name'],
      ['a 201-character name', { name: 'N'.repeat(201), email: 'n201@clinic.example' }, 'name'],
      ['a numeric name', { name: 7, email: 'numeric@clinic.example' }, 'name'],
      ['an e-mail without a domain', { name: 'Dr. X', email: 'x@' }, 'email'],
      [
        'an over-long e-mail',
        { name: 'Dr. X', email: `${'a'.repeat(64)}@${'b'.repeat(190)}.example` },
        'email',
      ],
      ['an e-mail that is not a string', { name: 'Dr. X', email: ['x@clinic.example'] }, 'email'],
      // JSON Schema's maxLength and PostgreSQL's varchar(200) both count code points: ❤️ is two (U+2764 U+FE0F).
      [
        'a name of 202 code points',
        { name: '\u2764\uFE0F'.repeat(101), email: 'emoji@clinic.example' },
        'name',
      ],
      ['a name containing a NUL character', { name: 'Dr. \u0000', email: 'nul@clinic.example' }, 'name'],
      [
        'a specialty of 202 code points',
        { name: 'Dr. X', email: 'emoji-s@clinic.example', specialty: '\u2764\uFE0F'.repeat(101) },
        'specialty',
      ],
      [
        'a 201-character specialty',
        { name: 'Dr. X', email: 's201@clinic.example', specialty: 'S'.repeat(201) },
        'specialty',
      ],
    ])('rejects %s with a 400 naming it', async (_label, body, field) => {
      const problem = problemOf(await create(body), 400);
      expect(fieldsOf(problem)).toEqual([field]);
    });

    it.each(['name', 'email'])('rejects null for the required %s', async (field) => {
      const problem = problemOf(
        await create({ name: 'Dr. Null Check', email: 'null-check@clinic.example', [field]: null }),
        400,
      );
      expect(fieldsOf(problem)).toEqual([field]);
    });

    it.each(['id', 'created_at', 'phone', 'Name'])('rejects the unknown body field %s', async (field) => {
      const problem = problemOf(
        await create({ name: 'Dr. Extra', email: `extra-${field}@clinic.example`, [field]: 'x' }),
        400,
      );
      expect(problem.errors).toEqual([{ field, message: `${field} is not a known field` }]);
    });

    it('lists an unknown field together with invalid ones', async () => {
      const problem = problemOf(await create({ name: '', email: 'nope', age: 40 }), 400);
      expect(fieldsOf(problem)).toEqual(['age', 'email', 'name']);
    });

    it('creates nothing when the body is invalid', async () => {
      problemOf(await create({ name: 'Dr. Rejected', email: 'rejected@clinic.example', bogus: true }), 400);
      expect(await t.em().count(Therapist, { email: 'rejected@clinic.example' })).toBe(0);
    });

    it('answers 409 naming email for an e-mail already in use', async () => {
      await create({ name: 'Dr. First', email: 'taken@clinic.example' }).expect(201);
      const problem = problemOf(await create({ name: 'Dr. Second', email: 'taken@clinic.example' }), 409);
      expect(problem.type).toBe('/problems/conflict');
      expect(problem.errors).toEqual([
        { field: 'email', message: 'email is already used by another therapist' },
      ]);
      expect(await t.em().count(Therapist, { email: 'taken@clinic.example' })).toBe(1);
    });

    it('answers 409 for an e-mail that differs only in case', async () => {
      await create({ name: 'Dr. Case', email: 'case@clinic.example' }).expect(201);
      const problem = problemOf(await create({ name: 'Dr. CASE', email: ' CASE@Clinic.Example ' }), 409);
      expect(fieldsOf(problem)).toEqual(['email']);
    });

    it('answers 409 for an e-mail written with another Unicode form of the same letters (stored as NFC)', async () => {
      const created = therapistOf(
        await create({ name: 'Dr. Rene\u0301e', email: 're\u0301nee@clinic.example' }).expect(201),
      );
      expect(created.email).toBe('r\u00e9nee@clinic.example');
      expect(created.name).toBe('Dr. Ren\u00e9e');
      const problem = problemOf(await create({ name: 'Dr. R', email: 'r\u00e9nee@clinic.example' }), 409);
      expect(fieldsOf(problem)).toEqual(['email']);
    });

    it('still works after a conflict', async () => {
      await create({ name: 'Dr. Again', email: 'again@clinic.example' }).expect(201);
      problemOf(await create({ name: 'Dr. Again', email: 'again@clinic.example' }), 409);
      const created = therapistOf(
        await create({ name: 'Dr. Again', email: 'again2@clinic.example' }).expect(201),
      );
      expect(created.email).toBe('again2@clinic.example');
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await t.http
        .post('/api/therapists')
        .set('Content-Type', 'application/json')
        .send('{"name": "Dr. Broken",');
      expect(problemOf(response, 400).type).toBe('/problems/malformed-json');
    });

    it('answers 415 for a body that is not JSON', async () => {
      const response = await t.http
        .post('/api/therapists')
        .set('Content-Type', 'text/plain')
        .send('name=Dr. Text');
      expect(problemOf(response, 415).type).toBe('/problems/unsupported-media-type');
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"Dr. String"'],
      ['null', 'null'],
    ])('answers 400 for %s instead of an object', async (_label, json) => {
      const response = await t.http
        .post('/api/therapists')
        .set('Content-Type', 'application/json')
        .send(json);
      const problem = problemOf(response, 400);
      expect(['/problems/malformed-json', '/problems/validation-error']).toContain(problem.type);
    });
  });

  describe('PATCH /api/therapists/:id', () => {
    const past = new Date('2024-06-01T12:00:00.000Z');
    const arrange = (data: Partial<Therapist> = {}): Promise<Therapist> =>
      createTherapist(t.em(), { specialty: 'Family therapy', createdAt: past, updatedAt: past, ...data });

    it('changes only the name when only the name is sent', async () => {
      const therapist = await arrange();
      const updated = therapistOf(await update(therapist.id, { name: '  Dr. Renamed ' }).expect(200));
      expect(updated).toEqual({
        id: therapist.id,
        name: 'Dr. Renamed',
        email: therapist.email,
        specialty: 'Family therapy',
        time_zone: null,
        buffer_minutes: 10,
        created_at: past.toISOString(),
        updated_at: expect.stringMatching(ISO_INSTANT),
      });
      expect(therapistOf(await t.http.get(`/api/therapists/${therapist.id}`).expect(200))).toEqual(updated);
    });

    it('changes only the e-mail when only the e-mail is sent, trimmed and lower-cased', async () => {
      const therapist = await arrange();
      const updated = therapistOf(
        await update(therapist.id, { email: ' New.Address@Clinic.Example' }).expect(200),
      );
      expect(updated).toMatchObject({
        name: therapist.name,
        email: 'new.address@clinic.example',
        specialty: 'Family therapy',
      });
    });

    it('changes only the specialty when only the specialty is sent', async () => {
      const therapist = await arrange();
      const updated = therapistOf(await update(therapist.id, { specialty: 'Art therapy' }).expect(200));
      expect(updated).toMatchObject({
        name: therapist.name,
        email: therapist.email,
        specialty: 'Art therapy',
      });
    });

    it('changes several fields at once', async () => {
      const therapist = await arrange();
      const updated = therapistOf(
        await update(therapist.id, {
          name: 'Dr. Both',
          email: 'both@clinic.example',
          specialty: 'EMDR',
        }).expect(200),
      );
      expect(updated).toMatchObject({ name: 'Dr. Both', email: 'both@clinic.example', specialty: 'EMDR' });
    });

    it('clears the specialty with null', async () => {
      const therapist = await arrange();
      const updated = therapistOf(await update(therapist.id, { specialty: null }).expect(200));
      expect(updated.specialty).toBeNull();
      const stored = await t.em().findOneOrFail(Therapist, therapist.id);
      expect(stored.specialty).toBeNull();
      expect(stored.name).toBe(therapist.name);
    });

    it('moves updated_at forward and leaves created_at alone', async () => {
      const therapist = await arrange();
      const updated = therapistOf(await update(therapist.id, { specialty: 'Schema therapy' }).expect(200));
      expect(updated.created_at).toBe(past.toISOString());
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(past.getTime());
      const again = therapistOf(await update(therapist.id, { specialty: 'Gestalt' }).expect(200));
      expect(Date.parse(again.updated_at)).toBeGreaterThanOrEqual(Date.parse(updated.updated_at));
    });

    it('changes nothing for an empty body', async () => {
      const therapist = await arrange();
      const updated = therapistOf(await update(therapist.id, {}).expect(200));
      expect(updated).toEqual({
        id: therapist.id,
        name: therapist.name,
        email: therapist.email,
        specialty: 'Family therapy',
        time_zone: null,
        buffer_minutes: 10,
        created_at: past.toISOString(),
        updated_at: past.toISOString(),
      });
    });

    it('accepts the therapist’s own e-mail in another case', async () => {
      const therapist = await arrange();
      const updated = therapistOf(
        await update(therapist.id, { email: therapist.email.toUpperCase() }).expect(200),
      );
      expect(updated.email).toBe(therapist.email);
    });

    it.each(['name', 'email'])('rejects null for the required %s', async (field) => {
      const therapist = await arrange();
      const problem = problemOf(await update(therapist.id, { [field]: null }), 400);
      expect(fieldsOf(problem)).toEqual([field]);
      const stored = await t.em().findOneOrFail(Therapist, therapist.id);
      expect(stored.name).toBe(therapist.name);
      expect(stored.email).toBe(therapist.email);
    });

    it('lists every invalid field', async () => {
      const therapist = await arrange();
      const problem = problemOf(
        await update(therapist.id, { name: ' ', email: 'no-at-sign', specialty: 'S'.repeat(201) }),
        400,
      );
      expect(fieldsOf(problem)).toEqual(['email', 'name', 'specialty']);
      const stored = await t.em().findOneOrFail(Therapist, therapist.id);
      expect(stored.specialty).toBe('Family therapy');
    });

    it('rejects an unknown field, naming it', async () => {
      const therapist = await arrange();
      const problem = problemOf(await update(therapist.id, { specialty: 'Art', title: 'Dr.' }), 400);
      expect(problem.errors).toEqual([{ field: 'title', message: 'title is not a known field' }]);
      const stored = await t.em().findOneOrFail(Therapist, therapist.id);
      expect(stored.specialty).toBe('Family therapy');
    });

    it('answers 409 naming email for an e-mail another therapist uses, also in another case', async () => {
      const other = await arrange();
      const therapist = await arrange();
      for (const email of [other.email, other.email.toUpperCase()]) {
        const problem = problemOf(await update(therapist.id, { email }), 409);
        expect(problem.type).toBe('/problems/conflict');
        expect(fieldsOf(problem)).toEqual(['email']);
      }
      const stored = await t.em().findOneOrFail(Therapist, therapist.id);
      expect(stored.email).toBe(therapist.email);
    });

    it('answers 404 for an unknown id', async () => {
      const problem = problemOf(await update(999999, { name: 'Dr. Nobody' }), 404);
      expect(problem.type).toBe('/problems/not-found');
      expect(problem.detail).toBe('Therapist 999999 does not exist.');
    });

    it.each(BAD_IDS)('rejects the id %s with a 400 naming id', async (id) => {
      const problem = problemOf(await update(id, { name: 'Dr. Bad Id' }), 400);
      expect(fieldsOf(problem)).toEqual(['id']);
    });
  });
});
