import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PatientResponse } from '../../src/patients/dto/patient.dto.js';
import { Patient } from '../../src/patients/patient.entity.js';
import { createPatient } from '../utils/factories.js';
import { fieldsOf, patientListOf, patientOf, problemOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Today's date in UTC, which is never in the future anywhere. */
const todayUtc = (): string => new Date().toISOString().slice(0, 10);
const nextYear = (): number => new Date().getUTCFullYear() + 1;

describe('/api/patients', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const create = (body: object) => t.http.post('/api/patients').send(body);
  const namesOf = (patients: PatientResponse[]): string[] => patients.map((patient) => patient.name);

  // The list, search, sort and pagination are people.api.e2e.ts's; only a patient can be searched without e-mail.
  describe('GET /api/patients', () => {
    it('matches a patient without e-mail by name', async () => {
      const em = t.em();
      await createPatient(em, { name: 'Robin Quist', email: 'robin@quiet.example' });
      await createPatient(em, { name: 'Nomail Quist', email: null });
      const body = patientListOf(await t.http.get('/api/patients').query({ q: 'quist' }).expect(200));
      expect(body.meta.total).toBe(body.data.length);
      expect(namesOf(body.data)).toEqual(['Nomail Quist', 'Robin Quist']);
    });
  });

  describe('GET /api/patients/:id', () => {
    it('returns the patient', async () => {
      const patient = await createPatient(t.em(), {
        name: 'Get One',
        phone: '+1 (555) 010-9999',
        dateOfBirth: '1987-04-12',
      });
      const response = await t.http.get(`/api/patients/${patient.id}`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(patientOf(response)).toEqual({
        id: patient.id,
        name: 'Get One',
        email: patient.email,
        phone: '+1 (555) 010-9999',
        date_of_birth: '1987-04-12',
        created_at: patient.createdAt.toISOString(),
        updated_at: patient.updatedAt.toISOString(),
      });
    });

    it('returns a patient without e-mail, phone or date of birth', async () => {
      const patient = await createPatient(t.em(), { name: 'Bare Minimum', email: null });
      const body = patientOf(await t.http.get(`/api/patients/${patient.id}`).expect(200));
      expect(body).toMatchObject({ name: 'Bare Minimum', email: null, phone: null, date_of_birth: null });
    });
  });

  describe('POST /api/patients', () => {
    it('creates a patient: 201, Location and the created body', async () => {
      const before = Date.now();
      const response = await create({
        name: 'Jordan Lee',
        email: 'jordan.lee@example.com',
        phone: '+44 20 7946 0958',
        date_of_birth: '1987-04-12',
      }).expect(201);
      const created = patientOf(response);
      expect(response.headers.location).toBe(`/api/patients/${created.id}`);
      expect(created).toEqual({
        id: expect.any(Number),
        name: 'Jordan Lee',
        email: 'jordan.lee@example.com',
        phone: '+44 20 7946 0958',
        date_of_birth: '1987-04-12',
        created_at: expect.stringMatching(ISO_INSTANT),
        updated_at: expect.stringMatching(ISO_INSTANT),
      });
      expect(Date.parse(created.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(created.updated_at).toBe(created.created_at);

      const fetched = patientOf(await t.http.get(`/api/patients/${created.id}`).expect(200));
      expect(fetched).toEqual(created);
    });

    it('trims the name, e-mail and phone, and lower-cases the e-mail', async () => {
      const created = patientOf(
        await create({
          name: '  Trim Me  ',
          email: '  Trim.Me@Example.COM ',
          phone: '  020 7946 0000 ',
        }).expect(201),
      );
      expect(created).toMatchObject({
        name: 'Trim Me',
        email: 'trim.me@example.com',
        phone: '020 7946 0000',
      });
      const stored = await t.em().findOneOrFail(Patient, created.id);
      expect(stored.email).toBe('trim.me@example.com');
    });

    it('defaults the optional fields to null', async () => {
      const response = await create({ name: 'Only A Name' }).expect(201);
      const created = patientOf(response);
      expect(response.headers.location).toBe(`/api/patients/${created.id}`);
      expect(created).toMatchObject({ name: 'Only A Name', email: null, phone: null, date_of_birth: null });
      const stored = await t.em().findOneOrFail(Patient, created.id);
      expect(stored).toMatchObject({ email: null, phone: null, dateOfBirth: null });
    });

    it('accepts two patients without e-mail', async () => {
      const first = patientOf(await create({ name: 'No Mail One' }).expect(201));
      const second = patientOf(await create({ name: 'No Mail Two', email: null }).expect(201));
      expect(first.email).toBeNull();
      expect(second.email).toBeNull();
      expect(second.id).not.toBe(first.id);
    });

    it('stores empty optional fields as null', async () => {
      const created = patientOf(
        await create({ name: 'Empty Fields', email: '', phone: '  ', date_of_birth: '' }).expect(201),
      );
      expect(created).toMatchObject({ email: null, phone: null, date_of_birth: null });
    });

    it.each([
      ['an international number', '+44 20 7946 0958'],
      ['parentheses, dots and dashes', '(020) 7946.0958-1'],
      ['three digits', '112'],
      ['40 characters', '1'.repeat(40)],
    ])('accepts a phone number with %s', async (_label, phone) => {
      // Other cases of this suite use the same numbers: confirmed as other people, the format alone is tested.
      const created = patientOf(
        await create({ name: 'Phone Ok', phone, confirm_duplicate: true }).expect(201),
      );
      expect(created.phone).toBe(phone);
    });

    it.each([
      ['letters', 'call me'],
      ['fewer than three characters', '12'],
      ['more than 40 characters', '1'.repeat(41)],
      ['a plus sign and 40 digits (41 characters)', `+${'1'.repeat(40)}`],
      ['a plus sign not at the start', '020+7946'],
      ['an extension marker', '020 7946 x12'],
      ['a number instead of a string', 2079460958],
    ])('rejects a phone number with %s', async (_label, phone) => {
      const problem = problemOf(await create({ name: 'Phone Bad', phone }), 400);
      expect(fieldsOf(problem)).toEqual(['phone']);
    });

    it.each([
      ['today', todayUtc()],
      ['a leap day', '2024-02-29'],
      ['1900-01-01', '1900-01-01'],
    ])('accepts %s as date_of_birth', async (_label, date) => {
      const created = patientOf(await create({ name: 'Born Ok', date_of_birth: date }).expect(201));
      expect(created.date_of_birth).toBe(date);
      const fetched = patientOf(await t.http.get(`/api/patients/${created.id}`).expect(200));
      expect(fetched.date_of_birth).toBe(date);
    });

    it.each([
      ['an impossible date', '2025-02-30'],
      ['a non-leap 29 February', '2023-02-29'],
      ['a day-first date', '15/04/1990'],
      ['a date without leading zeros', '1990-4-15'],
      ['a date-time', '1990-04-15T00:00:00Z'],
      ['a date next year', `${nextYear()}-01-01`],
      ['a number', 19900415],
      ['text', 'yesterday'],
    ])('rejects %s as date_of_birth', async (_label, date) => {
      const problem = problemOf(await create({ name: 'Born Bad', date_of_birth: date }), 400);
      expect(fieldsOf(problem)).toEqual(['date_of_birth']);
    });

    it('lists every missing or invalid field, not only the first', async () => {
      const missing = problemOf(await create({}), 400);
      expect(missing.type).toBe('/problems/validation-error');
      expect(fieldsOf(missing)).toEqual(['name']);

      const invalid = problemOf(
        await create({ name: '', email: 'not-an-email', phone: 'none', date_of_birth: '2025-02-30' }),
        400,
      );
      expect(fieldsOf(invalid)).toEqual(['date_of_birth', 'email', 'name', 'phone']);
      expect(invalid.errors).toContainEqual({
        field: 'date_of_birth',
        message: 'date_of_birth must be a real calendar date written as YYYY-MM-DD',
      });
    });

    it.each([
      ['a blank name', { name: '   ' }, 'name'],
      ['a 201-character name', { name: 'N'.repeat(201) }, 'name'],
      ['a numeric name', { name: 7 }, 'name'],
      // JSON Schema's maxLength and PostgreSQL's varchar(200) both count code points: ❤️ is two (U+2764 U+FE0F).
      ['a name of 202 code points', { name: '\u2764\uFE0F'.repeat(101) }, 'name'],
      ['a name containing a NUL character', { name: 'Jo \u0000' }, 'name'],
      ['an e-mail without a domain', { name: 'X', email: 'x@' }, 'email'],
      ['an over-long e-mail', { name: 'X', email: `${'a'.repeat(64)}@${'b'.repeat(190)}.example` }, 'email'],
      ['an e-mail that is not a string', { name: 'X', email: 42 }, 'email'],
    ])('rejects %s with a 400 naming it', async (_label, body, field) => {
      const problem = problemOf(await create(body), 400);
      expect(fieldsOf(problem)).toEqual([field]);
    });

    it('accepts a 200-character name', async () => {
      const created = patientOf(await create({ name: 'N'.repeat(200) }).expect(201));
      expect(created.name).toHaveLength(200);
    });

    it('rejects null for the required name', async () => {
      const problem = problemOf(await create({ name: null, email: 'null-name@example.com' }), 400);
      expect(fieldsOf(problem)).toEqual(['name']);
    });

    it.each(['id', 'created_at', 'specialty', 'dateOfBirth'])(
      'rejects the unknown body field %s',
      async (field) => {
        const problem = problemOf(await create({ name: 'Extra Field', [field]: '1990-01-01' }), 400);
        expect(problem.errors).toEqual([{ field, message: `${field} is not a known field` }]);
      },
    );

    it('lists an unknown field together with invalid ones', async () => {
      const problem = problemOf(await create({ name: '', phone: 'x', age: 40 }), 400);
      expect(fieldsOf(problem)).toEqual(['age', 'name', 'phone']);
    });
  });
});
