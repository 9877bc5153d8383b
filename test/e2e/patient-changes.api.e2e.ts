import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PatientResponse } from '../../src/patients/dto/patient.dto.js';
import { Patient } from '../../src/patients/patient.entity.js';
import { createPatient } from '../utils/factories.js';
import { fieldsOf, patientOf, problemOf } from '../utils/http.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const nextYear = (): number => new Date().getUTCFullYear() + 1;

// A patient's own fields when changed; what both kinds do alike is people.api.e2e.ts's.
describe('PATCH /api/patients/:id', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const update = (id: number | string, body: object) => t.http.patch(`/api/patients/${id}`).send(body);

  const past = new Date('2024-06-01T12:00:00.000Z');
  let sequence = 0;
  const arrange = (data: Partial<Patient> = {}): Promise<Patient> => {
    sequence++;
    return createPatient(t.em(), {
      email: `patch-${sequence}@example.com`,
      phone: '+44 20 7946 0000',
      dateOfBirth: '1980-05-06',
      createdAt: past,
      updatedAt: past,
      ...data,
    });
  };
  const unchanged = (patient: Patient): Omit<PatientResponse, 'updated_at'> => ({
    id: patient.id,
    name: patient.name,
    email: patient.email,
    phone: '+44 20 7946 0000',
    date_of_birth: '1980-05-06',
    created_at: past.toISOString(),
  });

  it('changes only the name when only the name is sent', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { name: '  Renamed Patient ' }).expect(200));
    expect(updated).toEqual({
      ...unchanged(patient),
      name: 'Renamed Patient',
      updated_at: expect.stringMatching(ISO_INSTANT),
    });
    expect(patientOf(await t.http.get(`/api/patients/${patient.id}`).expect(200))).toEqual(updated);
  });

  it('changes only the e-mail when only the e-mail is sent, trimmed and lower-cased', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { email: ' New.Address@Example.COM' }).expect(200));
    expect(updated).toEqual({
      ...unchanged(patient),
      email: 'new.address@example.com',
      updated_at: expect.stringMatching(ISO_INSTANT),
    });
  });

  it('changes only the phone when only the phone is sent', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { phone: '(020) 1234 5678' }).expect(200));
    expect(updated).toEqual({
      ...unchanged(patient),
      phone: '(020) 1234 5678',
      updated_at: expect.stringMatching(ISO_INSTANT),
    });
  });

  it('changes only the date of birth when only it is sent', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { date_of_birth: '1975-12-31' }).expect(200));
    expect(updated).toEqual({
      ...unchanged(patient),
      date_of_birth: '1975-12-31',
      updated_at: expect.stringMatching(ISO_INSTANT),
    });
    const fetched = patientOf(await t.http.get(`/api/patients/${patient.id}`).expect(200));
    expect(fetched.date_of_birth).toBe('1975-12-31');
  });

  it('changes several fields at once', async () => {
    const patient = await arrange();
    const updated = patientOf(
      await update(patient.id, {
        name: 'All New',
        email: 'all.new@example.com',
        phone: '555 0100',
        date_of_birth: '2001-01-01',
      }).expect(200),
    );
    expect(updated).toMatchObject({
      name: 'All New',
      email: 'all.new@example.com',
      phone: '555 0100',
      date_of_birth: '2001-01-01',
    });
  });

  it.each([
    ['email', 'email'],
    ['phone', 'phone'],
    ['date_of_birth', 'dateOfBirth'],
  ] as const)('clears %s with null, leaving the other fields alone', async (field, property) => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { [field]: null }).expect(200));
    expect(updated).toEqual({
      ...unchanged(patient),
      [field]: null,
      updated_at: expect.stringMatching(ISO_INSTANT),
    });
    const stored = await t.em().findOneOrFail(Patient, patient.id);
    expect(stored[property]).toBeNull();
    expect(stored.name).toBe(patient.name);
  });

  it('clears the e-mail of several patients', async () => {
    const first = await arrange();
    const second = await arrange();
    expect(patientOf(await update(first.id, { email: null }).expect(200)).email).toBeNull();
    expect(patientOf(await update(second.id, { email: '' }).expect(200)).email).toBeNull();
  });

  it('moves updated_at forward and leaves created_at alone', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, { phone: '555 0101' }).expect(200));
    expect(updated.created_at).toBe(past.toISOString());
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(past.getTime());
    const again = patientOf(await update(patient.id, { phone: '555 0102' }).expect(200));
    expect(Date.parse(again.updated_at)).toBeGreaterThanOrEqual(Date.parse(updated.updated_at));
  });

  it('changes nothing for an empty body', async () => {
    const patient = await arrange();
    const updated = patientOf(await update(patient.id, {}).expect(200));
    expect(updated).toEqual({ ...unchanged(patient), updated_at: past.toISOString() });
  });

  it('rejects null for the required name', async () => {
    const patient = await arrange();
    const problem = problemOf(await update(patient.id, { name: null }), 400);
    expect(fieldsOf(problem)).toEqual(['name']);
    const stored = await t.em().findOneOrFail(Patient, patient.id);
    expect(stored.name).toBe(patient.name);
  });

  it('lists every invalid field', async () => {
    const patient = await arrange();
    const problem = problemOf(
      await update(patient.id, {
        name: ' ',
        email: 'no-at-sign',
        phone: 'abc',
        date_of_birth: `${nextYear()}-06-01`,
      }),
      400,
    );
    expect(fieldsOf(problem)).toEqual(['date_of_birth', 'email', 'name', 'phone']);
    expect(problem.errors).toContainEqual({
      field: 'date_of_birth',
      message: 'date_of_birth cannot be in the future',
    });
    const stored = await t.em().findOneOrFail(Patient, patient.id);
    expect(stored).toMatchObject({
      name: patient.name,
      phone: '+44 20 7946 0000',
      dateOfBirth: '1980-05-06',
    });
  });

  it.each([
    ['phone', '+'.repeat(5)],
    ['phone', `+${'1'.repeat(40)}`],
    ['date_of_birth', '2025-02-30'],
    ['date_of_birth', '15/04/1990'],
    ['email', 'x@'],
  ])('rejects the invalid %s %s', async (field, value) => {
    const patient = await arrange();
    const problem = problemOf(await update(patient.id, { [field]: value }), 400);
    expect(fieldsOf(problem)).toEqual([field]);
  });

  it('rejects an unknown field, naming it', async () => {
    const patient = await arrange();
    const problem = problemOf(await update(patient.id, { phone: '555 0199', nickname: 'JJ' }), 400);
    expect(problem.errors).toEqual([{ field: 'nickname', message: 'nickname is not a known field' }]);
    const stored = await t.em().findOneOrFail(Patient, patient.id);
    expect(stored.phone).toBe('+44 20 7946 0000');
  });
});
