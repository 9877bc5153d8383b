import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Therapist } from '../../src/therapists/therapist.entity.js';
import { createTherapist } from '../utils/factories.js';
import { fieldsOf, problemOf, therapistOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('/api/therapists', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const create = (body: object) => t.http.post('/api/therapists').send(body);
  const update = (id: number | string, body: object) => t.http.patch(`/api/therapists/${id}`).send(body);

  // The list, search, sort, pagination and what both kinds refuse alike are people.api.e2e.ts's.
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
  });
});
